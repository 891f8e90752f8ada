"""forum.services.comments without HTTP: the rules of posting, replying, editing, deleting, responding."""
from datetime import timedelta

import pytest

from forum.errors import Conflict, Forbidden, ValidationFailed
from forum.extensions import db
from forum.models import (
    Agency,
    Comment,
    CommentRevision,
    ContentStatus,
    Follow,
    Notification,
    PolicyPhase,
    Role,
)
from forum.services import comments as service
from forum.timeutil import utcnow
from moderation.models import ModerationSetting
from moderation.screen import invalidate_cache
from tests.factories import (
    counted_rows,
    counters,
    make_comment,
    make_policy,
    no_post_rate,  # noqa: F401  (a fixture used by pytestmark)
)

pytestmark = pytest.mark.usefixtures("no_post_rate")


@pytest.fixture
def policy(agency):
    return make_policy(agency)


def comment_rows():
    return db.session.scalar(db.select(db.func.count()).select_from(Comment))


def test_root_comment_on_a_clause_counts_everywhere(policy, resident):
    section = policy.current_version.sections[1]
    comment = service.post_comment(resident, policy, body="  Saya setuju pasal ini.  ", stance="support",
                                   section_id=section.id)
    assert comment.status == ContentStatus.PUBLISHED
    assert comment.body_source == "Saya setuju pasal ini."
    assert (comment.depth, comment.root_id, comment.section_id) == (0, None, section.id)
    assert comment.version_id == policy.current_version.id
    assert counters(policy) == counted_rows(policy)
    assert counters(policy)["sections"][section.id] == (1, 1, 0, 0)
    assert db.session.scalar(db.select(db.func.count()).select_from(Follow).where(
        Follow.user_id == resident.id, Follow.content_id == policy.id)) == 1


@pytest.mark.parametrize("phase, opens_in", [
    (PolicyPhase.CLOSED, -1), (PolicyPhase.FINAL, -1), (PolicyPhase.DRAFT, -1), (PolicyPhase.OPEN, 2),
])
def test_only_an_open_consultation_takes_comments(agency, resident, phase, opens_in):
    now = utcnow()
    policy = make_policy(agency, phase=phase, opens_at=now + timedelta(days=opens_in),
                         closes_at=now + timedelta(days=10))
    with pytest.raises(Conflict) as caught:
        service.post_comment(resident, policy, body="Komentar", stance="neutral")
    assert caught.value.status == 409 and caught.value.code == "closed"
    assert comment_rows() == 0


def test_window_passed_counts_as_closed(agency, resident):
    now = utcnow()
    policy = make_policy(agency, opens_at=now - timedelta(days=5), closes_at=now - timedelta(minutes=1))
    with pytest.raises(Conflict):
        service.post_comment(resident, policy, body="Terlambat", stance="oppose")


def test_clause_of_another_policy_or_an_older_version_is_refused(agency, resident):
    policy = make_policy(agency, versions=2)
    other = make_policy(agency)
    old_clause = policy.versions[0].sections[0]
    for section_id in (other.current_version.sections[0].id, old_clause.id, 999999, "abc"):
        with pytest.raises(ValidationFailed) as caught:
            service.post_comment(resident, policy, body="Komentar", stance="support", section_id=section_id)
        assert "section_id" in caught.value.fields
    assert comment_rows() == 0


def test_reply_to_a_comment_of_another_policy_is_refused(agency, resident):
    policy, other = make_policy(agency), make_policy(agency)
    foreign = make_comment(other, resident)
    with pytest.raises(ValidationFailed) as caught:
        service.post_comment(resident, policy, body="Balasan", stance=None, parent_id=foreign.id)
    assert "parent_id" in caught.value.fields
    assert comment_rows() == 1


