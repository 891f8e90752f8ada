"""Events without HTTP: scheduling, seats and the waiting list, cancelling, reminders, minutes, meeting points."""
from datetime import timedelta

import pytest

from forum.errors import Conflict, Forbidden, ValidationFailed
from forum.extensions import db
from forum.models import Channel, Comment, EventRegistration, Notification, RegistrationStatus, Role, Section
from forum.services import event_outcomes, event_registrations, events
from tests.factories import make_policy


def test_schedule_keeps_every_field(make_event):
    event = make_event(latitude="-6.2886", longitude="106,7178", description="Bawa **KTP**.")
    assert event.district.code == "pondok-aren.pondok-betung"
    assert str(event.latitude) == "-6.288600" and str(event.longitude) == "106.717800"
    assert "<strong>KTP</strong>" in event.description_html
    assert event.status == "scheduled"


@pytest.mark.parametrize("fields, field", [
    ({"title": ""}, "title"),
    ({"kind": "party"}, "kind"),
    ({"kelurahan": "pondok-aren"}, "kelurahan"),  # a kecamatan, not a kelurahan
    ({"address": ""}, "address"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": "many"}, "capacity"),
    ({"latitude": "91", "longitude": "106"}, "latitude"),
    ({"latitude": "-6.2"}, "longitude"),
    ({"policy_id": 999999}, "policy_id"),
])
def test_bad_fields_are_named(make_event, fields, field):
    with pytest.raises(ValidationFailed) as raised:
        make_event(**fields)
    assert field in raised.value.fields


def test_end_before_start_is_refused(make_event):
    with pytest.raises(ValidationFailed) as raised:
        make_event(hours=-1)
    assert raised.value.status == 422 and "ends_at" in raised.value.fields


def test_only_officials_schedule(make_event, resident):
    with pytest.raises(Forbidden):
        make_event(actor=resident)


def test_another_agencys_consultation_cannot_be_tied(make_event, app):
    from forum.models import Agency

    other = Agency.query.filter(Agency.code != "diskominfo").first()
    policy = make_policy(other)
    with pytest.raises(ValidationFailed) as raised:
        make_event(policy_id=policy.id)
    assert "policy_id" in raised.value.fields


def test_register_once_then_409(make_event, resident):
    event = make_event()
    registration = event_registrations.register(event, resident)
    assert registration.status == RegistrationStatus.CONFIRMED
    with pytest.raises(Conflict) as raised:
        event_registrations.register(event, resident)
    assert raised.value.status == 409 and raised.value.code == "already_registered"


def test_database_refuses_a_second_active_registration(make_event, resident):
    from sqlalchemy.exc import IntegrityError

    event = make_event()
    event_registrations.register(event, resident)
    db.session.add(EventRegistration(event_id=event.id, user_id=resident.id, status="waitlisted", position=9))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_past_and_cancelled_events_refuse_registration(make_event, resident, official):
    past = make_event(starts_in=-timedelta(days=1))
    with pytest.raises(Conflict) as raised:
        event_registrations.register(past, resident)
    assert raised.value.code == "past"
    cancelled = make_event()
    events.cancel_event(official, cancelled, "Hujan deras")
    with pytest.raises(Conflict) as raised:
        event_registrations.register(cancelled, resident)
    assert raised.value.code == "cancelled"


def test_full_event_waitlists_and_a_cancellation_promotes_the_first(make_event, make_user):
    event = make_event(capacity=1)
    first, second, third = (make_user(Role.RESIDENT) for _ in range(3))
    seat = event_registrations.register(event, first)
    waiting = event_registrations.register(event, second)
    last = event_registrations.register(event, third)
    assert waiting.status == last.status == RegistrationStatus.WAITLISTED
    assert event_registrations.waitlist_place(waiting) == 1 and event_registrations.waitlist_place(last) == 2
    assert event_registrations.seats_left(event) == 0
    event_registrations.cancel_registration(first, seat)
    db.session.expire_all()
    assert db.session.get(EventRegistration, waiting.id).status == RegistrationStatus.CONFIRMED
    assert event_registrations.waitlist_place(db.session.get(EventRegistration, last.id)) == 1
    told = Notification.query.filter_by(user_id=second.id, event="event_seat_confirmed").one()
    assert told.event_id == event.id
    # The freed seat was taken: cancelling twice is a conflict.
    with pytest.raises(Conflict):
        event_registrations.cancel_registration(first, db.session.get(EventRegistration, seat.id))


def test_someone_cannot_cancel_anothers_registration(make_event, make_user):
    event = make_event()
    owner, other = make_user(Role.RESIDENT), make_user(Role.RESIDENT)
    registration = event_registrations.register(event, owner)
    with pytest.raises(Forbidden):
        event_registrations.cancel_registration(other, registration)


def test_desk_registration_without_account(make_event, official, resident):
    event = make_event()
    guest = event_registrations.register(event, guest_name="Ibu Sari", guest_phone="0812 1111 2222",
                                         registered_by=official)
    assert guest.user_id is None and guest.registered_by_id == official.id and guest.name == "Ibu Sari"
    with pytest.raises(ValidationFailed) as raised:
        event_registrations.register(event, guest_name=" ", registered_by=official)
    assert "guest_name" in raised.value.fields
    with pytest.raises(Forbidden):
        event_registrations.register(event, guest_name="Pak Budi", registered_by=resident)
    with pytest.raises(Forbidden):
        event_registrations.register(event, guest_name="Pak Budi")


def test_capacity_cannot_drop_below_confirmed_seats_and_more_seats_promote(make_event, make_user, official):
    event = make_event(capacity=1)
    first, second = make_user(Role.RESIDENT), make_user(Role.RESIDENT)
    event_registrations.register(event, first)
    waiting = event_registrations.register(event, second)
    fields = dict(title=event.title, kind=event.kind, address=event.address, kelurahan=event.district.code,
                  starts_at=event.starts_at, ends_at=event.ends_at)
    events.update_event(official, event, capacity=2, **fields)
    db.session.expire_all()
    assert db.session.get(EventRegistration, waiting.id).status == RegistrationStatus.CONFIRMED
    with pytest.raises(ValidationFailed) as raised:
        events.update_event(official, event, capacity=1, **fields)
    assert "capacity" in raised.value.fields


def test_cancel_event_tells_those_registered(make_event, resident, official):
    event = make_event()
    event_registrations.register(event, resident)
    events.cancel_event(official, event, "Gedung dipakai")
    assert Notification.query.filter_by(user_id=resident.id, event="event_cancelled").count() == 1
    with pytest.raises(Conflict):
        events.cancel_event(official, event)


def test_reminders_once_for_tomorrows_events(make_event, make_user, app):
    soon = make_event(starts_in=timedelta(hours=20))
    later = make_event(starts_in=timedelta(days=5))
    people = [make_user(Role.RESIDENT) for _ in range(2)]
    for person in people:
        event_registrations.register(soon, person)
        event_registrations.register(later, person)
    due = event_registrations.events_to_remind()
    assert [event.id for event in due] == [soon.id]
    assert event_registrations.remind(due[0]) == 2
    assert event_registrations.events_to_remind() == []
    assert event_registrations.remind(soon) == 0
    assert Notification.query.filter_by(event="event_reminder").count() == 2


def test_minutes_wait_for_the_end(make_event, official):
    upcoming = make_event()
    with pytest.raises(Conflict) as raised:
        event_outcomes.publish_minutes(official, upcoming, minutes="Notulen")
    assert raised.value.status == 409 and raised.value.code == "not_ended"


def test_minutes_and_attendance(make_event, official):
    event = make_event(starts_in=-timedelta(days=2))
    with pytest.raises(ValidationFailed) as raised:
        event_outcomes.publish_minutes(official, event, minutes="", attendance_total="x",
                                       attendance={"gender": {"female": 50}})
    assert {"minutes", "attendance_total"} <= set(raised.value.fields)
    with pytest.raises(ValidationFailed) as raised:
        event_outcomes.publish_minutes(official, event, minutes="Notulen", attendance_total=10,
                                       attendance={"gender": {"female": 8, "male": 5}})
    assert "attendance.gender" in raised.value.fields
    event_outcomes.publish_minutes(official, event, minutes="# Notulen\n\nDisepakati.", attendance_total=40,
                                   attendance={"gender": {"female": 22, "male": 18}, "age_band": {"25_34": "10"}})
    assert event.minutes_published_at is not None and "<strong>Notulen</strong>" in event.minutes_html
    assert event.attendance_breakdown == {"gender": {"female": 22, "male": 18}, "age_band": {"25_34": 10}}


def test_meeting_point_is_a_face_to_face_comment(make_event, official, agency):
    policy = make_policy(agency)
    section = policy.current_version.sections[1]
    event = make_event(starts_in=-timedelta(days=1), kind="consultation", policy_id=policy.id)
    point = event_outcomes.add_meeting_point(official, event, body="Trotoar perlu jalur sepeda.",
                                             stance="oppose", section_id=section.id, agreed_count=12)
    assert point.channel == Channel.FACE_TO_FACE and point.input_district_id == event.district_id
    assert point.event_id == event.id and point.agreed_count == 12 and point.status == "published"
    assert point.public_author_name() is None
    db.session.expire_all()
    assert db.session.get(Section, section.id).oppose_count == 1
    assert event_outcomes.meeting_points(event) == [db.session.get(Comment, point.id)]


def test_meeting_point_bad_input(make_event, official, agency):
    policy = make_policy(agency)
    untied = make_event(starts_in=-timedelta(days=1))
    with pytest.raises(Conflict) as raised:
        event_outcomes.add_meeting_point(official, untied, body="x", stance="support", agreed_count=1)
    assert raised.value.code == "no_consultation"
    upcoming = make_event(policy_id=policy.id)
    with pytest.raises(Conflict):
        event_outcomes.add_meeting_point(official, upcoming, body="x", stance="support", agreed_count=1)
    event = make_event(starts_in=-timedelta(days=1), policy_id=policy.id)
    with pytest.raises(ValidationFailed) as raised:
        event_outcomes.add_meeting_point(official, event, body="Poin", stance="", agreed_count="-3",
                                         section_id=999999)
    assert {"stance", "agreed_count", "section_id"} <= set(raised.value.fields)


def test_other_agencies_cannot_manage(make_event, make_user):
    from forum.models import Agency

    event = make_event(starts_in=-timedelta(days=1))
    stranger = make_user(Role.OFFICIAL, agency=Agency.query.filter(Agency.code != "diskominfo").first())
    with pytest.raises(Forbidden):
        event_outcomes.publish_minutes(stranger, event, minutes="Notulen")
    with pytest.raises(Forbidden):
        events.cancel_event(stranger, event)


@pytest.mark.parametrize("capacity", ["9" * 5000, "١٢", " ", "3.5", True])
def test_odd_numbers_are_named_not_crashes(make_event, capacity):
    with pytest.raises(ValidationFailed) as raised:
        make_event(capacity=capacity)
    assert "capacity" in raised.value.fields
