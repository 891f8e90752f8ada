"""Aspirations in the API: list, one with its timeline, submit, and workflow transitions.

Support (`POST /content/{id}/votes` with `up`) and official responses
(`POST /content/{id}/responses`) on an aspiration go through the generic
content routes (forum/api/content.py), which hand them to the aspiration
service. Photos travel as `multipart/form-data` (field `photos`): with a new
aspiration, or added by its author until it is verified. The same services
and rules as the pages apply; confidential aspirations are a 404 to anyone
but their author, moderators and the handling agency, and appear in no list.
"""
from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _

from forum.api import bp
from forum.api.auth import api_user, token_required
from forum.api.body import UnsupportedMediaType, json_body
from forum.api.content import AS_ORGANIZATION, as_organization, content_fields, content_schema, text_field
from forum.api.openapi import (
    either_request,
    json_request,
    json_response,
    multipart_request,
    nullable,
    operation,
    page_of,
    query_param,
    ref,
    schema,
)
from forum.api.pagination import paginate
from forum.errors import ValidationFailed
from forum.models import AspirationState, AspirationType, Visibility
from forum.services import aspiration_lists as lists
from forum.services import aspiration_photos as photo_service
from forum.services import aspirations as service
from forum.timeutil import isoformat

SUBMISSION_FIELDS = ("kind", "title", "body", "category", "district", "visibility", "location")
SUBMISSION = {
    "type": "object",
    "required": ["kind", "title", "body", "category", "district"],
    "properties": {
        "kind": {"type": "string", "enum": list(AspirationType.ALL)},
        "title": {"type": "string", "minLength": service.TITLE_MIN, "maxLength": service.TITLE_MAX},
        "body": {"type": "string", "maxLength": service.BODY_MAX},
        "category": {"type": "string", "description": "Category code."},
        "district": {"type": "string", "description": "Kelurahan code."},
        "visibility": {"type": "string", "enum": list(Visibility.ALL), "default": Visibility.PUBLIC},
        "location": {"type": "string", "maxLength": service.LOCATION_MAX},
        "as_organization": {**AS_ORGANIZATION, "description": AS_ORGANIZATION["description"] + (
            " An organization's aspiration is public or confidential, never anonymous.")},
    },
}
PHOTO_FILES = {
    "type": "array", "maxItems": photo_service.MAX_PHOTOS,
    "items": {"type": "string", "contentMediaType": "application/octet-stream"},
    "description": (f"Up to {photo_service.MAX_PHOTOS} files in the field `photos`: JPEG, PNG or WebP of at most "
                    f"{photo_service.MAX_BYTES // (1024 * 1024)} MB each, checked by their content; stored "
                    "re-encoded without EXIF/GPS data."),
}

schema("AspirationEvent", {
    "type": "object",
    "required": ["from", "to", "at", "by", "note"],
    "properties": {
        "from": {**nullable("string"), "enum": [*AspirationState.ALL, None]},
        "to": {"type": "string", "enum": list(AspirationState.ALL)},
        "at": {"type": "string", "format": "date-time"},
        "by": {"type": "object", "required": ["role"], "properties": {
            "role": {"type": "string", "enum": ["resident", "official", "moderator", "admin", "desk", "system"]},
            "agency": {**nullable("string"), "description": "Agency code of an official."},
            "name": {**nullable("string"), "description": "Only when the city shows staff names, or the author's own step."},
        }},
        "agency": {**nullable("string"), "description": "The agency forwarded to."},
        "note": {"type": "string"},
    },
})
content_schema("Aspiration", {
    "status": {"type": "string", "enum": list(AspirationState.ALL), "description": "The workflow state."},
    "counters": {"type": "object", "required": ["supporters", "comments"],
                 "properties": {"supporters": {"type": "integer"}, "comments": {"type": "integer"}}},
    "aspiration_kind": {"type": "string", "enum": list(AspirationType.ALL)},
    "title": {"type": "string"},
    "category": {"type": "string", "description": "Category code."},
    "district": {"type": "string", "description": "Kelurahan code."},
    "kecamatan": {"type": "string", "description": "Kecamatan code."},
    "location": {"type": "string"},
    "visibility": {"type": "string", "enum": list(Visibility.ALL)},
    "agency": {**nullable("string"), "description": "Code of the agency handling it."},
    "verify_due_at": {"type": "string", "format": "date-time"},
    "response_due_at": {**nullable("string"), "format": "date-time"},
    "overdue": {"type": "boolean"},
    "photos": {"type": "array", "items": {"type": "object", "properties": {
        "url": {"type": "string"}, "thumbnail_url": {"type": "string"}}}},
    "url": {"type": "string"},
    "timeline": {"type": "array", "items": ref("AspirationEvent"), "description": "Only on `GET /aspirations/{id}`."},
    "allowed_transitions": {"type": "array", "items": {"type": "string"},
                            "description": "States the caller may move it to now (only on one aspiration)."},
}, required=["title", "category", "district", "visibility", "agency"])