def test_fourth_level_reply_attaches_at_the_third_level(policy, resident, make_user):
    other = make_user()
    root = service.post_comment(resident, policy, body="Akar", stance="support")
    first = service.post_comment(other, policy, body="Balasan 1", stance=None, parent_id=root.id)
    second = service.post_comment(resident, policy, body="Balasan 2", stance="oppose", parent_id=first.id)
    fourth = service.post_comment(other, policy, body="Balasan 3", stance=None, parent_id=second.id)
    assert (first.depth, second.depth, fourth.depth) == (1, 2, 2)
    assert fourth.parent_id == first.id and fourth.root_id == root.id == second.root_id
    db.session.expire_all()
    assert db.session.get(Comment, first.id).reply_count == 2
    assert db.session.get(Comment, root.id).reply_count == 1
    assert counters(policy) == counted_rows(policy)
    # The author of the comment replied to hears of it; nobody hears of their own reply.
    told = db.session.execute(db.select(Notification.user_id, Notification.content_id).where(
        Notification.event == "reply").order_by(Notification.id)).all()
    assert told == [(resident.id, first.id), (other.id, second.id)]


@pytest.mark.parametrize("body", ["", "   \n\t ", "\x00\x00", "x" * 20000, "y" * 5001])
def test_empty_or_overlong_body_is_refused(policy, resident, body):
    with pytest.raises(ValidationFailed) as caught:
        service.post_comment(resident, policy, body=body, stance="neutral")
    assert "body" in caught.value.fields
    assert comment_rows() == 0
    assert counters(policy)["comment_count"] == 0


def test_five_thousand_characters_are_accepted(policy, resident):
    assert len(service.post_comment(resident, policy, body="z" * 5000, stance="neutral").body_source) == 5000


@pytest.mark.parametrize("stance", ["agree", "SUPPORT", "", None, "netral"])
def test_root_comment_needs_one_of_the_three_stances(policy, resident, stance):
    with pytest.raises(ValidationFailed) as caught:
        service.post_comment(resident, policy, body="Komentar", stance=stance)
    assert "stance" in caught.value.fields
    assert comment_rows() == 0


def test_reply_may_omit_stance_but_not_misspell_it(policy, resident):
    root = make_comment(policy, resident)
    assert service.post_comment(resident, policy, body="Balas", stance="", parent_id=root.id).stance is None
    with pytest.raises(ValidationFailed):
        service.post_comment(resident, policy, body="Balas", stance="maybe", parent_id=root.id)


@pytest.mark.parametrize("fields", [{"email_verified_at": None}, {"state": "silenced"}])
def test_unverified_or_silenced_accounts_cannot_write(policy, make_user, fields):
    user = make_user(Role.RESIDENT, **fields)
    with pytest.raises(Forbidden) as caught:
        service.post_comment(user, policy, body="Komentar", stance="support")
    assert caught.value.message
    assert comment_rows() == 0


def test_held_comment_is_pending_and_not_counted(policy, resident):
    ModerationSetting.put(ModerationSetting.HOLD_ALL, True)
    db.session.commit()
    invalidate_cache()
    comment = service.post_comment(resident, policy, body="Mohon ditinjau", stance="oppose")
    assert comment.status == ContentStatus.PENDING
    assert comment.verdict.author_messages()
    assert counters(policy)["comment_count"] == 0 == counted_rows(policy)["comment_count"]


def test_edit_within_fifteen_minutes_keeps_the_old_text(policy, resident):
    comment = service.post_comment(resident, policy, body="Teks awal", stance="support")
    service.edit_comment(resident, comment, "Teks baru")
    db.session.expire_all()
    comment = db.session.get(Comment, comment.id)
    assert comment.body_source == "Teks baru" and "Teks baru" in comment.body_html
    assert comment.edited_at is not None
    assert [revision.body_source for revision in comment.revisions] == ["Teks awal"]


def test_edit_after_the_window_or_of_another_persons_comment_is_refused(policy, resident, make_user):
    late = make_comment(policy, resident, created_at=utcnow() - timedelta(minutes=16))
    with pytest.raises(Forbidden):
        service.edit_comment(resident, late, "Terlambat")
    fresh = make_comment(policy, resident)
    with pytest.raises(Forbidden):
        service.edit_comment(make_user(), fresh, "Bukan milik saya")
    with pytest.raises(ValidationFailed):
        service.edit_comment(resident, fresh, "   ")
    assert db.session.scalar(db.select(db.func.count()).select_from(CommentRevision)) == 0
    db.session.expire_all()
    assert db.session.get(Comment, fresh.id).body_source == "Komentar warga."


