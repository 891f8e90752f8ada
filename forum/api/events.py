"""Events in the API: list and read them (anyone), schedule one (officials), register and cancel, minutes.

`DELETE /events/{id}/registrations/me` cancels the caller's own
registration (the path names no registration id: each account has at most
one active registration per event). `POST /events/{id}/minutes` records the
minutes, the attendance and the points raised at the meeting in one
transaction: a refused point leaves no minutes behind.
"""
from flask import jsonify, request, url_for
from flask_babel import gettext as _

from forum.api import bp
from forum.api.auth import api_user, token_required
from forum.api.body import json_body
from forum.api.content import comment_json
from forum.api.openapi import json_request, json_response, nullable, operation, page_of, query_param, ref, schema
from forum.api.pagination import paginate
from forum.api.policies import _when, choice_arg
from forum.errors import ValidationFailed
from forum.extensions import MAX_ID
from forum.models import Demographic, EventKind, RegistrationStatus, Stance
from forum.services import event_outcomes, event_registrations, events, transaction
from forum.timeutil import isoformat

_COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}

schema("Event", {
    "type": "object",
    "required": ["id", "title", "kind", "status", "kelurahan", "kecamatan", "address", "starts_at", "ends_at",
                 "capacity", "seats_left", "url", "ics_url"],
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "kind": {"type": "string", "enum": list(EventKind.ALL)},
        "status": {"type": "string", "enum": ["scheduled", "cancelled"]},
        "cancel_reason": nullable("string"),
        "description_html": {"type": "string"},
        "kelurahan": {"type": "string", "description": "Kelurahan code, e.g. `pondok-aren.pondok-betung`."},
        "kecamatan": {"type": "string"},
        "address": {"type": "string"},
        "latitude": nullable("string"),
        "longitude": nullable("string"),
        "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {"type": "string", "format": "date-time"},
        "capacity": {"type": "integer"},
        "seats_left": {"type": "integer"},
        "policy_id": nullable("integer"),
        "agency": {"type": "string"},
        "minutes_html": nullable("string"),
        "minutes_published_at": {**nullable("string"), "format": "date-time"},
        "attendance": {"anyOf": [{"type": "null"}, {"type": "object", "properties": {
            "total": nullable("integer"), "gender": _COUNTS, "age_band": _COUNTS}}]},
        "url": {"type": "string"},
        "ics_url": {"type": "string"},
    },
})

schema("EventRegistration", {
    "type": "object",
    "required": ["id", "event_id", "status", "waitlist_position"],
    "properties": {
        "id": {"type": "integer"},
        "event_id": {"type": "integer"},
        "status": {"type": "string", "enum": list(RegistrationStatus.ALL)},
        "waitlist_position": {**nullable("integer"),
                              "description": "1 for the first on the waiting list; null once confirmed."},
        "message": {"type": "string", "description": "Says plainly whether a seat is confirmed or waitlisted."},
    },
})

EVENT_BODY = json_request({
    "type": "object",
    "required": ["title", "kind", "kelurahan", "address", "starts_at", "ends_at", "capacity"],
    "properties": {
        "title": {"type": "string", "maxLength": events.TITLE_MAX},
        "kind": {"type": "string", "enum": list(EventKind.ALL)},
        "description": {"type": "string", "description": "Markdown."},
        "kelurahan": {"type": "string", "description": "Kelurahan code."},
        "address": {"type": "string"},
        "latitude": {"type": ["number", "string", "null"]},
        "longitude": {"type": ["number", "string", "null"]},
        "starts_at": {"type": "string", "format": "date-time", "description": "Without offset: Asia/Jakarta."},
        "ends_at": {"type": "string", "format": "date-time", "description": "After `starts_at` (else 422)."},
        "capacity": {"type": "integer", "minimum": 1},
        "policy_id": {**nullable("integer"), "description": "A published consultation of the agency."},
    },
})

