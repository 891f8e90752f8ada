"""The consultation page cache: every change shows on the very next request, nothing per viewer is shared.

Each test renders the page once (so it is kept), changes something the way
the application does (a service, or a plain ORM change as moderation code
might make), and reads the page again: the change must be there.
"""
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from forum import activity
from forum.extensions import db
from forum.models import Agency, Comment, Content, ContentActivity, ContentStatus, Policy
from forum.models.activity import EVERY_PAGE
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
