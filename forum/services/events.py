"""Events: schedule, change and cancel them (officials), find and list them (everyone).

An event belongs to the agency of the official who scheduled it; its
officials and admins manage it (`event.manage`). Times arrive as aware
datetimes (pages convert the Jakarta time typed into the form) and are
stored in UTC. Registrations: forum/services/event_registrations.py;
minutes, attendance and meeting points: forum/services/event_outcomes.py.
"""
from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from forum import activity
from forum.errors import Conflict, NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.forms import check_length
from forum.models import (
    District, Event, EventKind, EventRegistration, EventStatus, Policy, PolicyPhase, RegistrationStatus,
)
from forum.permissions import can, may_write, require, rule
from forum.services import notifications, transaction
from forum.reports.scope import kecamatan_district_ids
from forum.services.event_registrations import fill_free_seats, seats_taken
from forum.text import render_markdown
from forum.timeutil import utcnow

TITLE_MAX = 200
ADDRESS_MAX = 300
DESCRIPTION_MAX = 5000
REASON_MAX = 500
CAPACITY_MAX = 10000
WHEN = ("upcoming", "past")


# -- who may do what -------------------------------------------------------------------
@rule("event.create")
def _event_create(user, obj):
    """An event belongs to an agency: officials with one schedule it."""
    return may_write(user) and user.is_official and user.agency_id is not None


@rule("event.manage")
def _event_manage(user, event):
    """Change, cancel, see registrations, minutes and meeting points: the event's agency's officials, or admins."""
    if not may_write(user) or event is None:
        return False
    return user.is_admin or (user.is_official and user.agency_id == event.agency_id)


@rule("event.register")
def _event_register(user, event):
    """Anyone who may write takes a seat for themselves."""
    return may_write(user)


@rule("event.register_guest")
def _event_register_guest(user, event):
    """Registering someone without an account: the event's officials and admins, and kelurahan desk officers.

    A desk officer registers a resident for any event (forum/services/desk.py
    `register_for_event`); past and cancelled events are refused by the
    registration itself (409), as for everyone.
    """
    return _event_manage(user, event) or can(user, "desk.work")


# -- reading ---------------------------------------------------------------------------
def get_event(event_id):
    """The event `event_id` (anyone may read any event), or NotFound."""
    event = db.session.get(Event, event_id) if isinstance(event_id, int) and 0 < event_id <= MAX_ID else None
    if event is None:
        raise NotFound(_l("This event does not exist."))
    return event


def managed_event(user, event_id):
    """The event if `user` manages it, else Forbidden (NotFound when it does not exist)."""
    event = get_event(event_id)
    require(user, "event.manage", event)
    return event


def event_query(*, kecamatan=None, kind=None, when=None, policy_id=None, now=None):
    """A select of events within the filters: upcoming soonest first, past newest first."""
    now = now or utcnow()
    conditions = []
    if kecamatan:
        conditions.append(Event.district_id.in_(kecamatan_district_ids(kecamatan)))
    if kind:
        conditions.append(Event.kind == kind)
    if policy_id is not None:
        conditions.append(Event.policy_id == policy_id)
    if when == "upcoming":
        conditions.append(Event.ends_at > now)
    elif when == "past":
        conditions.append(Event.ends_at <= now)
    order = (Event.starts_at.desc(),) if when == "past" else (Event.starts_at,)
    return (select(Event).where(and_(*conditions)).order_by(*order, Event.id)
            .options(joinedload(Event.district).joinedload(District.parent)))


def policy_events(policy):
    """The events tied to a consultation, in date order (its page lists them)."""
    return db.session.scalars(event_query(policy_id=policy.id)).all()


def kecamatan_list():
    """Every kecamatan by name (filters and calendar feeds)."""
    return db.session.scalars(select(District).where(District.level == District.KECAMATAN)
                              .order_by(District.name)).all()


def kelurahan_list():
    """Every kelurahan, grouped by kecamatan (the form's choices)."""
    rows = db.session.scalars(select(District).where(District.level == District.KELURAHAN)
                              .options(joinedload(District.parent))).all()
    return sorted(rows, key=lambda place: (place.parent.name, place.name))


# -- checks ----------------------------------------------------------------------------
def _coordinate(raw, name, limit, errors):
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        errors[name] = _l("Give a number from -%(limit)d to %(limit)d, e.g. -6.2886.", limit=limit)
        return None
    return value.quantize(Decimal("0.000001"))


def whole_number(raw, name, low, high, errors, required=True):
    if raw in (None, ""):
        if required:
            errors[name] = _l("This field is required.")
        return None
    digits = raw.strip() if isinstance(raw, str) else None
    if isinstance(raw, bool) or not (isinstance(raw, int) or (
            digits and digits.isascii() and digits.isdigit() and len(digits) <= 10)):
        errors[name] = _l("Give a whole number from %(low)d to %(high)d.", low=low, high=high)
        return None
    value = int(raw)
    if not low <= value <= high:
        errors[name] = _l("Give a whole number from %(low)d to %(high)d.", low=low, high=high)
        return None
    return value


