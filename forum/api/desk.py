"""Assisted intake in the API: desk officers submit for residents; anyone tracks a receipt code.

The desk endpoints take the resident's details beside the usual fields
(`resident: {name, phone?, kelurahan, consent}` and `from_paper_form`), call
the same services as `/layanan` (forum/services/desk.py): no consent is a
422 on `resident.consent` with nothing saved, another kelurahan a 403. Each
answers 201 with the receipt (`code`) and the content, survey response or
event registration (a past or cancelled event is a 409, a full one puts the
resident on the waiting list, said in `registration`).
`GET /track/{code}` is public and rate limited per address, shared with the
`/lacak` page: a mistyped code (its check character fails) is a 404
`invalid_code`, an unknown one a 404 `not_found`.
"""
from flask import jsonify, url_for
from flask_babel import gettext as _

from forum.api import bp
from forum.api.aspirations import SUBMISSION, aspiration_json
from forum.api.auth import api_user, token_required
from forum.api.body import json_body
from forum.api.content import comment_json
from forum.api.events import event_json, registration_json
from forum.api.openapi import json_request, json_response, nullable, operation, page_of, ref, schema
from forum.api.pagination import paginate
from forum.api.survey_shapes import ANSWERS_BODY, posted_answers, response_json
from forum.desk.tracking import track_limit
from forum.errors import ValidationFailed
from forum.extensions import limiter
from forum.models import DeskKind, Stance, Visibility
from forum.services import desk, desk_tracking
from forum.timeutil import isoformat

RESIDENT = {
    "type": "object", "required": ["name", "kelurahan", "consent"],
    "description": "The resident at the desk. Name and phone are never shown in public.",
    "properties": {
        "name": {"type": "string", "maxLength": desk.NAME_MAX},
        "phone": {"type": "string", "description": "Optional; kept only as a keyed digest, to check a later claim."},
        "kelurahan": {"type": "string", "description": "Kelurahan code: the officer's own (else 403)."},
        "consent": {"type": "boolean", "description": f"The resident agreed to the consent text "
                                                      f"(version {desk.CONSENT_VERSION}); `false` is a 422."},
    },
}
_DESK_FIELDS = {"resident": RESIDENT, "from_paper_form": {"type": "boolean", "default": False}}

schema("DeskSubmission", {
    "type": "object",
    "required": ["id", "code", "kind", "kelurahan", "created_at", "from_paper_form", "claimed", "status"],
    "properties": {
        "id": {"type": "integer"},
        "code": {"type": "string", "description": "The receipt code, 8 characters, the last a check character."},
        "kind": {"type": "string", "enum": list(DeskKind.ALL)},
        "kelurahan": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "from_paper_form": {"type": "boolean"},
        "claimed": {"type": "boolean", "description": "Moved into the resident's account."},
        "status": {"type": "string",
                   "description": "Aspiration state, comment status, event registration status, or `received`."},
        "resident_name": {"type": "string", "description": "Only for the desk."},
        "content_id": nullable("integer"),
        "survey_response_id": nullable("integer"),
        "event_registration_id": nullable("integer"),
    },
})
schema("TrackedReceipt", {
    "type": "object", "required": ["code", "kind", "submitted_at", "kelurahan", "status", "status_label"],
    "properties": {
        "code": {"type": "string"},
        "kind": {"type": "string", "enum": list(DeskKind.ALL)},
        "submitted_at": {"type": "string", "format": "date-time"},
        "kelurahan": {"type": "string"},
        "status": {"type": "string"},
        "status_label": {"type": "string"},
        "aspiration": {**nullable("object"), "description": "Title, url and public timeline; null when not public."},
        "policy": {**nullable("object"), "description": "A comment's consultation (id, title, url)."},
        "survey": {**nullable("object"), "description": "A survey answer's survey (id, title)."},
        "event": {**nullable("object"), "description": "An event registration's event (id, title, starts_at, "
                                                       "ends_at, address, kelurahan, url)."},
        "registration": {**nullable("object"), "description": "An event registration's `status` (confirmed, "
                                                              "waitlisted, cancelled) and `waitlist_position`."},
    },
})


def _status(submission):
    if submission.kind == DeskKind.ASPIRATION:
        return submission.content.state
    if submission.kind == DeskKind.EVENT:
        return submission.event_registration.status
    return submission.content.status if submission.kind == DeskKind.COMMENT else "received"


