"""A moderator works the desk in real Chromium with JavaScript off, with real CSRF.

A held comment is approved and appears on the consultation page; a flagged
comment is removed with a reason, and a visitor sees the tombstone with that
reason instead of the text. Selectors use the msgids through the catalog
(`t()`), as in test_browser_consultations.py.
"""
import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import ContentStatus, Role
from moderation import flags
from moderation.models import Queue
from moderation.queue import ensure_open_item
from tests.browser.steps import log_in
from tests.factories import make_comment, make_policy

pytestmark = pytest.mark.browser

HELD_TEXT = "Mohon trotoar di Jalan Ceger diperbaiki sebelum musim hujan."
FLAGGED_TEXT = "Komentar berisi iklan pinjaman online yang tidak ada hubungannya."
REMOVAL_REASON = "Iklan, bukan tanggapan atas rancangan."


@pytest.fixture
def desk_setup(agency, make_user):
    policy = make_policy(agency)
    author = make_user(Role.RESIDENT)
    held = make_comment(policy, author, body=HELD_TEXT, status=ContentStatus.PENDING)
    ensure_open_item(held, Queue.PENDING, screen_reasons=[
        {"action": "hold", "code": "premod.site", "message": "Held", "detail": None, "rule": "hold_all"}])
    db.session.commit()
    flagged = make_comment(policy, make_user(Role.RESIDENT), body=FLAGGED_TEXT)
    flags.flag_content(author, flagged, "spam")
    return policy.id, held.id, flagged.id


def decide(page, live_server, t, tab, content_id, action, reason=None):
    page.goto(live_server(f"/moderasi/?tab={tab}"))
    page.locator(f"a[href$='/moderasi/konten/{content_id}']").click()
    page.get_by_label(t(action), exact=True).check()
    if reason:
        page.get_by_label(t("Reason (the author reads it)")).fill(reason)
    page.get_by_role("button", name=t("Save decision")).click()
    expect(page.locator(".flashes")).to_contain_text(t("Decision saved: %(action)s.", action=t(action)))


def test_moderator_works_the_desk_without_javascript(live_server, nojs_page, browser, make_user, user_password,
                                                    desk_setup, t):
    policy_id, held_id, flagged_id = desk_setup
    moderator = make_user(Role.MODERATOR)
    log_in(nojs_page, live_server, t, moderator, user_password)

    decide(nojs_page, live_server, t, "pending", held_id, "Approve")
    decide(nojs_page, live_server, t, "flagged", flagged_id, "Remove", REMOVAL_REASON)

    visitor = browser.new_context(java_script_enabled=False)
    try:
        page = visitor.new_page()
        page.goto(live_server(f"/konsultasi/{policy_id}"))
        expect(page.locator(f"#comment-{held_id}")).to_contain_text(HELD_TEXT)
        tombstone = page.locator(f"#comment-{flagged_id} .tombstone")
        expect(tombstone).to_contain_text(REMOVAL_REASON)
        expect(page.locator("main")).not_to_contain_text(FLAGGED_TEXT)
    finally:
        visitor.close()


def test_third_flag_from_the_page_hides_the_comment(live_server, nojs_page, browser, make_user, user_password,
                                                    agency, t):
    policy = make_policy(agency)
    comment = make_comment(policy, make_user(Role.RESIDENT), body=FLAGGED_TEXT)
    for _ in range(2):
        flags.flag_content(make_user(Role.RESIDENT), comment, "spam")
    resident = make_user(Role.RESIDENT)
    log_in(nojs_page, live_server, t, resident, user_password)
    nojs_page.goto(live_server(f"/konsultasi/{policy.id}"))
    nojs_page.locator(f"#comment-{comment.id}").get_by_role("link", name=t("Flag")).click()
    nojs_page.get_by_label(t("Spam or advertising")).check()
    nojs_page.get_by_role("button", name=t("Send flag")).click()
    expect(nojs_page.locator(".flashes")).to_contain_text(t("Thank you. The moderators will look at this post."))
    visitor = browser.new_context(java_script_enabled=False)
    try:
        page = visitor.new_page()
        page.goto(live_server(f"/konsultasi/{policy.id}"))
        expect(page.locator("main")).not_to_contain_text(FLAGGED_TEXT)
    finally:
        visitor.close()