def _kelurahan(code, errors):
    district = db.session.scalar(select(District).where(District.code == code)) if isinstance(code, str) else None
    if district is None or district.level != District.KELURAHAN:
        errors["kelurahan"] = _l("Choose the kelurahan where the event takes place.")
    return district


def _policy(actor, policy_id, errors):
    if policy_id in (None, ""):
        return None
    number = whole_number(policy_id, "policy_id", 1, MAX_ID, errors)
    policy = db.session.get(Policy, number) if number else None
    if policy is None or policy.phase == PolicyPhase.DRAFT or not (
            actor.is_admin or policy.agency_id == actor.agency_id):
        errors["policy_id"] = _l("Choose a published consultation of your agency.")
        return None
    return policy


def _clean(actor, fields):
    """The event's columns from typed `fields`, or ValidationFailed naming every problem."""
    errors = {}
    title = (fields.get("title") or "").strip()
    check_length(errors, "title", title, TITLE_MAX)
    kind = fields.get("kind")
    if kind not in EventKind.ALL:
        errors["kind"] = _l("Choose the kind of event.")
    address = (fields.get("address") or "").strip()
    check_length(errors, "address", address, ADDRESS_MAX)
    description = (fields.get("description") or "").strip()
    check_length(errors, "description", description, DESCRIPTION_MAX, required=False)
    district = _kelurahan(fields.get("kelurahan"), errors)
    latitude = _coordinate(fields.get("latitude"), "latitude", 90, errors)
    longitude = _coordinate(fields.get("longitude"), "longitude", 180, errors)
    if "latitude" not in errors and "longitude" not in errors and (latitude is None) != (longitude is None):
        errors["longitude" if latitude is not None else "latitude"] = _l("Give both coordinates, or neither.")
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    for name, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(moment, datetime) or moment.tzinfo is None:
            errors[name] = _l("Give a date and time.")
    if "starts_at" not in errors and "ends_at" not in errors and ends_at <= starts_at:
        errors["ends_at"] = _l("The event must end after it starts.")
    capacity = whole_number(fields.get("capacity"), "capacity", 1, CAPACITY_MAX, errors)
    policy = _policy(actor, fields.get("policy_id"), errors)
    if errors:
        raise ValidationFailed(fields=errors)
    return {
        "title": title, "kind": kind, "address": address, "description": description,
        "description_html": render_markdown(description) if description else "", "district_id": district.id,
        "latitude": latitude, "longitude": longitude, "starts_at": starts_at, "ends_at": ends_at,
        "capacity": capacity, "policy_id": policy.id if policy else None,
    }


def _touch_policies(*policy_ids):
    """The consultation pages list their events: a change must reach their cached pages."""
    for policy_id in {policy_id for policy_id in policy_ids if policy_id is not None}:
        activity.touch(policy_id)


# -- writing ---------------------------------------------------------------------------
@transaction()
def create_event(actor, **fields):
    """Schedule an event for the actor's agency; returns the Event."""
    require(actor, "event.create")
    event = Event(agency_id=actor.agency_id, created_by_id=actor.id, status=EventStatus.SCHEDULED,
                  **_clean(actor, fields))
    db.session.add(event)
    db.session.flush()
    _touch_policies(event.policy_id)
    return event


@transaction()
def update_event(actor, event, **fields):
    """Change an event; more seats offer them to the waiting list, fewer than those confirmed is refused."""
    require(actor, "event.manage", event)
    if event.is_cancelled:
        raise Conflict(_l("This event was cancelled and can no longer be changed."), code="cancelled")
    cleaned = _clean(actor, fields)
    taken = seats_taken(event)
    if cleaned["capacity"] < taken:
        raise ValidationFailed(fields={"capacity": _l(
            "%(count)d people already have a seat: the capacity cannot be smaller.", count=taken)})
    before = event.policy_id
    for name, value in cleaned.items():
        setattr(event, name, value)
    fill_free_seats(event)
    _touch_policies(before, event.policy_id)
    return event


@transaction()
def cancel_event(actor, event, reason=""):
    """Cancel an upcoming event and tell everyone registered."""
    require(actor, "event.manage", event)
    if event.is_cancelled:
        raise Conflict(_l("This event is already cancelled."), code="cancelled")
    if event.has_ended():
        raise Conflict(_l("This event has already taken place."), code="ended")
    reason = (reason or "").strip()
    errors = {}
    check_length(errors, "reason", reason, REASON_MAX, required=False)
    if errors:
        raise ValidationFailed(fields=errors)
    event.status = EventStatus.CANCELLED
    event.cancel_reason = reason or None
    registered = db.session.scalars(select(EventRegistration.user_id).where(
        EventRegistration.event_id == event.id, EventRegistration.status.in_(RegistrationStatus.ACTIVE),
        EventRegistration.user_id.is_not(None))).all()
    notifications.event_notice(registered, notifications.Event.EVENT_CANCELLED, event, actor_id=actor.id)
    _touch_policies(event.policy_id)
    return event
