"""The aspiration journey in real Chromium with JavaScript off, with real CSRF.

A resident raises an aspiration in two steps (similar ones are shown first)
with a photo; a moderator verifies it and forwards it to the agency; the
agency's official answers from the desk; the resident is notified, sees
every step in the timeline and closes it. Selectors go through `t()`, the
same msgids the templates use, rendered in the default language.
"""
import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Aspiration, Notification, Role
from tests.browser.steps import log_in
from tests.conftest import PASSWORD
from tests.factories import no_post_rate  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

TITLE = "Saluran air tersumbat di Jalan Elang Bintaro"
ANSWER = "Saluran sudah dikeruk pada hari Kamis. Terima kasih atas laporannya."


def photo(tmp_path):
    path = tmp_path / "saluran.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 120, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_raise_verify_forward_answer_close_without_javascript(
        live_server, nojs_page, open_nojs_page, t, make_user, agency, tmp_path, no_post_rate):
    resident = make_user(Role.RESIDENT, password=PASSWORD)
    moderator = make_user(Role.MODERATOR, password=PASSWORD)
    official = make_user(Role.OFFICIAL, agency=agency, password=PASSWORD)

    # The resident raises it: step one, then similar aspirations and the photo.
    page = nojs_page
    log_in(page, live_server, t, resident)
    page.goto(live_server("/aspirasi/"))
    page.get_by_role("link", name=t("Raise an aspiration")).first.click()
    page.get_by_label(t("Complaint")).check()
    page.get_by_label(t("Title")).fill(TITLE)
    page.get_by_label(t("Describe it")).fill("Setiap hujan air meluap ke rumah warga di RT 04.")
    page.get_by_label(t("Topic")).select_option("kebencanaan")
    page.get_by_label(t("Kelurahan")).select_option("pondok-aren.pondok-aren")
    page.get_by_label(t("Place (optional)")).fill("Jl. Elang, RT 04/RW 07")
    page.get_by_role("button", name=t("Next: check for similar aspirations")).click()
    expect(page.get_by_role("heading", name=t("Similar aspirations"))).to_be_visible()
    page.get_by_label(t("Photos (optional)")).set_input_files(photo(tmp_path))
    page.get_by_role("button", name=t("Continue anyway: send my aspiration")).click()
    expect(page.locator("h1")).to_have_text(TITLE)
    aspiration = db.session.scalars(db.select(Aspiration)).one()
    assert len(aspiration.photos) == 1

    # The moderator verifies and forwards it from the queue.
    staff = open_nojs_page()
    log_in(staff, live_server, t, moderator)
    staff.goto(live_server("/moderasi/aspirasi/"))
    staff.get_by_role("link", name=TITLE).click()
    staff.get_by_role("button", name=t("Verify")).click()
    expect(staff.locator(".flashes")).to_contain_text(t("Verified"))
    staff.get_by_label(t("Agency")).select_option(agency.code)
    staff.get_by_role("button", name=t("Forward to an agency")).click()
    expect(staff.locator("#timeline")).to_contain_text(agency.name)

    # The official answers from the agency desk.
    desk = open_nojs_page()
    log_in(desk, live_server, t, official)
    desk.goto(live_server("/dinas/aspirasi/"))
    desk.get_by_role("link", name=TITLE).click()
    desk.locator("#note-answered").fill(ANSWER)
    desk.get_by_role("button", name=t("Publish the answer")).click()
    expect(desk.locator("#comments")).to_contain_text(ANSWER)
    expect(desk.locator("#comments")).to_contain_text(t("Official response"))

    # The resident is told, reads the timeline and closes it.
    db.session.expire_all()
    told = db.session.scalars(db.select(Notification.event).where(Notification.user_id == resident.id)).all()
    assert {"aspiration_verified", "aspiration_forwarded", "aspiration_answered"} <= set(told)
    page.goto(live_server("/notifikasi/"))
    expect(page.locator("main")).to_contain_text(TITLE)
    page.goto(live_server(f"/aspirasi/{aspiration.id}"))
    timeline = page.locator("#timeline")
    for state in ("Submitted", "Verified", "Forwarded", "Answer given"):
        expect(timeline).to_contain_text(t(state))
    page.get_by_role("button", name=t("Accept the answer and close")).click()
    expect(page.locator("#timeline")).to_contain_text(t("Closed"))
    db.session.expire_all()
    assert db.session.get(Aspiration, aspiration.id).state == "closed"


def test_similar_aspirations_appear_while_typing_with_javascript(live_server, page, t, make_user, no_post_rate):
    from forum.services import aspirations as service

    author, supporter = make_user(Role.RESIDENT), make_user(Role.RESIDENT, password=PASSWORD)
    existing = service.submit_aspiration(
        author, aspiration_type="complaint", title=TITLE, body="Air meluap ke rumah warga setiap hujan.",
        category="kebencanaan", district="pondok-aren.pondok-aren", visibility="public")
    service.transition(make_user(Role.MODERATOR), existing, "verified")

    log_in(page, live_server, t, supporter)
    page.goto(live_server("/aspirasi/baru"))
    live_list = page.locator("#similar-live")
    expect(live_list).to_be_hidden()
    page.get_by_label(t("Title")).press_sequentially("Saluran tersumbat di Jalan Elang", delay=20)
    expect(live_list).to_be_visible()
    expect(live_list.get_by_role("link", name=TITLE)).to_be_visible()

    # Enter in the title still belongs to the aspiration form (its first step), not to a support button.
    page.get_by_label(t("Title")).press("Enter")
    expect(page.get_by_label(t("Title"))).to_have_value("Saluran tersumbat di Jalan Elang")
    db.session.expire_all()
    assert db.session.get(Aspiration, existing.id).up_count == 0

    page.get_by_label(t("Title")).fill("Saluran air tersumbat")
    live_list.get_by_role("button", name=t("Support this one instead")).click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".flashes")).to_contain_text(
        t("Thank you for your support. You will be notified of what happens to this aspiration."))
    db.session.expire_all()
    assert db.session.get(Aspiration, existing.id).up_count == 1
