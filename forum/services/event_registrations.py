"""Seats at events: register (a resident, or a guest registered at a desk), cancel, the waiting list, reminders.

One seat per person: the database refuses a second active registration of
an account (a partial unique index), and the service says 409 first. While
seats last a registration is `confirmed`; after that it is `waitlisted`, and
the person is told so plainly with their place in the queue. A cancelled
seat goes to the first on the waiting list, who is notified. The event row
is locked while seats are counted, so two people never take the last seat.

Desk registrations (issue 17): `register(event, guest_name=..., guest_phone=...,
registered_by=officer)` records someone without an account; the officer must
hold `event.register_guest`.
"""
from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum.errors import Conflict, Forbidden, NotFound, ValidationFailed
from forum.extensions import db
from forum.forms import check_length
from forum.models import Event, EventRegistration, EventStatus, RegistrationStatus
from forum.permissions import can, require
from forum.services import notifications, transaction
from forum.timeutil import CITY_ZONE, to_city_time, utcnow

GUEST_NAME_MAX = 120
GUEST_PHONE_MAX = 40


def seats_taken(event):
    return db.session.scalar(select(func.count()).select_from(EventRegistration).where(
        EventRegistration.event_id == event.id, EventRegistration.status == RegistrationStatus.CONFIRMED))


def seats_left(event):
    return max(event.capacity - seats_taken(event), 0)


