"""The consultation page and list caches: every change shows on the very next request, nothing per viewer is shared.

Each test renders the page (or the list) once, so it is kept, changes
something the way the application does (a service, or a plain ORM change as
moderation code might make), and reads it again: the change must be there.
"""
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from forum import activity
from forum.extensions import db
from forum.consultations import routes as consultation_routes
from forum.models import Agency, Category, Comment, Content, ContentActivity, ContentStatus, Policy, PolicyPhase
from forum.models.activity import ASPIRATION_LISTS, CONSULTATION_LISTS, EVERY_PAGE
from forum.services import comments as comment_service
from forum.services import policies as policy_service
from forum.services import votes as vote_service
from forum.timeutil import utcnow
from tests.factories import make_comment, make_policy, no_post_rate  # noqa: F401  (no_post_rate: a fixture)

pytestmark = pytest.mark.usefixtures("no_post_rate", "english")


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")


@pytest.fixture
def policy(agency):
    return make_policy(agency, title="Rancangan Perwali Parkir")


def page(client, policy_id, query=""):
    response = client.get(f"/konsultasi/{policy_id}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def kept(app):
    return app.extensions["page_cache"]


def revision(content_id):
    row = db.session.get(ContentActivity, content_id)
    return row.revision if row is not None else None


# -- invalidation: what the services do --------------------------------------------------
def test_a_new_comment_shows_at_once(client, policy, resident):
    assert "Sepakat soal tarif parkir" not in page(client, policy.id)
    comment_service.post_comment(resident, policy, body="Sepakat soal tarif parkir", stance="support")
    assert "Sepakat soal tarif parkir" in page(client, policy.id)


def test_votes_on_comments_and_on_the_policy_show_at_once(client, policy, resident, make_user):
    comment = make_comment(policy, make_user())
    assert "Helpful: 0, not helpful: 0" in page(client, policy.id)
    vote_service.vote_on_content(resident, comment, "down")
    assert "Helpful: 0, not helpful: 1" in page(client, policy.id)
    assert "0 support, 0 oppose" in page(client, policy.id)
    vote_service.vote_on_policy(resident, db.session.get(Policy, policy.id), "support")
    assert "1 support, 0 oppose" in page(client, policy.id)


def test_edit_and_delete_show_at_once(client, policy, resident):
    comment = comment_service.post_comment(resident, policy, body="Teks pertama", stance="neutral")
    assert "Teks pertama" in page(client, policy.id)
    comment_service.edit_comment(resident, comment, "Teks yang diperbaiki")
    text = page(client, policy.id)
    assert "Teks yang diperbaiki" in text and "Teks pertama" not in text
    comment_service.delete_comment(resident, db.session.get(Comment, comment.id))
    text = page(client, policy.id)
    assert "Teks yang diperbaiki" not in text and "Deleted by the author." in text


@pytest.mark.parametrize("status", [ContentStatus.HIDDEN, ContentStatus.REMOVED])
def test_a_moderation_decision_made_through_the_session_shows_at_once(client, policy, make_user, status):
    """Moderation code need not call anything: changing the row is enough."""
    comment = make_comment(policy, make_user(), body="Komentar yang dilaporkan")
    assert "Komentar yang dilaporkan" in page(client, policy.id)
    db.session.get(Comment, comment.id).status = status
    db.session.commit()
    assert "Komentar yang dilaporkan" not in page(client, policy.id)


def test_a_new_version_closing_and_the_outcome_show_at_once(client, policy, official):
    assert "(version 1)" in page(client, policy.id)
    sections = [{"heading": s.heading, "body": s.body_source, "clause_key": s.clause_key}
                for s in policy.current_version.sections]
    policy_service.publish_new_version(official, policy, sections=sections, change_note="Perbaikan")
    assert "(version 2)" in page(client, policy.id)
    policy_service.close_policy(official, db.session.get(Policy, policy.id))
    assert "This consultation is closed." in page(client, policy.id)
    policy_service.publish_outcome(official, db.session.get(Policy, policy.id), outcome="Tarif tidak naik.")
    assert "Tarif tidak naik." in page(client, policy.id)


def test_closing_on_time_shows_on_the_next_read(client, policy):
    assert "This consultation is closed." not in page(client, policy.id)
    # A clock moving past closes_at, as an UPDATE the session never sees.
    db.session.execute(update(Policy.__table__).where(Policy.__table__.c.id == policy.id)
                       .values(closes_at=utcnow() - timedelta(minutes=1), opens_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    assert "This consultation is closed." in page(client, policy.id)


def test_author_and_agency_names_show_at_once(client, policy, agency, make_user):
    author = make_user(display_name="Budi Santoso")
    make_comment(policy, author)
    assert "Budi Santoso" in page(client, policy.id)
    author.display_name = "Budi S."
    db.session.get(Agency, agency.id).name = "Dinas Perhubungan Baru"
    db.session.commit()
    text = page(client, policy.id)
    assert "Budi S." in text and "Budi Santoso" not in text and "Dinas Perhubungan Baru" in text


@pytest.mark.no_search_verify  # the UPDATE bypasses the search outbox as much as the session hook
def test_touch_covers_statements_the_session_cannot_see(client, policy, make_user):
    comment = make_comment(policy, make_user(), body="Akan disembunyikan")
    assert "Akan disembunyikan" in page(client, policy.id)
    content = Content.__table__
    db.session.execute(update(content).where(content.c.id == comment.id).values(status=ContentStatus.HIDDEN))
    activity.touch(policy.id)
    db.session.commit()
    assert "Akan disembunyikan" not in page(client, policy.id)


def test_a_rolled_back_change_keeps_the_revision(policy, resident):
    before = revision(policy.id)
    make_comment(policy, resident)
    after_comment = revision(policy.id)
    assert after_comment not in (None, before)
    db.session.get(Policy, policy.id).title = "Judul yang tidak jadi"
    db.session.flush()
    db.session.rollback()
    assert revision(policy.id) == after_comment


def test_a_vote_on_a_comment_changes_its_policy_and_reference_data_every_page(policy, resident, make_user, agency):
    comment = make_comment(policy, make_user())
    before = revision(policy.id)
    vote_service.vote_on_content(resident, comment, "up")
    assert revision(policy.id) != before
    reference = db.session.get(Agency, agency.id)
    original = reference.short_name
    reference.short_name = "DISHUB"
    db.session.commit()
    try:
        assert revision(EVERY_PAGE) is not None
    finally:  # reference tables are shared by every test: put it back
        reference.short_name = original
        db.session.commit()


# -- what is kept, and for whom -----------------------------------------------------------
def _queries(client, url):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_a_visitor_served_from_the_cache_costs_one_query(client, policy, make_user):
    for _ in range(30):
        make_comment(policy, make_user())
    first = _queries(client, f"/konsultasi/{policy.id}")
    assert _queries(client, f"/konsultasi/{policy.id}") == 1 < first


def test_a_due_phase_is_still_refreshed_on_read(client, policy, official):
    """The page's one query also asks whether a consultation is due to close; then it closes it."""
    other = make_policy(official.agency, closes_at=utcnow() + timedelta(hours=1))
    assert page(client, policy.id)
    db.session.execute(update(Policy.__table__).where(Policy.__table__.c.id == other.id)
                       .values(closes_at=utcnow() - timedelta(minutes=1), opens_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    assert page(client, policy.id)
    assert db.session.get(Policy, other.id).phase == "closed"


def test_visitor_pages_set_no_cookie(client, policy):
    for url in ("/", "/konsultasi/", f"/konsultasi/{policy.id}", f"/konsultasi/{policy.id}"):
        response = client.get(url)
        assert response.status_code == 200 and "Set-Cookie" not in response.headers, url


def test_visitors_switch_language_without_a_token(make_app):
    protected = make_app(WTF_CSRF_ENABLED=True)
    response = protected.test_client().post("/bahasa", data={"lang": "en", "next": "/tentang"})
    assert response.status_code == 302 and response.headers["Set-Cookie"].startswith("lang=en;")


def test_own_votes_controls_and_tokens_stay_with_their_viewer(app, make_app, policy, make_user, login):
    protected = make_app(WTF_CSRF_ENABLED=True)
    author, voter, other = make_user(), make_user(), make_user()
    comment = make_comment(policy, author, body="Komentar bersama")
    vote_service.vote_on_content(voter, comment, "up")
    pages = {}
    for user in (voter, other, author):
        client = login(user, on=protected.test_client())
        client.set_cookie("lang", "en")
        pages[user] = page(client, policy.id)
    tokens = {user: set(re.findall(r'name="csrf_token" value="([^"]+)"', text)) for user, text in pages.items()}
    assert all(len(found) == 1 for found in tokens.values())
    assert len(set.union(*tokens.values())) == 3  # one token per viewer, none shared
    assert 'value="clear" class="link-button" aria-pressed="true">Helpful' in pages[voter]
    assert "aria-pressed" not in pages[other].split('id="comments"')[1]
    edit_link = f"/konsultasi/komentar/{comment.id}/ubah"
    assert edit_link in pages[author] and edit_link not in pages[voter]
    assert f"/konsultasi/komentar/{comment.id}/nilai" not in pages[author]  # nobody rates their own comment
    stored = " ".join(str(value) for value in kept(protected)._entries.values())
    assert not any(token in stored for found in tokens.values() for token in found)


def test_a_held_comment_shows_only_to_its_author_with_a_kept_page(client, policy, resident, make_user, login):
    make_comment(policy, make_user(), body="Komentar umum")
    assert "Komentar umum" in page(client, policy.id)  # kept for everyone
    make_comment(policy, resident, body="Komentar tertahan", status=ContentStatus.PENDING)
    assert "Komentar tertahan" not in page(client, policy.id)
    login(resident)
    text = page(client, policy.id)
    assert "Komentar tertahan" in text and "Awaiting review: only you can see this comment for now." in text
    login(make_user())
    assert "Komentar tertahan" not in page(client, policy.id)


def test_the_cache_can_be_turned_off(make_app, agency, resident):
    uncached = make_app(PAGE_CACHE_ENTRIES=0)
    policy_id = make_policy(agency).id
    assert uncached.test_client().get(f"/konsultasi/{policy_id}").status_code == 200
    assert not kept(uncached)._entries


# -- the consultation list ------------------------------------------------------------------
def listing(client, query=""):
    response = client.get(f"/konsultasi/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_visitor_gets_the_list_from_the_cache_after_one_query(client, policy, agency):
    for _ in range(25):
        make_policy(agency)
    first = _queries(client, "/konsultasi/?sort=newest")
    assert _queries(client, "/konsultasi/?sort=newest") == 1 < first  # the list's revisions, no policy rows


def test_publishing_editing_closing_and_removing_a_policy_show_on_the_list_at_once(client, agency, official):
    draft = make_policy(agency, phase=PolicyPhase.DRAFT, title="Rancangan Perwali Pasar")
    assert "Rancangan Perwali Pasar" not in listing(client)
    policy_service.publish_policy(official, draft)
    assert "Rancangan Perwali Pasar" in listing(client)
    db.session.get(Policy, draft.id).title = "Rancangan Perwali Pasar Rakyat"
    db.session.commit()
    assert "Rancangan Perwali Pasar Rakyat" in listing(client)
    policy_service.close_policy(official, db.session.get(Policy, draft.id))
    assert "<strong>Closed</strong>" in listing(client)
    db.session.get(Policy, draft.id).status = ContentStatus.REMOVED
    db.session.commit()
    assert "Rancangan Perwali Pasar" not in listing(client)


def test_comments_and_votes_show_on_the_list_at_once(client, policy, resident, make_user):
    text = listing(client)
    assert re.search(r"\b0 comments\b", text) and "0 support, 0 oppose" in text
    comment_service.post_comment(resident, policy, body="Sepakat soal tarif parkir", stance="support")
    assert re.search(r"\b1 comment\b", listing(client))
    vote_service.vote_on_policy(make_user(), db.session.get(Policy, policy.id), "oppose")
    assert "0 support, 1 oppose" in listing(client)


def test_only_what_the_lists_show_changes_their_revisions(policy, resident, make_user):
    """A vote on a comment changes its policy's page, not the lists; a vote on the policy changes its list."""
    comment = make_comment(policy, make_user())
    before = revision(CONSULTATION_LISTS), revision(ASPIRATION_LISTS)
    vote_service.vote_on_content(resident, comment, "up")
    assert (revision(CONSULTATION_LISTS), revision(ASPIRATION_LISTS)) == before
    vote_service.vote_on_policy(resident, db.session.get(Policy, policy.id), "support")
    assert revision(CONSULTATION_LISTS) != before[0] and revision(ASPIRATION_LISTS) == before[1]


def test_closing_on_time_shows_on_the_list_at_once(client, policy):
    assert "<strong>Closed</strong>" not in listing(client)
    # A clock moving past closes_at, as an UPDATE the session never sees: the list's read closes it.
    db.session.execute(update(Policy.__table__).where(Policy.__table__.c.id == policy.id)
                       .values(closes_at=utcnow() - timedelta(minutes=1), opens_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    assert "<strong>Closed</strong>" in listing(client)
    assert db.session.get(Policy, policy.id).phase == PolicyPhase.CLOSED


def test_the_list_follows_the_clock(client, agency, monkeypatch):
    """Opening and the days left change with no write: the kept list is keyed by the minute."""
    now = utcnow()
    upcoming = make_policy(agency, opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=10, hours=1))
    assert "<strong>Opens on" in listing(client)
    assert upcoming.title in listing(client, "?status=upcoming")
    monkeypatch.setattr(consultation_routes, "utcnow", lambda: now + timedelta(hours=2))
    assert "<strong>Open: 9 days left</strong>" in listing(client)
    assert upcoming.title not in listing(client, "?status=upcoming")
    monkeypatch.setattr(consultation_routes, "utcnow", lambda: now + timedelta(days=3, hours=2))
    assert "<strong>Open: 6 days left</strong>" in listing(client)


def test_a_renamed_category_shows_on_the_list_at_once(client, policy):
    category = db.session.get(Category, policy.category_id)
    original = category.name_en
    assert original in listing(client)
    category.name_en = "Parking and Transport Matters"
    db.session.commit()
    try:
        assert "Parking and Transport Matters" in listing(client)
    finally:  # reference tables are shared by every test: put it back
        category = db.session.get(Category, policy.category_id)
        category.name_en = original
        db.session.commit()


def test_each_language_has_its_own_kept_list(client, policy):
    assert "<h1>Consultations</h1>" in listing(client)
    client.set_cookie("lang", "id")
    assert "<h1>Konsultasi publik</h1>" in listing(client)
    client.set_cookie("lang", "en")
    assert "<h1>Consultations</h1>" in listing(client)


def test_filters_and_pages_are_kept_apart(app, client, agency, policy):
    closed = make_policy(agency, phase=PolicyPhase.CLOSED, title="Rancangan yang sudah ditutup")
    for _ in range(consultation_routes.LIST_PAGE_SIZE):
        make_policy(agency)
    assert closed.title not in listing(client, "?status=open")
    assert closed.title in listing(client, "?status=closed")
    assert closed.title not in listing(client)  # closed ones come last: on page 2
    assert closed.title in listing(client, "?page=2")
    assert len([key for key in kept(app)._entries if key[0] == "visitor"]) == 4


def test_a_signed_in_user_never_gets_the_visitors_list(app, client, policy, resident, login):
    assert "Log in" in listing(client)
    stored = list(kept(app)._entries)
    login(resident)
    text = listing(client)
    assert "Log out" in text and "Log in" not in text
    assert list(kept(app)._entries) == stored  # nothing kept for them either
    client.delete_cookie("session")
    assert "Log in" in listing(client)
