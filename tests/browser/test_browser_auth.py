"""Account journeys in real Chromium, with real CSRF, mostly with JavaScript off.

Register -> confirm the e-mail from the mailed link -> log in -> switch to
English -> log out; and a failed login, which must answer in Indonesian with
the typed address kept and the password cleared.
"""
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale
from playwright.sync_api import expect

import forum
from forum.extensions import db
from forum.models import User
from forum.services import accounts

pytestmark = pytest.mark.browser

PASSPHRASE = "kopi susu pagi di Serpong 2026"
KELURAHAN = "pondok-aren.pondok-betung"
ID_CATALOG = Path(forum.__file__).resolve().parent / "translations" / "id" / "LC_MESSAGES" / "messages.po"


def indonesian(msgid):
    """The Indonesian msgstr of `msgid`, as the compiled catalog will show it."""
    assert ID_CATALOG.exists(), f"{ID_CATALOG} is missing: extract and translate the Indonesian catalog"
    assert ID_CATALOG.with_suffix(".mo").exists(), "compile the catalogs: pybabel compile -d forum/translations"
    with ID_CATALOG.open("rb") as po_file:
        message = read_po(po_file).get(msgid)
    assert message is not None and message.string, f"no Indonesian translation for {msgid!r}"
    return message.string


def english_msgid(lazy_message):
    with force_locale("en"):
        return str(lazy_message)


def stored_user(email):
    """Re-read the user from the database the live server writes to."""
    db.session.rollback()
    return User.query.filter_by(email=email).one()


def main_form(page, field_name):
    return page.locator("main form", has=page.locator(f"[name={field_name}]"))


def header_logout(page):
    return page.locator("header form[action$='/akun/keluar'] [type=submit]")


def log_in(page, email, password):
    form = main_form(page, "password")
    form.locator("[name=email]").fill(email)
    form.locator("[name=password]").fill(password)
    with page.expect_navigation() as navigation:
        form.locator("[type=submit]").click()
    return navigation.value


def expect_logged_out_navigation(page):
    navigation = page.locator("header nav")
    expect(navigation.locator("a[href$='/akun/masuk']")).to_be_visible()
    expect(navigation.locator("a[href$='/akun/daftar']")).to_be_visible()
    expect(header_logout(page)).to_have_count(0)
    expect(navigation.locator("a[href$='/profil/']")).to_have_count(0)


@pytest.mark.parametrize("page_fixture", ["nojs_page", "page"], ids=["nojs", "js"])
def test_register_verify_login_switch_language_logout(live_server, read_mail, link_in, request, page_fixture):
    page = request.getfixturevalue(page_fixture)
    email = f"siti.rahma.{page_fixture}@example.com"

    # Register: the account exists, unverified, and the user is signed in.
    page.goto(live_server("/akun/daftar"))
    form = main_form(page, "display_name")
    form.locator("[name=email]").fill(email)
    form.locator("[name=display_name]").fill("Siti Rahma")
    form.locator("[name=district]").select_option(KELURAHAN)
    form.locator("[name=password]").fill(PASSPHRASE)
    form.locator("[name=consent]").check()
    form.locator("[type=submit]").click()
    expect(page).to_have_url(live_server("/akun/periksa-email"))
    expect(page.locator("main")).to_contain_text(email)
    user = stored_user(email)
    assert user.email_verified_at is None
    assert user.district.code == KELURAHAN

    # One mail, to the new address, with an absolute link to this server.
    messages = read_mail(live_server.app)
    assert [message["To"] for message in messages] == [email]
    link = link_in(messages[0], "/akun/verifikasi/")
    assert link.startswith(live_server("/akun/verifikasi/"))

    # Later, logged out, the user opens the link and is sent to the login form.
    header_logout(page).click()
    expect_logged_out_navigation(page)
    page.goto(link)
    expect(page).to_have_url(live_server("/akun/masuk"))
    assert stored_user(email).email_verified_at is not None

    response = log_in(page, email, PASSPHRASE)
    assert response.status == 200
    expect(page).to_have_url(live_server("/"))
    expect(header_logout(page)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "id")

    # Switch to English from the header; the choice is kept on the account.
    page.locator("form.language-switch").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header nav")).to_contain_text("My account")
    expect(header_logout(page)).to_have_text("Log out")
    assert stored_user(email).locale == "en"

    header_logout(page).click()
    expect(page).to_have_url(live_server("/"))
    expect_logged_out_navigation(page)
    expect(page.locator("header nav a[href$='/akun/masuk']")).to_have_text("Log in")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_failed_login_answers_in_indonesian_and_keeps_the_email(live_server, make_user, nojs_page):
    user = make_user(email="budi@example.com")
    expected_error = indonesian(english_msgid(accounts.WRONG_CREDENTIALS))

    nojs_page.goto(live_server("/akun/masuk"))
    response = log_in(nojs_page, user.email, "not the right password")

    assert response.status == 422
    expect(nojs_page.locator("html")).to_have_attribute("lang", "id")
    form = main_form(nojs_page, "password")
    expect(form.locator(".form-errors")).to_contain_text(expected_error)
    expect(form.locator("[name=email]")).to_have_value(user.email)
    expect(form.locator("[name=password]")).to_have_value("")
    expect(header_logout(nojs_page)).to_have_count(0)


def test_login_with_an_expired_session_re_renders_the_form(live_server, make_user, nojs_page, nojs_context):
    """Real CSRF: a form whose session is gone is refused, re-rendered, not a bare 400."""
    user = make_user(email="dewi@example.com", password=PASSPHRASE)
    nojs_page.goto(live_server("/akun/masuk"))
    # Chromium fetches the favicon after `load`; its answer would bring the
    # session cookie back, so wait until the network is quiet before dropping it.
    nojs_page.wait_for_load_state("networkidle")
    nojs_context.clear_cookies()

    response = log_in(nojs_page, user.email, PASSPHRASE)

    assert response.status == 422
    form = main_form(nojs_page, "password")
    expect(form.locator(".form-errors")).to_be_visible()
    expect(form.locator("[name=email]")).to_have_value(user.email)
    expect(form.locator("[name=password]")).to_have_value("")
    expect(header_logout(nojs_page)).to_have_count(0)

    # With the fresh token of the re-rendered form, the login goes through.
    response = log_in(nojs_page, user.email, PASSPHRASE)
    assert response.status == 200
    expect(header_logout(nojs_page)).to_be_visible()
