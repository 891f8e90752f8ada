"""The consultation journey in real Chromium with JavaScript off, with real CSRF.

An official drafts a consultation with the no-JavaScript clause editor and
publishes it; a resident finds it, comments on a clause with a stance,
replies, votes and rates a comment; the official responds, publishes a new
version, closes the consultation and publishes the outcome; the resident is
notified and finds the consultation read-only. Everything goes through the
pages in the default language (Indonesian); `t()` renders the same msgids the
templates use, through the compiled catalog, so the selectors follow the
translations instead of copying them.
"""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Comment, Notification, Policy, Role
from forum.services import comments as comment_service
from forum.timeutil import to_city_time, utcnow
from moderation.filters.rate import ESTABLISHED_LIMIT, NEW_ACCOUNT_AGE
from tests.browser.steps import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Rancangan Perwali Layanan Publik Digital"
CLAUSE_ONE = ("Ruang lingkup", "Peraturan ini mengatur layanan publik digital di Kota Tangerang Selatan.")
CLAUSE_TWO = ("Data pribadi", "Data pribadi warga disimpan paling lama lima tahun.")
CLAUSE_THREE = ("Ketentuan peralihan", "Pasal sementara yang akan dihapus lagi.")
OFFICIAL_ANSWER = "Terima kasih. Masa simpan akan kami tinjau menjadi dua tahun."
ACTION_TIMEOUT_MS = 10_000


def city_input(moment):
    """A UTC moment as a datetime-local value in Jakarta time."""
    return to_city_time(moment).strftime("%Y-%m-%dT%H:%M")


def title_field(page):
    # "Title" and each clause's "Heading" share one Indonesian word ("Judul").
    return page.locator("main form [name=title]")


def clause(page, t, number):
    return page.get_by_role("group", name=t("Section %(number)d", number=number), exact=True)


def fill_clause(page, t, number, heading, body):
    group = clause(page, t, number)
    group.get_by_label(t("Heading")).fill(heading)
    group.get_by_label(t("Text (Markdown)")).fill(body)


def comment_article(page, text):
    """The innermost comment (an <article>) whose own body contains `text`."""
    return page.get_by_role("article").filter(has=page.locator(".comment-body", has_text=text)).last


def flash(page):
    return page.locator(".flashes")


def stored_policy():
    db.session.rollback()
    return db.session.scalars(db.select(Policy).where(Policy.title == TITLE)).one()


