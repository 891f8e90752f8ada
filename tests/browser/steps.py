"""Steps the browser tests share: signing in through the login form."""
from playwright.sync_api import expect

from tests.conftest import PASSWORD


def log_in(page, live_server, t, user, password=PASSWORD):
    """Sign `user` in through the page's login form and wait for the signed-in header."""
    page.goto(live_server("/akun/masuk"))
    form = page.locator("main form", has=page.get_by_label(t("Password")))
    form.get_by_label(t("E-mail address")).fill(user.email)
    form.get_by_label(t("Password")).fill(password)
    form.get_by_role("button", name=t("Log in")).click()
    expect(page.locator("header")).to_contain_text(t("Notifications"))