def submission_json(submission):
    return {
        "id": submission.id, "code": submission.receipt_code, "kind": submission.kind,
        "kelurahan": submission.district.code, "created_at": isoformat(submission.created_at),
        "from_paper_form": submission.from_paper_form, "claimed": submission.is_claimed,
        "status": _status(submission), "resident_name": submission.resident_name,
        "content_id": submission.content_id, "survey_response_id": submission.survey_response_id,
        "event_registration_id": submission.event_registration_id,
    }


def _resident(data):
    raw = data.get("resident")
    if not isinstance(raw, dict):
        raise ValidationFailed(fields={"resident": _("Give the resident's name, kelurahan and consent.")})
    texts = {name: raw.get(name) for name in ("name", "phone", "kelurahan")}
    problems = {f"resident.{name}": _("This must be a text.") for name, value in texts.items()
                if value is not None and not isinstance(value, str)}
    if problems:
        raise ValidationFailed(fields=problems)
    return desk.Resident(name=texts["name"] or "", phone=texts["phone"] or "", kelurahan=texts["kelurahan"] or "",
                         consent=raw.get("consent") is True, from_paper_form=data.get("from_paper_form") is True)


def _desk_call(call):
    """Run a desk service; its resident field names become `resident.<name>` as the body spells them."""
    try:
        return call()
    except ValidationFailed as error:
        renamed = {"resident_name": "resident.name", "phone": "resident.phone", "kelurahan": "resident.kelurahan",
                   "consent": "resident.consent"}
        error.fields = {renamed.get(name, name): message for name, message in error.fields.items()}
        raise


def _created(submission, target):
    answer = submission_json(submission)
    answer.update(target)
    response = jsonify(answer)
    response.headers["Location"] = url_for("api.track_receipt", code=submission.receipt_code)
    return response, 201


def _text(data, name):
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValidationFailed(fields={name: _("This must be a text.")})
    return value


@bp.post("/desk/aspirations")
@operation(
    "Submit an aspiration for a resident (desk officers)",
    description="Any kind and visibility. No author account: in public it is signed \"Resident of <kelurahan> "
                "(via the kelurahan service desk)\". The same screen, moderation and deadlines apply.",
    tags=["desk"], errors=(403,),
    request_body=json_request({**SUBMISSION, "required": ["kind", "title", "body", "category", "resident"],
                               "properties": {**SUBMISSION["properties"], **_DESK_FIELDS}}),
    responses={201: json_response("The receipt with `aspiration`.", ref("DeskSubmission"))},
)
@token_required
def desk_create_aspiration():
    officer, data = api_user(), json_body()
    fields = {name: _text(data, name) for name in ("kind", "title", "body", "category", "district", "visibility",
                                                   "location")}
    resident = _resident(data)
    submission = _desk_call(lambda: desk.submit_aspiration(
        officer, resident, aspiration_type=fields["kind"], title=fields["title"], body=fields["body"],
        category=fields["category"], district=fields["district"], visibility=fields["visibility"] or Visibility.PUBLIC,
        location=fields["location"] or ""))
    return _created(submission, {"aspiration": aspiration_json(submission.content, officer, detail=True)})


@bp.post("/desk/comments")
@operation(
    "Submit a comment with a stance on a consultation for a resident (desk officers)",
    tags=["desk"], errors=(403, 404, 409),
    request_body=json_request({"type": "object", "required": ["policy_id", "body", "stance", "resident"],
                               "properties": {"policy_id": {"type": "integer"}, "section_id": {"type": "integer"},
                                              "body": {"type": "string"},
                                              "stance": {"type": "string", "enum": list(Stance.ALL)},
                                              **_DESK_FIELDS}}),
    responses={201: json_response("The receipt with `comment`.", ref("DeskSubmission"))},
)
@token_required
def desk_create_comment():
    officer, data = api_user(), json_body()
    resident = _resident(data)
    submission = _desk_call(lambda: desk.submit_comment(
        officer, resident, policy_id=data.get("policy_id"), body=_text(data, "body"), stance=_text(data, "stance"),
        section_id=data.get("section_id")))
    return _created(submission, {"comment": comment_json(submission.content)})