MINUTES_BODY = json_request({
    "type": "object",
    "required": ["minutes"],
    "properties": {
        "minutes": {"type": "string", "description": "Markdown."},
        "attendance": {"type": "object", "properties": {
            "total": {"type": "integer", "minimum": 0},
            "gender": {"type": "object", "properties": {code: {"type": "integer"} for code in Demographic.GENDERS}},
            "age_band": {"type": "object",
                         "properties": {code: {"type": "integer"} for code in Demographic.AGE_BANDS}}}},
        "points": {"type": "array", "description": "Points raised at the meeting, on the tied consultation.",
                   "items": {"type": "object", "required": ["body", "stance", "agreed_count"], "properties": {
                       "body": {"type": "string"}, "stance": {"type": "string", "enum": list(Stance.ALL)},
                       "section_id": nullable("integer"), "agreed_count": {"type": "integer", "minimum": 0}}}},
    },
}, "Minutes and attendance; `points` are added as face-to-face comments on the consultation.")


def event_json(event):
    breakdown = event.attendance_breakdown or {}
    attendance = None
    if event.minutes_published_at is not None:
        attendance = {"total": event.attendance_total, **{part: breakdown.get(part, {})
                                                          for part in event_outcomes.BREAKDOWN_PARTS}}
    return {
        "id": event.id, "title": event.title, "kind": event.kind, "status": event.status,
        "cancel_reason": event.cancel_reason, "description_html": event.description_html,
        "kelurahan": event.district.code, "kecamatan": event.district.parent.code, "address": event.address,
        "latitude": None if event.latitude is None else str(event.latitude),
        "longitude": None if event.longitude is None else str(event.longitude),
        "starts_at": isoformat(event.starts_at), "ends_at": isoformat(event.ends_at),
        "capacity": event.capacity, "seats_left": event_registrations.seats_left(event),
        "policy_id": event.policy_id, "agency": event.agency.code, "minutes_html": event.minutes_html,
        "minutes_published_at": isoformat(event.minutes_published_at), "attendance": attendance,
        "url": url_for("events.show", event_id=event.id, _external=True),
        "ics_url": url_for("events.event_ics", event_id=event.id, _external=True),
    }


def registration_json(registration):
    place = event_registrations.waitlist_place(registration)
    message = (_("You are registered: your seat is confirmed.") if place is None
               else _("You are on the waiting list, number %(place)d. If a seat becomes free it is yours, and we "
                      "will tell you.", place=place))
    return {"id": registration.id, "event_id": registration.event_id, "status": registration.status,
            "waitlist_position": place,
            "message": message if registration.status != RegistrationStatus.CANCELLED else ""}


@bp.get("/events")
@operation("Events", description="Upcoming soonest first with `when=upcoming`, past newest first with `when=past`.",
           tags=["events"], paginated=True, parameters=[
               query_param("kecamatan", {"type": "string"}, "A kecamatan code."),
               query_param("kind", {"type": "string", "enum": list(EventKind.ALL)}, "The kind of event."),
               query_param("when", {"type": "string", "enum": ["upcoming", "past"]}, "Upcoming or past."),
               query_param("policy", {"type": "integer"}, "Events tied to this consultation."),
           ], responses={200: json_response("A page of events.", page_of("Event"))})
def list_events():
    problems = {}
    kind = choice_arg("kind", EventKind.ALL, problems)
    when = choice_arg("when", events.WHEN, problems)
    codes = [place.code for place in events.kecamatan_list()]
    kecamatan = choice_arg("kecamatan", codes, problems)
    policy_id = events.whole_number(request.args.get("policy"), "policy", 1, MAX_ID, problems, required=False)
    if problems:
        raise ValidationFailed(fields=problems)
    return jsonify(paginate(events.event_query(kecamatan=kecamatan, kind=kind, when=when, policy_id=policy_id),
                            event_json))


@bp.get("/events/<int:event_id>")
@operation("One event", tags=["events"], responses={200: json_response("The event.", ref("Event"))})
def get_event(event_id):
    return jsonify(event_json(events.get_event(event_id)))