def test_delete_leaves_a_tombstone_and_uncounts(policy, resident, make_user):
    section = policy.current_version.sections[0]
    root = service.post_comment(resident, policy, body="Akar", stance="oppose", section_id=section.id)
    reply = service.post_comment(make_user(), policy, body="Balas", stance=None, parent_id=root.id)
    service.delete_comment(resident, root)
    db.session.expire_all()
    assert db.session.get(Comment, root.id).status == ContentStatus.DELETED
    assert counters(policy) == counted_rows(policy)
    assert counters(policy)["comment_count"] == 1
    reply = db.session.get(Comment, reply.id)
    with pytest.raises(Forbidden):
        service.delete_comment(resident, reply)
    with pytest.raises(Forbidden):
        service.delete_comment(resident, db.session.get(Comment, root.id))


def test_official_response_is_badged_and_allowed_when_closed(agency, official, resident):
    policy = make_policy(agency, phase=PolicyPhase.CLOSED)
    question = make_comment(policy, resident)
    answer = service.post_official_response(official, policy, body="Terima kasih, kami tinjau.",
                                            comment_id=question.id)
    assert answer.is_official_response and answer.agency_id == agency.id
    assert answer.parent_id == question.id and answer.stance is None
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification).where(
        Notification.user_id == resident.id, Notification.event == "official_response")) == 1
    clause = service.post_official_response(official, policy, body="Tentang pasal 2",
                                            section_id=policy.current_version.sections[1].id)
    assert clause.depth == 0 and clause.section_id == policy.current_version.sections[1].id
    assert counters(policy) == counted_rows(policy)


def test_only_officials_of_the_owning_agency_respond(agency, make_user, resident):
    policy = make_policy(agency)
    elsewhere = Agency.query.filter(Agency.id != agency.id).first()
    for user in (resident, make_user(Role.OFFICIAL, agency=elsewhere)):
        with pytest.raises(Forbidden):
            service.post_official_response(user, policy, body="Jawaban")
    draft = make_policy(agency, phase=PolicyPhase.DRAFT)
    with pytest.raises(Conflict):
        service.post_official_response(make_user(Role.OFFICIAL), draft, body="Jawaban")
    assert comment_rows() == 0


def test_comment_page_threads_and_filters(policy, resident, official):
    section = policy.current_version.sections[0]
    older = make_comment(policy, resident, stance="oppose", section=section,
                         created_at=utcnow() - timedelta(hours=2))
    reply = make_comment(policy, resident, parent=older, stance=None)
    answer = make_comment(policy, official, parent=older, stance=None, official=True)
    newer = make_comment(policy, resident, stance="support")
    page = service.comment_page(policy, None)
    assert [c.id for c in page.roots] == [newer.id, older.id]
    assert [c.id for c in page.replies[older.id]] == [answer.id, reply.id]
    assert [c.id for c in service.comment_page(policy, None, sort="official").roots] == [older.id, newer.id]
    assert [c.id for c in service.comment_page(policy, None, stance="support").roots] == [newer.id]
    assert [c.id for c in service.comment_page(policy, None, section_id=section.id).roots] == [older.id]


def test_pending_comment_shows_only_to_its_author(policy, resident, make_user):
    held = make_comment(policy, resident, status=ContentStatus.PENDING)
    assert [c.id for c in service.comment_page(policy, resident).roots] == [held.id]
    assert service.comment_page(policy, make_user()).roots == []
    assert service.comment_page(policy, None).roots == []


def test_comment_page_paginates_twenty_roots(policy, resident):
    for number in range(21):
        make_comment(policy, resident, body=f"Komentar {number}")
    first, second = service.comment_page(policy, None), service.comment_page(policy, None, page=2)
    assert len(first.roots) == 20 and first.has_next and not first.has_prev
    assert len(second.roots) == 1 and not second.has_next and second.has_prev
