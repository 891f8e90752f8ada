"""forum.services.aspirations without HTTP: submitting, each transition and who may make it, deadlines."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from forum.errors import Conflict, Forbidden, NotFound, ValidationFailed
from forum.extensions import db
from forum.models import Aspiration, AspirationEvent, Comment, Follow, Notification
from forum.services import aspirations as service
from forum.services.workdays import add_working_days
from forum.timeutil import CITY_ZONE, utcnow


def states(aspiration):
    return [event.to_state for event in db.session.scalars(
        select(AspirationEvent).where(AspirationEvent.aspiration_id == aspiration.id).order_by(AspirationEvent.id))]


def test_submit_creates_a_submitted_aspiration_followed_by_its_author(submit, resident):
    aspiration = submit()
    assert aspiration.state == "submitted"
    assert aspiration.kecamatan.code == "pondok-aren"
    assert aspiration.verify_due_at > aspiration.created_at
    assert states(aspiration) == ["submitted"]
    assert db.session.scalar(select(Follow.id).where(Follow.content_id == aspiration.id,
                                                     Follow.user_id == resident.id))
    assert not aspiration.is_public  # not before a moderator let it through


@pytest.mark.parametrize("field, value", [
    ("category", "no-such-topic"), ("district", "pondok-aren"), ("district", "nowhere.kelurahan"),
    ("visibility", "secret"), ("aspiration_type", "rumour"), ("title", "abc"), ("body", "   "),
    ("title", "x" * 201), ("location", "y" * 201), ("category", None), ("district", ["x"]),
])
def test_bad_fields_are_named_and_nothing_is_saved(submit, field, value):
    with pytest.raises(ValidationFailed) as caught:
        submit(**{field: value})
    assert caught.value.fields
    assert db.session.scalar(select(Aspiration.id)) is None


def test_only_verified_residents_submit(submit, official, make_user):
    with pytest.raises(Forbidden):
        submit(author=official)
    with pytest.raises(Forbidden):
        submit(author=make_user(email_verified_at=None))
    assert db.session.scalar(select(Aspiration.id)) is None


def test_the_whole_flow_with_timeline_and_notifications(aspiration_in, resident, moderator, official):
    aspiration = aspiration_in("answered")
    assert aspiration.state == "answered"
    assert aspiration.agency.code == "diskominfo"
    assert aspiration.first_response_at is not None and aspiration.response_due_at is not None
    response = db.session.scalars(select(Comment).where(Comment.target_id == aspiration.id)).one()
    assert response.is_official_response and aspiration.comment_count == 1
    service.transition(resident, aspiration, "closed")
    assert states(aspiration) == ["submitted", "verified", "forwarded", "answered", "closed"]
    told = db.session.scalars(select(Notification.event).where(Notification.user_id == resident.id)).all()
    assert {"aspiration_verified", "aspiration_forwarded", "aspiration_answered"} <= set(told)
    assert "aspiration_closed" not in told  # the author closed it: no need to tell them
    assigned = db.session.scalars(select(Notification.event).where(Notification.user_id == official.id)).all()
    assert "aspiration_assigned" in assigned


def test_declining_needs_a_reason_the_author_sees(aspiration_in, moderator, resident):
    aspiration = aspiration_in("submitted")
    with pytest.raises(ValidationFailed) as caught:
        service.transition(moderator, aspiration, "declined", note="  ")
    assert "note" in caught.value.fields
    service.transition(moderator, aspiration, "declined", note="Di luar kewenangan kota.")
    assert aspiration.is_visible_to(resident) and not aspiration.is_public
    assert states(aspiration)[-1] == "declined"


@pytest.mark.parametrize("state, to, who", [
    ("submitted", "answered", "official"),
    ("submitted", "closed", "resident"),
    ("verified", "in_progress", "official"),
    ("declined", "verified", "moderator"),
    ("answered", "in_progress", "official"),
])
def test_transitions_not_allowed_from_the_state_are_conflicts(aspiration_in, staff, resident, state, to, who):
    aspiration = aspiration_in(state)
    before = states(aspiration)
    actor = resident if who == "resident" else staff[who]
    with pytest.raises(Conflict):
        service.transition(actor, aspiration, to, note="x")
    db.session.expire_all()
    assert aspiration.state == state and states(aspiration) == before


@pytest.mark.parametrize("state, to, who", [
    ("submitted", "verified", "resident"),
    ("submitted", "verified", "official"),
    ("forwarded", "in_progress", "moderator"),
    ("forwarded", "answered", "resident"),
    ("answered", "closed", "moderator"),
    ("answered", "reopened", "official"),
])
def test_transitions_by_the_wrong_role_are_forbidden(aspiration_in, staff, resident, state, to, who):
    aspiration = aspiration_in(state)
    actor = resident if who == "resident" else staff[who]
    with pytest.raises(Forbidden):
        service.transition(actor, aspiration, to, note="Catatan.")
    db.session.expire_all()
    assert aspiration.state == state


def test_an_official_of_another_agency_cannot_act(aspiration_in, other_official):
    aspiration = aspiration_in("forwarded")
    with pytest.raises(Forbidden):
        service.transition(other_official, aspiration, "in_progress")
    with pytest.raises(Forbidden):
        service.respond(other_official, aspiration, "Bukan urusan kami.")
    assert db.session.scalar(select(Comment.id)) is None


def test_reforwarding_needs_a_reason_and_another_agency(aspiration_in, official):
    aspiration = aspiration_in("in_progress")
    with pytest.raises(ValidationFailed) as caught:
        service.transition(official, aspiration, "forwarded", agency="dbmsda")
    assert "note" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        service.transition(official, aspiration, "forwarded", agency="diskominfo", note="Salah kirim.")
    assert "agency" in caught.value.fields
    with pytest.raises(ValidationFailed):
        service.transition(official, aspiration, "forwarded", agency="no-such-agency", note="Salah kirim.")
    service.transition(official, aspiration, "forwarded", agency="dbmsda", note="Urusan jalan: Bina Marga.")
    assert aspiration.agency.code == "dbmsda" and aspiration.first_response_at is None
    assert not aspiration.is_handled_by(official)


def test_reopen_once_with_a_reason(aspiration_in, resident, official):
    aspiration = aspiration_in("answered")
    with pytest.raises(ValidationFailed):
        service.transition(resident, aspiration, "reopened", note="")
    service.transition(resident, aspiration, "reopened", note="Air masih meluap kemarin.")
    service.transition(official, aspiration, "answered", note="Saluran sudah dikeruk ulang.")
    assert "reopened" not in service.allowed_targets(resident, aspiration)
    with pytest.raises(Conflict) as caught:
        service.transition(resident, aspiration, "reopened", note="Lagi.")
    assert caught.value.code == "reopened_before"
    assert aspiration.state == "answered"


def test_answered_aspirations_close_themselves_after_14_days(aspiration_in):
    aspiration = aspiration_in("answered")
    aspiration.answered_at = utcnow() - timedelta(days=15)
    db.session.commit()
    assert service.close_expired() == [aspiration.id]
    db.session.expire_all()
    assert aspiration.state == "closed"
    assert states(aspiration)[-1] == "closed"
    assert db.session.scalars(select(AspirationEvent.actor_role).order_by(AspirationEvent.id.desc())).first() == "system"
    assert service.close_expired() == []


def test_support_once_and_not_ones_own(aspiration_in, resident, make_user, official):
    aspiration = aspiration_in("verified")
    supporter = make_user()
    service.support(supporter, aspiration)
    with pytest.raises(Conflict) as caught:
        service.support(supporter, aspiration)
    assert caught.value.code == "already_supported"
    with pytest.raises(Forbidden):
        service.support(resident, aspiration)
    with pytest.raises(Forbidden):
        service.support(official, aspiration)
    db.session.expire_all()
    assert aspiration.up_count == 1
    assert db.session.scalar(select(Follow.id).where(Follow.content_id == aspiration.id,
                                                     Follow.user_id == supporter.id))
    service.withdraw_support(supporter, aspiration)
    db.session.expire_all()
    assert aspiration.up_count == 0


def test_unscreened_aspiration_cannot_be_supported(aspiration_in, make_user):
    with pytest.raises(Conflict):
        service.support(make_user(), aspiration_in("submitted"))


def test_confidential_is_seen_by_author_moderators_and_handling_agency_only(
        aspiration_in, resident, moderator, official, other_official, make_user):
    aspiration = aspiration_in("forwarded", visibility="confidential")
    for viewer in (resident, moderator, official):
        assert service.get_aspiration(viewer, aspiration.id) is aspiration
    for viewer in (None, make_user(), other_official):
        with pytest.raises(NotFound):
            service.get_aspiration(viewer, aspiration.id)


def test_anonymous_hides_the_author_from_the_public_only(aspiration_in, resident, moderator, official, make_user):
    aspiration = aspiration_in("forwarded", visibility="anonymous")
    assert aspiration.public_author_name() is None
    assert aspiration.author_name_for(None) is None
    assert aspiration.author_name_for(make_user()) is None
    for viewer in (resident, moderator, official):
        assert aspiration.author_name_for(viewer) == resident.display_name


def test_internal_notes_are_for_staff(aspiration_in, official, other_official, resident, moderator):
    aspiration = aspiration_in("forwarded")
    service.add_note(official, aspiration, "Koordinasi dengan kelurahan.")
    with pytest.raises(Forbidden):
        service.add_note(resident, aspiration, "Saya juga staf.")
    with pytest.raises(Forbidden):
        service.add_note(other_official, aspiration, "Kami lihat.")
    assert [note.body for note in service.notes_of(moderator, aspiration)] == ["Koordinasi dengan kelurahan."]
    assert service.notes_of(resident, aspiration) == []


def test_deadlines_count_working_days_and_skip_holidays(app):
    friday_evening = datetime(2026, 8, 14, 18, 0, tzinfo=CITY_ZONE)  # Monday 17 August is a holiday
    due = add_working_days(friday_evening, 3)
    assert due.astimezone(CITY_ZONE).date().isoformat() == "2026-08-20"
    app.config["ASPIRATION_HOLIDAYS"] = []
    assert add_working_days(friday_evening, 3).astimezone(CITY_ZONE).date().isoformat() == "2026-08-19"
    assert due.tzinfo == timezone.utc


def test_overdue_flags(aspiration_in):
    aspiration = aspiration_in("submitted")
    assert not aspiration.is_overdue()
    aspiration.verify_due_at = utcnow() - timedelta(minutes=1)
    assert aspiration.is_verification_overdue()
    forwarded = aspiration_in("forwarded")
    forwarded.response_due_at = utcnow() - timedelta(minutes=1)
    assert forwarded.is_response_overdue()


def test_staff_names_are_hidden_unless_configured(app, aspiration_in, moderator):
    aspiration = aspiration_in("verified")
    event = aspiration.events[-1]
    assert moderator.display_name not in service.event_actor(event, None)
    app.config["ASPIRATION_SHOW_STAFF_NAMES"] = True
    assert moderator.display_name in service.event_actor(event, None)