@bp.post("/desk/surveys/<int:survey_id>/responses")
@operation(
    "Answer a survey for a resident (desk officers)",
    description="Counted with residents' answers, without an account; every resident at the desk answers apart.",
    tags=["desk"], errors=(403, 404, 409),
    request_body=json_request({**ANSWERS_BODY["content"]["application/json"]["schema"],
                               "required": ["answers", "resident"],
                               "properties": {**ANSWERS_BODY["content"]["application/json"]["schema"]["properties"],
                                              **_DESK_FIELDS}}),
    responses={201: json_response("The receipt with `response`.", ref("DeskSubmission"))},
)
@token_required
def desk_answer_survey(survey_id):
    officer, data = api_user(), json_body()
    survey = desk.public_survey(survey_id)
    answers, _demographics = posted_answers(data)
    resident = _resident(data)
    submission = _desk_call(lambda: desk.submit_survey_response(officer, resident, survey, answers))
    return _created(submission, {"response": response_json(submission.survey_response)})


@bp.post("/desk/events/<int:event_id>/registrations")
@operation(
    "Register a resident for an event (desk officers)",
    description="A seat, or a place on the waiting list when the event is full (`registration.status` and "
                "`waitlist_position` say which). The resident's name and the phone as typed go to the event's "
                "organizers. 409 `past` or `cancelled` when the event has started or was cancelled.",
    tags=["desk"], errors=(403, 404, 409),
    request_body=json_request({"type": "object", "required": ["resident"], "properties": _DESK_FIELDS}),
    responses={201: json_response("The receipt with `registration` and `event`.", ref("DeskSubmission"))},
)
@token_required
def desk_register_for_event(event_id):
    officer, data = api_user(), json_body()
    event = desk.open_event(event_id)
    resident = _resident(data)
    submission = _desk_call(lambda: desk.register_for_event(officer, resident, event))
    return _created(submission, {"registration": registration_json(submission.event_registration),
                                 "event": event_json(submission.event_registration.event)})


@bp.get("/desk/submissions")
@operation("The desk's queue: its kelurahan's assisted submissions, newest first (desk officers)",
           tags=["desk"], errors=(403,), paginated=True,
           responses={200: json_response("A page of submissions.", page_of("DeskSubmission"))})
@token_required
def desk_submissions():
    return jsonify(paginate(desk.queue_query(api_user()), submission_json))


@bp.get("/track/<code>")
@limiter.shared_limit(track_limit, scope="track")
@operation(
    "Track a receipt code (anyone)",
    description="Case, spaces and dashes are ignored. 404 `invalid_code` when the check character fails "
                "(a typo), 404 `not_found` for a code nobody was given; 429 when looking up too many codes. "
                "A confidential or not yet public aspiration shows its status only.",
    tags=["desk"], errors=(404, 429),
    responses={200: json_response("What the code's holder may see.", ref("TrackedReceipt"))},
)
def track_receipt(code):
    tracked = desk_tracking.track(code)
    aspiration = tracked.aspiration
    return jsonify({
        "code": tracked.code, "kind": tracked.kind, "submitted_at": isoformat(tracked.submitted_at),
        "kelurahan": tracked.kelurahan.code, "status": tracked.status, "status_label": tracked.status_label,
        "aspiration": None if aspiration is None else {
            "id": aspiration.id, "title": aspiration.title,
            "url": url_for("aspirations.show", aspiration_id=aspiration.id, _external=True),
            "timeline": [{"to": step.state, "label": step.label, "at": isoformat(step.at), "by": step.actor,
                          "note": step.note} for step in tracked.steps]},
        "policy": None if tracked.policy is None else {
            "id": tracked.policy.id, "title": tracked.policy.title,
            "url": url_for("consultations.policy", policy_id=tracked.policy.id, _external=True)},
        "survey": None if tracked.survey is None else {"id": tracked.survey.id, "title": tracked.survey.title},
        "event": None if tracked.event is None else _tracked_event(tracked.event),
        "registration": None if tracked.event is None else {"status": tracked.status,
                                                            "waitlist_position": tracked.waitlist_place},
    })


def _tracked_event(event):
    return {"id": event.id, "title": event.title, "starts_at": isoformat(event.starts_at),
            "ends_at": isoformat(event.ends_at), "address": event.address, "kelurahan": event.district.code,
            "url": url_for("events.show", event_id=event.id, _external=True)}

