"""Flags, the review queue, decisions, sanctions, appeals and the audit log, through the services.

Real database, real services; each test states one rule of issue 5.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.errors import Conflict, Forbidden, RateLimited, ValidationFailed
from forum.extensions import db
from forum.models import AccountState, Comment, ContentStatus, Notification, Role
from forum.permissions import may_write
from forum.services import comments as comment_service
from forum.timeutil import utcnow
from moderation import appeals, audit, decisions, flags, sanctions
from moderation.models import AuditEntry, Flag, Queue, ReviewItem
from moderation.queue import queue_page
from tests.factories import counted_rows, make_comment, make_policy, no_post_rate  # noqa: F401


@pytest.fixture
def policy(agency):
    return make_policy(agency)


@pytest.fixture
def posted(policy, resident):
    return make_comment(policy, resident, body="Jalan di depan rumah saya rusak parah.")


def _residents(make_user, count):
    return [make_user(Role.RESIDENT) for _ in range(count)]


def _events(user):
    return [n.event for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))]


# -- flags ---------------------------------------------------------------------------
def test_three_flags_hide_the_comment_update_counters_and_tell_the_author(make_user, policy, posted, resident):
    flaggers = _residents(make_user, 3)
    flags.flag_content(flaggers[0], posted, "spam")
    flags.flag_content(flaggers[1], posted, "abusive")
    assert posted.status == ContentStatus.PUBLISHED
    flags.flag_content(flaggers[2], posted, "spam")
    db.session.expire_all()
    assert posted.status == ContentStatus.HIDDEN
    assert posted.flag_count == 3
    assert counted_rows(policy)["comment_count"] == policy.comment_count == 0
    item = db.session.scalars(select(ReviewItem)).one()
    assert item.queue == Queue.HIDDEN and item.score == 3.0 and item.flag_count == 3
    assert "content_auto_hidden" in _events(resident)
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "content.auto_hidden"))


def test_a_moderators_flag_reaches_the_threshold_at_once(moderator, posted):
    flags.flag_content(moderator, posted, "sara")
    db.session.expire_all()
    assert posted.status == ContentStatus.HIDDEN


def test_officials_responses_are_never_hidden_by_residents_flags(make_user, policy, official):
    response = make_comment(policy, official, body="Jawaban resmi dinas.", stance=None, official=True)
    for flagger in _residents(make_user, 5):
        flags.flag_content(flagger, response, "hoax")
    db.session.expire_all()
    assert response.status == ContentStatus.PUBLISHED
    assert db.session.scalars(select(ReviewItem)).one().queue == Queue.FLAGGED


def test_flag_bad_input(make_user, resident, posted, moderator):
    other = make_user(Role.RESIDENT)
    with pytest.raises(Forbidden):
        flags.flag_content(resident, posted, "spam")  # own content
    with pytest.raises(ValidationFailed) as unknown:
        flags.flag_content(other, posted, "boring")
    assert "reason" in unknown.value.fields
    with pytest.raises(ValidationFailed) as no_note:
        flags.flag_content(other, posted, "other", "")
    assert "note" in no_note.value.fields
    flags.flag_content(other, posted, "spam")
    with pytest.raises(Conflict) as second:
        flags.flag_content(other, posted, "abusive")
    assert second.value.code == "already_flagged"
    assert db.session.scalar(select(db.func.count()).select_from(Flag)) == 1
    item = db.session.scalars(select(ReviewItem)).one()
    decisions.decide(moderator, item.id, "remove", reason="Spam")
    with pytest.raises(Conflict) as removed:
        flags.flag_content(make_user(Role.RESIDENT), posted, "spam")
    assert removed.value.code == "removed"


def test_at_most_twenty_flags_a_day(app, make_user, policy):
    app.config["MODERATION_FLAGS_PER_DAY"] = 2
    author, flagger = make_user(Role.RESIDENT), make_user(Role.RESIDENT)
    targets = [make_comment(policy, author, body=f"Komentar {n}") for n in range(3)]
    flags.flag_content(flagger, targets[0], "spam")
    flags.flag_content(flagger, targets[1], "spam")
    with pytest.raises(RateLimited):
        flags.flag_content(flagger, targets[2], "spam")


def test_flagger_weight_follows_their_record(make_user, policy, moderator):
    flagger = make_user(Role.RESIDENT)
    author = make_user(Role.RESIDENT)
    assert flags.flagger_weight(flagger) == 1.0
    for n in range(3):
        target = make_comment(policy, author, body=f"Komentar {n}")
        flags.flag_content(flagger, target, "spam")
        item = db.session.scalars(select(ReviewItem).where(ReviewItem.content_id == target.id)).one()
        decisions.decide(moderator, item.id, "ignore_flags")
    assert flags.flagger_weight(flagger) == 0.5


# -- decisions -------------------------------------------------------------------------
def test_second_decision_is_told_who_decided_and_nothing_is_applied_twice(make_user, moderator, posted, policy):
    other_moderator = make_user(Role.MODERATOR, display_name="Moderator Dua")
    flags.flag_content(moderator, posted, "spam")
    item = db.session.scalars(select(ReviewItem)).one()
    version = item.version
    decisions.decide(other_moderator, item.id, "remove", reason="Iklan", version=version)
    with pytest.raises(Conflict) as conflict:
        decisions.decide(moderator, item.id, "restore", reason="Salah", version=version)
    assert conflict.value.code == "already_decided"
    assert "Moderator Dua" in str(conflict.value.message)
    db.session.expire_all()
    assert posted.status == ContentStatus.REMOVED and posted.status_reason == "Iklan"
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action.like("decision.%"))) == 1


def test_held_comment_is_queued_and_approval_publishes_and_counts_it(app, watch, resident, moderator, policy,
                                                                       no_post_rate):
    watch(("kampanye", "hold"))
    comment = comment_service.post_comment(resident, policy, body="Ini soal kampanye pilkada.", stance="support")
    assert comment.status == ContentStatus.PENDING
    page = queue_page("pending")
    assert [item.content_id for item in page.items] == [comment.id]
    assert "moderation_held" in _events(moderator)
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.content_id == comment.id)) == "screen.hold"
    decisions.decide(moderator, page.items[0].id, "approve")
    db.session.expire_all()
    assert comment.status == ContentStatus.PUBLISHED
    assert counted_rows(policy)["comment_count"] == policy.comment_count == 1
    assert "content_approved" in _events(resident)


def test_rejected_and_masked_submissions_are_in_the_audit_log(watch, resident, policy, no_post_rate):
    watch(("bangsat", "reject"))
    with pytest.raises(ValidationFailed):
        comment_service.post_comment(resident, policy, body="Dasar bangsat semua.", stance="support")
    rejected = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "screen.reject")).one()
    assert rejected.subject_user_id == resident.id and rejected.content_id is None
    assert db.session.scalar(select(db.func.count()).select_from(Comment)) == 0
    comment = comment_service.post_comment(resident, policy, body="Telepon saya di 081234567890 ya.",
                                           stance="support")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.content_id == comment.id)).one()
    assert entry.action == "screen.mask"
    assert "081234567890" in entry.before and "081234567890" not in comment.body_source


def test_edit_and_approve_keeps_before_and_after(moderator, make_user, posted):
    flags.flag_content(make_user(Role.RESIDENT), posted, "personal_data")
    item = db.session.scalars(select(ReviewItem)).one()
    decisions.decide(moderator, item.id, "edit_approve", reason="Nomor telepon", text="Jalan rusak. [disamarkan]")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "decision.edit_approve")).one()
    assert entry.before == "Jalan di depan rumah saya rusak parah." and entry.after == "Jalan rusak. [disamarkan]"


def test_decision_needs_a_moderator_and_a_fitting_action(resident, moderator, make_user, posted):
    flags.flag_content(make_user(Role.RESIDENT), posted, "spam")
    item = db.session.scalars(select(ReviewItem)).one()
    with pytest.raises(Forbidden):
        decisions.decide(resident, item.id, "remove", reason="x")
    with pytest.raises(ValidationFailed):
        decisions.decide(moderator, item.id, "restore", reason="x")  # it is public
    with pytest.raises(ValidationFailed) as missing:
        decisions.decide(moderator, item.id, "remove")
    assert "reason" in missing.value.fields


# -- appeals -----------------------------------------------------------------------------
def test_author_appeals_once_and_is_told_the_outcome(resident, moderator, posted, make_user):
    flags.flag_content(moderator, posted, "abusive")
    item = db.session.scalars(select(ReviewItem)).one()
    decisions.decide(moderator, item.id, "remove", reason="Kasar")
    with pytest.raises(Forbidden):
        appeals.submit_appeal(make_user(Role.RESIDENT), posted, "Bukan saya")
    appeals.submit_appeal(resident, posted, "Saya tidak bermaksud kasar.")
    with pytest.raises(Conflict):
        appeals.submit_appeal(resident, posted, "Lagi")
    appeal_item = queue_page("appeals").items[0]
    decisions.decide(moderator, appeal_item.id, "restore", reason="Setelah ditinjau, tidak melanggar.")
    db.session.expire_all()
    assert posted.status == ContentStatus.PUBLISHED
    assert "appeal_decided" in _events(resident)
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "appeal.granted"))


def test_published_content_cannot_be_appealed(resident, posted):
    with pytest.raises(Conflict):
        appeals.submit_appeal(resident, posted, "Kenapa?")


# -- sanctions -----------------------------------------------------------------------------
def test_silence_makes_the_account_read_only_until_its_end(moderator, resident):
    assert sanctions.suggestion(resident) == ("warn", None)
    sanctions.impose(moderator, resident, "warn", "Jaga bahasa.")
    assert sanctions.suggestion(resident) == ("silence", 1)
    sanction = sanctions.impose(moderator, resident, "silence", "Berulang kali kasar.", days=3)
    assert resident.state == AccountState.SILENCED and not may_write(resident)
    sanction.ends_at = resident.state_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert may_write(resident)
    sanctions.expire_for(resident)
    assert resident.state == AccountState.ACTIVE


def test_lifting_and_bad_sanctions(moderator, resident, admin, make_user):
    with pytest.raises(ValidationFailed) as bad:
        sanctions.impose(moderator, resident, "silence", "", days=5)
    assert {"reason", "days"} <= set(bad.value.fields)
    with pytest.raises(Forbidden):
        sanctions.impose(moderator, admin, "ban", "Tidak boleh")
    with pytest.raises(Forbidden):
        sanctions.impose(resident, make_user(Role.RESIDENT), "warn", "Bukan moderator")
    ban = sanctions.impose(moderator, resident, "ban", "Spam berulang")
    assert resident.state == AccountState.BANNED
    sanctions.lift(moderator, ban.id, "Banding diterima")
    assert resident.state == AccountState.ACTIVE
    assert "sanction_lifted" in _events(resident)


# -- the audit log is append-only ---------------------------------------------------------------
def test_audit_entries_cannot_be_changed_or_deleted(resident):
    entry = audit.record("test.event", actor=resident, reason="first")
    db.session.commit()
    entry.reason = "changed"
    with pytest.raises(audit.AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(audit.AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
