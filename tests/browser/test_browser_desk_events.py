"""A desk officer registers a resident for an event and prints the receipt; anyone tracks it. JavaScript off.

The officer opens the service desk, chooses "register a resident for an
event", picks the upcoming event, types the resident's name and phone,
records the consent and sends; the receipt shows the code, the event and
the confirmed seat. Someone else types the code on /lacak and sees the
event and the seat, without signing in.
"""
import pytest
from playwright.sync_api import expect

from forum.models import District, Role
from tests.browser.steps import log_in
from tests.conftest import PASSWORD
from tests.events.conftest import make_event  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_officer_registers_a_resident_for_an_event_and_it_is_tracked_by_code(
        live_server, nojs_page, open_nojs_page, make_user, make_event, t):
    officer = make_user(Role.DESK, password=PASSWORD,
                        district=District.query.filter_by(code="pondok-aren.pondok-betung").one())
    make_event(title="Pelatihan literasi digital untuk lansia", address="Perpustakaan Kelurahan")
    page = nojs_page
    log_in(page, live_server, t, officer)

    page.goto(live_server("/layanan/"))
    page.get_by_role("link", name=t("Register a resident for an event")).click()
    page.get_by_role("link", name="Pelatihan literasi digital untuk lansia").click()
    page.get_by_label(t("Resident's name")).fill("Mbah Darmi")
    page.get_by_label(t("Phone number (optional)")).fill("0812 3456 7890")
    page.get_by_role("button", name=t("Register and print the receipt")).click()
    expect(page.locator("main")).to_contain_text(t("The resident must agree to the consent text first. "
                                                    "Without consent nothing is sent."))
    expect(page.get_by_label(t("Resident's name"))).to_have_value("Mbah Darmi")
    page.get_by_label(t("The resident heard the consent text and agrees")).check()
    page.get_by_role("button", name=t("Register and print the receipt")).click()

    slip = page.locator(".receipt-slip")
    expect(slip).to_contain_text("Pelatihan literasi digital untuk lansia")
    expect(slip).to_contain_text("Perpustakaan Kelurahan")
    expect(slip).to_contain_text(t("Seat confirmed"))
    code = page.locator(".receipt-code").inner_text().strip()

    visitor = open_nojs_page()
    visitor.goto(live_server("/lacak"))
    visitor.get_by_label(t("Receipt code")).fill(code.lower())
    visitor.get_by_role("button", name=t("Track")).click()
    expect(visitor.locator(".tracked-status")).to_have_text(t("Seat confirmed"))
    expect(visitor.locator("main")).to_contain_text("Pelatihan literasi digital untuk lansia")
    expect(visitor.locator("main")).not_to_contain_text("Mbah Darmi")