def _event_json(event, viewer):
    by = {"role": event.actor_role,
          "agency": event.actor_agency.code if event.actor_agency is not None else None, "name": None}
    if event.actor_role in ("resident", "desk"):  # a desk's steps are the resident's (forum/services/desk.py)
        by["name"] = event.aspiration.author_name_for(viewer)
    elif event.actor is not None and current_app.config.get("ASPIRATION_SHOW_STAFF_NAMES"):
        by["name"] = event.actor.display_name
    return {"from": event.from_state, "to": event.to_state, "at": isoformat(event.created_at), "by": by,
            "agency": event.agency.code if event.agency is not None else None, "note": event.note}


def aspiration_json(aspiration, viewer, detail=False):
    data = content_fields(aspiration, status=aspiration.state, counters={
        "supporters": aspiration.up_count, "comments": aspiration.comment_count})
    name = aspiration.author_name_for(viewer)
    data["author"] = {"display_name": name} if name and not aspiration.is_tombstone else None
    data.update({
        "aspiration_kind": aspiration.aspiration_type,
        "title": aspiration.title,
        "category": aspiration.category.code,
        "district": aspiration.district.code,
        "kecamatan": aspiration.district.code.split(".", 1)[0],
        "location": aspiration.location_text,
        "visibility": aspiration.visibility,
        "agency": aspiration.agency.code if aspiration.agency is not None else None,
        "verify_due_at": isoformat(aspiration.verify_due_at),
        "response_due_at": isoformat(aspiration.response_due_at),
        "overdue": aspiration.is_overdue(),
        "url": url_for("aspirations.show", aspiration_id=aspiration.id, _external=True),
    })
    if detail:
        data["photos"] = [{"url": url_for("aspirations.photo", photo_id=p.id, _external=True),
                           "thumbnail_url": url_for("aspirations.photo", photo_id=p.id, ukuran="kecil",
                                                    _external=True)} for p in aspiration.photos]
        data["timeline"] = [_event_json(event, viewer) for event in aspiration.events]
        data["allowed_transitions"] = service.allowed_targets(viewer, aspiration)
    return data


@bp.get("/aspirations")
@operation(
    "Public aspirations",
    description="Newest first. Confidential aspirations and those not yet verified never appear.",
    tags=["aspirations"], paginated=True,
    parameters=[
        query_param("status", {"type": "string", "enum": list(AspirationState.ALL)}, "Only this state."),
        query_param("kind", {"type": "string", "enum": list(AspirationType.ALL)}, "Only this kind."),
        query_param("category", {"type": "string"}, "Only this category code."),
        query_param("district", {"type": "string"}, "A kecamatan or kelurahan code."),
        query_param("agency", {"type": "string"}, "Only this agency code."),
        query_param("sort", {"type": "string", "enum": list(lists.SORTS)}, "Order (default newest)."),
    ],
    responses={200: json_response("A page of aspirations.", page_of("Aspiration"))},
)
def list_aspirations():
    problems = {}
    filters = lists.ListFilters.read(request.args, problems)
    if problems:
        raise ValidationFailed(fields=problems)
    viewer = api_user()
    return jsonify(paginate(lists.public_query(filters), lambda row: aspiration_json(row, viewer)))


@bp.get("/aspirations/<int:aspiration_id>")
@operation("One aspiration with its timeline", tags=["aspirations"],
           responses={200: json_response("The aspiration.", ref("Aspiration"))})
def get_aspiration(aspiration_id):
    viewer = api_user()
    return jsonify(aspiration_json(service.get_aspiration(viewer, aspiration_id), viewer, detail=True))