def own_registration(user, event):
    """The account's active registration for `event`, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(EventRegistration).where(
        EventRegistration.event_id == event.id, EventRegistration.user_id == user.id,
        EventRegistration.status.in_(RegistrationStatus.ACTIVE)))


def waitlist_place(registration):
    """1 for the first on the waiting list; None when the registration is not waitlisted."""
    if registration is None or registration.status != RegistrationStatus.WAITLISTED:
        return None
    return db.session.scalar(select(func.count()).select_from(EventRegistration).where(
        EventRegistration.event_id == registration.event_id,
        EventRegistration.status == RegistrationStatus.WAITLISTED,
        EventRegistration.position <= registration.position))


def registrations(event):
    """Every registration of the event, confirmed first, in order of arrival (the officials' list)."""
    order = {RegistrationStatus.CONFIRMED: 0, RegistrationStatus.WAITLISTED: 1, RegistrationStatus.CANCELLED: 2}
    rows = db.session.scalars(select(EventRegistration).where(EventRegistration.event_id == event.id)
                              .order_by(EventRegistration.position)).all()
    return sorted(rows, key=lambda row: order[row.status])


def _locked(event):
    """The event row again, locked until the transaction ends (PostgreSQL; SQLite writes one at a time)."""
    return db.session.scalar(select(Event).where(Event.id == event.id).with_for_update()
                             .execution_options(populate_existing=True))


def _check_open(event, now):
    if event.status == EventStatus.CANCELLED:
        raise Conflict(_l("This event was cancelled."), code="cancelled")
    if event.starts_at <= now:
        raise Conflict(_l("This event has already started or taken place: registration is closed."), code="past")


def _guest(event, guest_name, guest_phone, registered_by):
    if registered_by is None:
        raise Forbidden(_l("Someone without an account is registered by an officer."))
    require(registered_by, "event.register_guest", event)
    name, phone = (guest_name or "").strip(), (guest_phone or "").strip()
    errors = {}
    check_length(errors, "guest_name", name, GUEST_NAME_MAX)
    check_length(errors, "guest_phone", phone, GUEST_PHONE_MAX, required=False)
    if errors:
        raise ValidationFailed(fields=errors)
    return name, phone or None


@transaction()
def register(event, user=None, *, guest_name=None, guest_phone=None, registered_by=None, now=None):
    """A seat (or a place on the waiting list) for `user`, or for a guest registered by `registered_by`.

    Returns the EventRegistration; its `status` says whether it is confirmed
    or waitlisted. 409 when already registered, or the event is past or cancelled.
    """
    now = now or utcnow()
    if user is not None:
        if not can(user, "event.register", event):
            raise Forbidden(_l("Only signed-in, verified accounts in good standing can register."))
        guest = (None, None)
    else:
        guest = _guest(event, guest_name, guest_phone, registered_by)
    event = _locked(event)
    _check_open(event, now)
    if user is not None and own_registration(user, event) is not None:
        raise Conflict(_l("You are already registered for this event."), code="already_registered")
    last = db.session.scalar(select(func.max(EventRegistration.position))
                             .where(EventRegistration.event_id == event.id)) or 0
    status = RegistrationStatus.CONFIRMED if seats_taken(event) < event.capacity else RegistrationStatus.WAITLISTED
    registration = EventRegistration(
        event_id=event.id, user_id=getattr(user, "id", None), guest_name=guest[0], guest_phone=guest[1],
        registered_by_id=getattr(registered_by, "id", None), status=status, position=last + 1, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(registration)
    except IntegrityError:
        # Another request registered the same account a moment ago.
        raise Conflict(_l("You are already registered for this event."), code="already_registered") from None
    return registration


def own_active(user, event):
    """The account's active registration, or NotFound (the API's DELETE .../registrations/me)."""
    registration = own_registration(user, event)
    if registration is None:
        raise NotFound(_l("You are not registered for this event."))
    return registration


@transaction()
def cancel_registration(actor, registration, now=None):
    """Give up a seat (the person, or the event's officials); the first on the waiting list gets it."""
    now = now or utcnow()
    event = registration.event
    if registration.user_id != getattr(actor, "id", None) and not can(actor, "event.manage", event):
        raise Forbidden(_l("You can only cancel your own registration."))
    if registration.status == RegistrationStatus.CANCELLED:
        raise Conflict(_l("This registration is already cancelled."), code="already_cancelled")
    if event.has_ended(now):
        raise Conflict(_l("This event has already taken place."), code="past")
    event = _locked(event)
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    db.session.flush()
    if event.status != EventStatus.CANCELLED and not event.has_started(now):
        fill_free_seats(event, actor_id=getattr(actor, "id", None))
    return registration


def fill_free_seats(event, actor_id=None):
    """Offer free seats to the waiting list in order; those with accounts are notified."""
    free = event.capacity - seats_taken(event)
    if free <= 0:
        return []
    promoted = db.session.scalars(select(EventRegistration).where(
        EventRegistration.event_id == event.id, EventRegistration.status == RegistrationStatus.WAITLISTED)
        .order_by(EventRegistration.position).limit(free)).all()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
    notifications.event_notice([row.user_id for row in promoted], notifications.Event.EVENT_SEAT_CONFIRMED, event,
                               actor_id=actor_id)
    return promoted


# -- reminders the day before --------------------------------------------------------------
def reminder_window(now):
    """(from, until): events starting from now to the end of tomorrow (city time) are reminded."""
    tomorrow = to_city_time(now).date() + timedelta(days=1)
    end = datetime.combine(tomorrow + timedelta(days=1), time(0), tzinfo=CITY_ZONE)
    return now, end


def events_to_remind(now=None):
    start, end = reminder_window(now or utcnow())
    return db.session.scalars(select(Event).where(
        Event.status == EventStatus.SCHEDULED, Event.reminded_at.is_(None),
        Event.starts_at > start, Event.starts_at < end).order_by(Event.starts_at, Event.id)).all()


@transaction()
def remind(event, now=None):
    """Remind everyone with a confirmed seat at `event`, once; returns how many were told."""
    event = _locked(event)
    if event.reminded_at is not None:
        return 0
    users = db.session.scalars(select(EventRegistration.user_id).where(
        EventRegistration.event_id == event.id, EventRegistration.status == RegistrationStatus.CONFIRMED,
        EventRegistration.user_id.is_not(None))).all()
    event.reminded_at = now or utcnow()
    return len(notifications.event_notice(users, notifications.Event.EVENT_REMINDER, event))
