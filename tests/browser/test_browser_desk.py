"""The kelurahan service desk in real Chromium with JavaScript off, with real CSRF.

A desk officer submits a complaint for a resident without an account and
opens the printable receipt (printed, only the slip shows); anyone tracks it
by the code; a moderator forwards it, the agency's official answers from the
agency desk, and the tracked page shows the answer.
"""
import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import DeskSubmission, District, Role
from forum.services import aspirations as aspiration_service
from tests.browser.steps import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Lampu jalan padam di gang masjid Pondok Betung"
ANSWER = "Lampu sudah diganti petugas pada hari Selasa. Terima kasih."


def test_desk_submits_prints_and_anyone_tracks_the_answer(live_server, nojs_page, open_nojs_page, t, make_user,
                                                         agency):
    kelurahan = District.query.filter_by(code="pondok-aren.pondok-betung").one()
    officer = make_user(Role.DESK, district=kelurahan, password=PASSWORD)
    moderator = make_user(Role.MODERATOR, password=PASSWORD)
    official = make_user(Role.OFFICIAL, agency=agency, password=PASSWORD)

    # The officer fills the form for a resident at the desk.
    page = nojs_page
    log_in(page, live_server, t, officer)
    page.get_by_role("link", name=t("Service desk")).click()
    page.get_by_role("link", name=t("An aspiration or complaint")).click()
    page.get_by_label(t("Resident's name")).fill("Ibu Siti Aminah")
    page.get_by_label(t("Phone number (optional)")).fill("0812 3456 7890")
    page.get_by_label(t("Complaint")).check()
    page.get_by_label(t("Title")).fill(TITLE)
    page.get_by_label(t("Describe it")).fill("Sudah dua minggu lampu jalan padam, warga takut lewat malam.")
    page.get_by_label(t("Topic")).select_option("infrastruktur")
    # Without consent nothing is sent, and the typed text stays.
    page.get_by_role("button", name=t("Send and print the receipt")).click()
    expect(page.locator(".form-errors")).to_be_visible()
    expect(page.get_by_label(t("Title"))).to_have_value(TITLE)
    assert db.session.scalar(db.select(db.func.count()).select_from(DeskSubmission)) == 0
    page.get_by_label(t("The resident heard the consent text and agrees")).check()
    page.get_by_role("button", name=t("Send and print the receipt")).click()

    # The receipt: the code on screen; printed, only the slip.
    submission = db.session.scalars(db.select(DeskSubmission)).one()
    shown_code = f"{submission.receipt_code[:4]}-{submission.receipt_code[4:]}"
    expect(page.locator(".receipt-code")).to_have_text(shown_code)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".receipt-slip")).to_be_visible()
    assert page.locator(".receipt-slip").bounding_box()["width"] < 200  # 48 mm is about 181 CSS px
    page.emulate_media(media="screen")

    # Anyone, signed out, tracks it by the code as typed from the slip.
    visitor = open_nojs_page()
    visitor.goto(live_server("/"))
    visitor.get_by_role("link", name=t("Track a receipt code")).click()
    visitor.get_by_label(t("Receipt code")).fill(shown_code.lower())
    visitor.get_by_role("button", name=t("Track")).click()
    expect(visitor.locator(".tracked-status")).to_have_text(t("Submitted"))

    # A moderator forwards it; the agency's official answers from the agency desk.
    aspiration = submission.content
    aspiration_service.transition(moderator, aspiration, "verified")
    aspiration_service.transition(moderator, aspiration, "forwarded", agency=agency.code)
    desk = open_nojs_page()
    log_in(desk, live_server, t, official)
    desk.goto(live_server("/dinas/aspirasi/"))
    desk.get_by_role("link", name=TITLE).click()
    expect(desk.locator("main")).to_contain_text("Pondok Betung")
    expect(desk.locator("main")).not_to_contain_text(officer.display_name)
    desk.locator("#note-answered").fill(ANSWER)
    desk.get_by_role("button", name=t("Publish the answer")).click()
    expect(desk.locator("#comments")).to_contain_text(ANSWER)

    # The tracked page now shows the answer.
    visitor.reload()
    expect(visitor.locator(".tracked-status")).to_have_text(t("Answer given"))
    expect(visitor.locator("main")).to_contain_text(ANSWER)
    expect(visitor.locator("main")).to_contain_text(TITLE)