def _is_form_upload():
    return request.mimetype == "multipart/form-data"


def _submission():
    """The fields and photos of a new aspiration: a form with files, or a JSON body (no photos)."""
    if _is_form_upload():
        fields = {name: request.form.get(name) for name in SUBMISSION_FIELDS}
        fields["as_organization"] = request.form.get("as_organization")
        return fields, request.files.getlist("photos")
    data = json_body()
    problems = {}
    fields = {"as_organization": as_organization(data)}
    for name in SUBMISSION_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            problems[name] = _("This must be a text.")
        fields[name] = value
    if problems:
        raise ValidationFailed(fields=problems)
    return fields, ()


@bp.post("/aspirations")
@operation(
    "Raise an aspiration (residents)",
    description=(
        "It starts as `submitted`; a moderator verifies it within 3 working days. Send JSON, or the same fields "
        "as `multipart/form-data` with photos; a refused photo (422 on `photos`) stores nothing."
    ),
    tags=["aspirations"], errors=(403,),
    request_body=either_request(
        json_request(SUBMISSION),
        multipart_request({**SUBMISSION, "properties": {**SUBMISSION["properties"], "photos": PHOTO_FILES}}),
    ),
    responses={201: json_response("The new aspiration, with `notices` from the screen.", ref("Aspiration"))},
)
@token_required
def create_aspiration():
    user = api_user()
    fields, photos = _submission()
    aspiration = service.submit_aspiration(
        user, aspiration_type=fields["kind"], title=fields["title"], body=fields["body"],
        category=fields["category"], district=fields["district"],
        visibility=fields["visibility"] or Visibility.PUBLIC, location=fields["location"] or "", photos=photos,
        as_organization=fields["as_organization"])
    answer = aspiration_json(aspiration, user, detail=True)
    answer["notices"] = aspiration.notices
    response = jsonify(answer)
    response.headers["Location"] = url_for("api.get_aspiration", aspiration_id=aspiration.id)
    return response, 201


@bp.post("/aspirations/<int:aspiration_id>/photos")
@operation(
    "Add photos to your aspiration (its author, until it is verified)",
    description="At most 3 photos in all; 409 `wrong_state` once it is past `submitted`, `photos_full` at 3.",
    tags=["aspirations"], errors=(403, 409),
    request_body=multipart_request({"type": "object", "required": ["photos"],
                                    "properties": {"photos": {**PHOTO_FILES, "minItems": 1}}}),
    responses={201: json_response("The aspiration with all its photos.", ref("Aspiration"))},
)
@token_required
def add_aspiration_photos(aspiration_id):
    user = api_user()
    aspiration = service.get_aspiration(user, aspiration_id)
    if not _is_form_upload():
        raise UnsupportedMediaType(_("Send the photos as multipart/form-data, each file in the field photos."))
    photo_service.add_photos(user, aspiration, request.files.getlist("photos"))
    return jsonify(aspiration_json(aspiration, user, detail=True)), 201


@bp.post("/aspirations/<int:aspiration_id>/transitions")
@operation(
    "Move an aspiration along the workflow (moderators, officials, its author)",
    description=(
        "`to`: verified, declined (note = reason), forwarded (`agency` code; a re-forward needs a note), "
        "in_progress, answered (note = the answer, published as the agency's official response), "
        "closed (the author accepts), reopened (the author, once, note = reason)."
    ),
    tags=["aspirations"], errors=(403, 409),
    request_body=json_request({
        "type": "object", "required": ["to"],
        "properties": {"to": {"type": "string", "enum": list(AspirationState.ALL)},
                       "agency": {"type": "string", "description": "Agency code, to forward."},
                       "note": {"type": "string"}},
    }),
    responses={200: json_response("The aspiration after the change.", ref("Aspiration"))},
)
@token_required
def transition_aspiration(aspiration_id):
    user = api_user()
    aspiration = service.get_aspiration(user, aspiration_id)
    data = json_body()
    to = text_field(data, "to")
    agency = text_field(data, "agency", required=False)
    note = text_field(data, "note", required=False) or ""
    service.transition(user, aspiration, to, agency=agency, note=note)
    return jsonify(aspiration_json(aspiration, user, detail=True))