# -- journey 1: the official drafts and publishes ----------------------------------------
def draft_and_publish(page, anonymous, live_server, t):
    page.goto(live_server("/dinas/konsultasi"))
    page.get_by_role("link", name=t("New consultation")).click()
    title_field(page).fill(TITLE)
    page.get_by_label(t("Summary")).fill("Aturan baru supaya layanan kota bisa diurus dari rumah.")
    category = page.get_by_label(t("Category"))
    category.select_option(index=1)
    now = utcnow()
    page.get_by_label(t("Opens at (Jakarta time)")).fill(city_input(now - timedelta(hours=1)))
    page.get_by_label(t("Closes at (Jakarta time)")).fill(city_input(now + timedelta(days=14)))

    # The editor starts with one clause; add two, remove the third, move the second up.
    fill_clause(page, t, 1, *CLAUSE_TWO)
    page.get_by_role("button", name=t("Add a section")).click()
    fill_clause(page, t, 2, *CLAUSE_ONE)
    page.get_by_role("button", name=t("Add a section")).click()
    fill_clause(page, t, 3, *CLAUSE_THREE)
    expect(title_field(page)).to_have_value(TITLE)  # nothing typed is lost
    page.get_by_role("button", name=t("Remove section %(number)d", number=3)).click()
    expect(clause(page, t, 3)).to_have_count(0)
    page.get_by_role("button", name=t("Move section %(number)d up", number=2)).click()
    expect(clause(page, t, 1).get_by_label(t("Heading"))).to_have_value(CLAUSE_ONE[0])
    expect(clause(page, t, 2).get_by_label(t("Heading"))).to_have_value(CLAUSE_TWO[0])
    expect(title_field(page)).to_have_value(TITLE)
    assert db.session.scalars(db.select(Policy)).all() == []  # editor buttons save nothing

    page.get_by_role("button", name=t("Save draft"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text(t("Only your agency can see this draft. Below is what residents will see once it is published."))
    policy = stored_policy()
    assert policy.phase == "draft"
    assert [s.heading for s in policy.current_version.sections] == [CLAUSE_ONE[0], CLAUSE_TWO[0]]

    # A draft is not public: its agency sees it, nobody else does.
    assert page.request.get(live_server(f"/konsultasi/{policy.id}")).status == 200
    assert anonymous.goto(live_server(f"/konsultasi/{policy.id}")).status == 404

    page.get_by_role("button", name=t("Publish"), exact=True).click()
    expect(flash(page)).to_contain_text(t("The consultation is open for comments."))
    assert stored_policy().phase == "open"

    page.goto(live_server(f"/konsultasi/{policy.id}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    headings = page.get_by_role("heading", level=3)
    expect(headings.nth(0)).to_have_text(t("Section %(number)d: %(heading)s", number=1, heading=CLAUSE_ONE[0]))
    expect(headings.nth(1)).to_have_text(t("Section %(number)d: %(heading)s", number=2, heading=CLAUSE_TWO[0]))
    expect(page.locator("main")).to_contain_text(CLAUSE_ONE[1])
    return policy.id


# -- journey 2: a resident takes part ------------------------------------------------------
def take_part(page, live_server, t, policy_id, other):
    page.goto(live_server("/konsultasi/"))
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(live_server(f"/konsultasi/{policy_id}"))

    # A comment on clause 1, disagreeing.
    form = page.get_by_role("region", name=t("Your comment"))
    form.get_by_label(t("I disagree")).check()
    form.get_by_label(t("About")).select_option(
        label=t("Section %(number)d: %(heading)s", number=1, heading=CLAUSE_ONE[0]))
    opinion = "Lima tahun terlalu lama, data warga harus dihapus lebih cepat."
    form.get_by_label(t("Your comment")).fill(opinion)
    form.get_by_role("button", name=t("Send comment")).click()
    expect(flash(page)).to_contain_text(t("Your comment has been posted."))
    mine = comment_article(page, opinion)
    expect(mine).to_contain_text(t("Disagrees"))
    expect(mine).to_contain_text(t("Section %(number)d", number=1))
    first_clause = page.get_by_role("listitem").filter(has=page.get_by_role(
        "heading", name=t("Section %(number)d: %(heading)s", number=1, heading=CLAUSE_ONE[0])))
    expect(first_clause).to_contain_text(t("%(num)d comment", "%(num)d comments", 1))
    expect(first_clause.get_by_role("img")).to_have_attribute(
        "aria-label", t("%(support)d agree, %(oppose)d disagree, %(neutral)d neutral", support=0, oppose=1, neutral=0))

    # A reply to the other resident's comment, through the no-JavaScript reply link,
    # after the pause the moderation screen asks between two posts.
    page.wait_for_timeout(ESTABLISHED_LIMIT.interval.total_seconds() * 1000)
    theirs = comment_article(page, other)
    theirs.get_by_role("link", name=t("Reply")).click()
    reply_box = page.locator("#form")
    expect(reply_box.get_by_role("heading")).to_have_text(t("Your reply"))
    reply = "Setuju, asal layanannya tetap bisa diakses dari kelurahan."
    reply_box.get_by_label(t("Your comment")).fill(reply)
    reply_box.get_by_role("button", name=t("Send reply")).click()
    expect(flash(page)).to_contain_text(t("Your comment has been posted."))
    expect(comment_article(page, other).locator(".replies")).to_contain_text(reply)

    # One overall vote, and a helpful mark on the other resident's comment.
    page.get_by_role("button", name=t("I support this draft")).click()
    expect(flash(page)).to_contain_text(t("Your vote has been saved."))
    votes = page.get_by_role("region", name=t("Overall opinion"))
    expect(votes).to_contain_text(t("%(support)d support, %(oppose)d oppose", support=1, oppose=0))
    expect(votes.get_by_role("button", name=t("I support this draft"))).to_have_attribute("aria-pressed", "true")

    comment_article(page, other).get_by_role("button", name=t("Helpful"), exact=True).click()
    expect(flash(page)).to_contain_text(t("Thank you for rating this comment."))
    expect(comment_article(page, other)).to_contain_text(t("Helpful: %(up)d, not helpful: %(down)d", up=1, down=0))
    expect(comment_article(page, opinion)).to_contain_text(t("Helpful: %(up)d, not helpful: %(down)d", up=0, down=0))

    # The other resident's comment, this one and the reply.
    policy = stored_policy()
    assert (policy.comment_count, policy.up_count, policy.down_count) == (3, 1, 0)
    expect(page.get_by_role("heading", name=t("%(num)d comment", "%(num)d comments", 3))).to_be_visible()
    return opinion


# -- journey 3: the official answers, versions, closes and reports back ------------------------
def respond_version_close_and_report(page, live_server, t, policy_id, opinion, agency_name):
    page.goto(live_server(f"/konsultasi/{policy_id}"))
    comment_article(page, opinion).get_by_role("link", name=t("Reply")).first.click()
    reply_box = page.locator("#form")
    expect(reply_box).to_contain_text(
        t("This will be shown as an official response of %(agency)s.", agency=agency_name))
    answer = OFFICIAL_ANSWER
    reply_box.get_by_label(t("Your comment")).fill(answer)
    reply_box.get_by_role("button", name=t("Send reply")).click()
    expect(flash(page)).to_contain_text(t("Your comment has been posted."))
    # Pinned: the official response is the first reply, above the resident's earlier one.
    first_reply = comment_article(page, opinion).locator(".replies").get_by_role("article").first
    expect(first_reply).to_contain_text(answer)
    expect(first_reply).to_contain_text(t("Official response"))
    expect(first_reply).to_contain_text(agency_name)

    # A new version with a change note; the diff page shows what changed.
    page.goto(live_server(f"/dinas/konsultasi/{policy_id}/pratinjau"))
    page.get_by_role("link", name=t("Publish a new version")).click()
    note = "Masa simpan data dipersingkat setelah masukan warga."
    page.get_by_label(t("What changed in this version")).fill(note)
    clause(page, t, 2).get_by_label(t("Text (Markdown)")).fill("Data pribadi warga disimpan paling lama dua tahun.")
    page.get_by_role("button", name=t("Publish new version")).click()
    expect(flash(page)).to_contain_text(t("The new version was published. Earlier versions stay readable."))
    page.goto(live_server(f"/konsultasi/{policy_id}"))
    page.get_by_role("link", name=t("What changed in the latest version")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Changes from version %(old)d to version %(new)d", old=1, new=2))
    main = page.locator("main")
    expect(main).to_contain_text(note)
    expect(main).to_contain_text(t("Changed"))
    expect(main.locator("ins")).to_contain_text("dua")
    expect(main.locator("del")).to_contain_text("lima")

    # Close, then publish the outcome, with a note on the changed clause.
    page.goto(live_server(f"/dinas/konsultasi/{policy_id}/pratinjau"))
    page.get_by_role("button", name=t("Close the consultation now")).click()
    expect(flash(page)).to_contain_text(t("The consultation is closed. You can now publish its outcome."))
    page.get_by_role("link", name=t("Publish the outcome")).click()
    outcome = "Kami menerima 3 komentar. Masa simpan data dipersingkat menjadi dua tahun."
    page.get_by_label(t("Outcome: what you heard and what changed")).fill(outcome)
    page.get_by_label(f'{t("Section %(number)d", number=2)}: {CLAUSE_TWO[0]}').fill("Masa simpan menjadi dua tahun.")
    page.get_by_role("button", name=t("Publish the outcome")).click()
    expect(flash(page)).to_contain_text(t("The outcome was published. Followers are told."))
    policy = stored_policy()
    assert policy.phase == "final"

    # The agency's list counts it all: two resident comments, two replies, the response.
    page.goto(live_server("/dinas/konsultasi"))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE))
    expect(row.get_by_role("cell")).to_have_text(
        [TITLE, t("Outcome published"), re.compile(r"\S"), "5", "1", "0"])
    assert policy.comment_count == 5


def test_consultation_journey_without_javascript(live_server, make_user, nojs_page, open_nojs_page, t):
    official = make_user(Role.OFFICIAL, email="petugas.diskominfo@example.com", password=PASSWORD)
    agency_name = official.agency.name
    # Residents of some standing: new accounts may post only every few seconds.
    joined = utcnow() - NEW_ACCOUNT_AGE - timedelta(days=1)
    resident = make_user(email="siti.rahma@example.com", password=PASSWORD, created_at=joined)
    neighbour = make_user(email="budi.santoso@example.com", password=PASSWORD, created_at=joined)

    log_in(nojs_page, live_server, t, official)
    policy_id = draft_and_publish(nojs_page, open_nojs_page(), live_server, t)

    # Another resident has already spoken (set up through the service, not under test here).
    other = "Layanan digital sangat membantu warga yang bekerja di Jakarta."
    comment_service.post_comment(neighbour, stored_policy(), body=other, stance="support")

    resident_page = open_nojs_page()
    log_in(resident_page, live_server, t, resident)
    opinion = take_part(resident_page, live_server, t, policy_id, other)
    # The neighbour answers the resident too, before the official does.
    mine = db.session.scalars(db.select(Comment).where(Comment.body_source == opinion)).one()
    comment_service.post_comment(neighbour, stored_policy(), body="Saya kurang setuju, lima tahun wajar.",
                                 stance="", parent_id=mine.id)

    respond_version_close_and_report(nojs_page, live_server, t, policy_id, opinion, agency_name)

    # The resident: the unread count in the header, then what happened since the comment.
    db.session.rollback()
    unread = db.session.scalar(db.select(db.func.count()).select_from(Notification).where(
        Notification.user_id == resident.id, Notification.read_at.is_(None)))
    assert unread == 5  # the five events listed below, nothing twice
    resident_page.goto(live_server("/"))
    resident_page.locator("header").get_by_role("link", name=t("Notifications (%(count)d)", count=unread)).click()
    notices = resident_page.locator("main")
    for sentence in (
        t('%(name)s replied to your comment on "%(title)s".', name=neighbour.display_name, title=TITLE),
        t('An official response was given to your comment on "%(title)s".', title=TITLE),
        t('A new version of "%(title)s" was published.', title=TITLE),
        t('The consultation "%(title)s" is closed.', title=TITLE),
        t('The outcome of the consultation "%(title)s" was published.', title=TITLE),
    ):
        expect(notices.get_by_role("listitem").filter(has_text=sentence)).to_have_count(1)

    resident_page.get_by_role("button", name=t("Mark all as read")).click()
    expect(resident_page.locator("header").get_by_role("link", name=t("Notifications"), exact=True)).to_be_visible()
    resident_page.get_by_role("link", name=t('An official response was given to your comment on "%(title)s".',
                                             title=TITLE)).click()
    expect(resident_page).to_have_url(re.compile(re.escape(live_server(f"/konsultasi/{policy_id}"))))
    expect(resident_page.locator("main")).to_contain_text(OFFICIAL_ANSWER)

    # The consultation is read-only now, with its outcome.
    resident_page.goto(live_server(f"/konsultasi/{policy_id}"))
    expect(resident_page.get_by_role("status").filter(has_text=t("This consultation is closed."))).to_be_visible()
    expect(resident_page.locator("main")).to_contain_text(t("Outcome: what we heard and what changed"))
    expect(resident_page.get_by_role("button", name=t("Send comment"))).to_have_count(0)
    expect(resident_page.get_by_role("button", name=t("I support this draft"))).to_have_count(0)
    expect(resident_page.get_by_role("link", name=t("Reply"))).to_have_count(0)
    expect(resident_page.get_by_role("region", name=t("Your comment"))).to_contain_text(
        t("Comments are not accepted at this time."))