def _event_fields(data):
    """The body's fields as the service takes them; wrong JSON types are a 422 naming the field."""
    problems = {}
    fields = {name: data.get(name) for name in ("title", "kind", "description", "kelurahan", "address",
                                                 "latitude", "longitude", "capacity", "policy_id")}
    for name in ("title", "kind", "description", "kelurahan", "address"):
        if fields[name] is not None and not isinstance(fields[name], str):
            problems[name] = _("This must be a text.")
    for name in ("capacity", "policy_id"):
        if fields[name] is not None and (isinstance(fields[name], bool) or not isinstance(fields[name], int)):
            problems[name] = _("Give a whole number.")
    for name in ("latitude", "longitude"):
        value = fields[name]
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float, str))):
            problems[name] = _("Give a number.")
        elif isinstance(value, (int, float)):
            fields[name] = str(value)
    for name in ("starts_at", "ends_at"):
        fields[name] = _when(data, name, problems) if data.get(name) is not None else None
    if problems:
        raise ValidationFailed(fields=problems)
    return fields


@bp.post("/events")
@operation("Schedule an event (officials)", tags=["events"], errors=(403,), request_body=EVENT_BODY,
           responses={201: json_response("The new event.", ref("Event"))})
@token_required
def create_event():
    event = events.create_event(api_user(), **_event_fields(json_body()))
    response = jsonify(event_json(event))
    response.headers["Location"] = url_for("api.get_event", event_id=event.id)
    return response, 201


@bp.post("/events/<int:event_id>/registrations")
@operation("Register for a seat", description="201 with `status` `confirmed`, or `waitlisted` when the event is "
           "full (with the place in the queue). 409 `already_registered`, `past` or `cancelled`.",
           tags=["events"], errors=(403, 409),
           responses={201: json_response("The registration.", ref("EventRegistration"))})
@token_required
def register_for_event(event_id):
    registration = event_registrations.register(events.get_event(event_id), api_user())
    return jsonify(registration_json(registration)), 201


@bp.delete("/events/<int:event_id>/registrations/me")
@operation("Cancel my registration", description="The caller's own active registration; the seat goes to the "
           "first on the waiting list. 404 when not registered, 409 once the event took place.",
           tags=["events"], errors=(409,),
           responses={200: json_response("The cancelled registration.", ref("EventRegistration"))})
@token_required
def cancel_my_registration(event_id):
    event = events.get_event(event_id)
    registration = event_registrations.own_active(api_user(), event)
    return jsonify(registration_json(event_registrations.cancel_registration(api_user(), registration)))


def _points(data):
    points = data.get("points") or []
    if not isinstance(points, list) or not all(isinstance(point, dict) for point in points):
        raise ValidationFailed(fields={"points": _("Give a list of points, each with a body, stance and count.")})
    return points


@bp.post("/events/<int:event_id>/minutes")
@operation("Publish the minutes, attendance and meeting points (the event's officials)",
           description="Only after the event has ended (409 `not_ended`). Each point becomes a face-to-face "
                       "comment on the tied consultation (409 `no_consultation` without one).",
           tags=["events"], errors=(403, 409), request_body=MINUTES_BODY,
           responses={200: json_response("The event and the points added.", {
               "type": "object", "properties": {"event": ref("Event"),
                                                "points": {"type": "array", "items": ref("Comment")}}})})
@token_required
def publish_minutes(event_id):
    user, event, data = api_user(), events.get_event(event_id), json_body()
    attendance = data.get("attendance") or {}
    if not isinstance(attendance, dict):
        raise ValidationFailed(fields={"attendance": _("Give the attendance by gender and by age band as numbers.")})
    points = _points(data)
    added = []
    with transaction():
        event_outcomes.publish_minutes(user, event, minutes=data.get("minutes"), attendance_total=attendance.get(
            "total"), attendance={part: attendance.get(part) for part in event_outcomes.BREAKDOWN_PARTS})
        for index, point in enumerate(points):
            try:
                added.append(event_outcomes.add_meeting_point(
                    user, event, body=point.get("body"), stance=point.get("stance"),
                    section_id=point.get("section_id"), agreed_count=point.get("agreed_count")))
            except ValidationFailed as error:
                raise ValidationFailed(fields={f"points.{index}.{name}": message
                                               for name, message in error.fields.items()}) from None
    return jsonify({"event": event_json(event), "points": [comment_json(point) for point in added]})
