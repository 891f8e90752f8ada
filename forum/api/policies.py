"""Consultations in the API: policies and the overall vote (comments: forum/api/comments.py).

Views are thin: read and type-check the JSON body, call one service of
forum/services (policies, comments, votes), serialize. Visibility (drafts
only for their agency) and every rule live in the services; their domain
errors become the JSON errors of forum/errorpages.py.
"""
import re
from datetime import datetime, timezone

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from forum.api import bp
from forum.api.auth import api_user, token_required
from forum.api.body import json_body
from forum.api.content import (
    AS_ORGANIZATION,
    AS_ORGANIZATION_PARAM,
    as_organization,
    content_fields,
    content_schema,
    text_field,
)
from forum.api.openapi import json_request, json_response, nullable, operation, page_of, query_param, ref, schema
from forum.api.pagination import paginate
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.models import Agency, Category, Policy, PolicyPhase, PolicyVersion, Stance, VoteValue
from forum.services import policies as policy_service
from forum.services import votes as vote_service
from forum.services.content import content_url
from forum.timeutil import CITY_ZONE, isoformat

_CODE_SHAPE = re.compile(r"[a-z0-9.-]{1,80}")
_SECTION_FIELD = re.compile(r"sections-(\d+)-(\w+)")

schema("Section", {
    "type": "object",
    "required": ["id", "number", "heading", "body_html"],
    "properties": {
        "id": {"type": "integer"},
        "number": {"type": "integer", "minimum": 1},
        "heading": {"type": "string"},
        "body_html": {"type": "string"},
        "counters": {
            "type": "object", "description": "Published comments on this clause, by stance.",
            "properties": {name: {"type": "integer"} for name in ("comments", *Stance.ALL)},
        },
        "outcome_note": nullable("string"),
    },
})
content_schema("Policy", {
    "status": {"type": "string", "enum": list(PolicyPhase.ALL),
               "description": "The consultation's phase; `draft` only for its own agency."},
    "counters": {"type": "object", "required": ["support", "oppose", "comments"],
                 "properties": {"support": {"type": "integer"}, "oppose": {"type": "integer"},
                                "comments": {"type": "integer"}}},
    "title": {"type": "string"},
    "summary_html": {"type": "string"},
    "category": {"type": "string", "description": "Category code."},
    "agency": {"type": "string", "description": "Agency code."},
    "opens_at": {"type": "string", "format": "date-time"},
    "closes_at": {"type": "string", "format": "date-time"},
    "published_at": {**nullable("string"), "format": "date-time"},
    "closed_at": {**nullable("string"), "format": "date-time"},
    "accepting_input": {"type": "boolean", "description": "Whether residents may comment and vote now."},
    "comment_count": {"type": "integer"},
    "version": {"type": "integer", "description": "Number of the current version."},
    "sections": {"type": "array", "items": ref("Section")},
    "outcome_html": nullable("string"),
    "outcome_published_at": {**nullable("string"), "format": "date-time"},
    "url": {"type": "string", "description": "The consultation's page."},
}, required=["title", "opens_at", "closes_at", "comment_count", "sections", "category", "agency"])
def section_json(section):
    return {
        "id": section.id,
        "number": section.number,
        "heading": section.heading,
        "body_html": section.body_html,
        "counters": {"comments": section.comment_count, "support": section.support_count,
                     "oppose": section.oppose_count, "neutral": section.neutral_count},
        "outcome_note": section.outcome_note,
    }


def policy_json(policy):
    version = policy.current_version
    data = content_fields(policy, status=policy.phase, counters={
        "support": policy.up_count, "oppose": policy.down_count, "comments": policy.comment_count,
    })
    data.update({
        "title": policy.title,
        "summary_html": policy.summary_html,
        "category": policy.category.code,
        "agency": policy.agency.code,
        "opens_at": isoformat(policy.opens_at),
        "closes_at": isoformat(policy.closes_at),
        "published_at": isoformat(policy.published_at),
        "closed_at": isoformat(policy.closed_at),
        "accepting_input": policy.accepts_input(),
        "comment_count": policy.comment_count,
        "version": version.number if version else None,
        "sections": [section_json(section) for section in version.sections] if version else [],
        "outcome_html": policy.outcome_html,
        "outcome_published_at": isoformat(policy.outcome_published_at),
        "url": content_url(policy, external=True),
    })
    return data


_POLICY_OPTIONS = (
    joinedload(Policy.author), joinedload(Policy.category), joinedload(Policy.agency),
    selectinload(Policy.versions).selectinload(PolicyVersion.sections),
)


# -- query arguments ------------------------------------------------------------
def _code_filter(name, model, column, problems):
    raw = request.args.get(name)
    if raw is None:
        return None
    row = db.session.scalar(select(model).where(model.code == raw)) if _CODE_SHAPE.fullmatch(raw) else None
    if row is None:
        problems[name] = _("Unknown code.")
        return None
    return column == row.id


def _visible_policies(user):
    """Published consultations, plus the drafts of the caller's agency (all drafts for an admin)."""
    condition = Policy.public_filter()
    if user is not None and user.is_admin:
        return or_(condition, Policy.phase == PolicyPhase.DRAFT)
    if user is not None and user.is_official and user.agency_id is not None:
        return or_(condition, and_(Policy.phase == PolicyPhase.DRAFT, Policy.agency_id == user.agency_id))
    return condition


def choice_arg(name, choices, problems, default=None):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        problems[name] = _("Use one of: %(values)s.", values=", ".join(choices))
        return default
    return raw


# -- policies ------------------------------------------------------------------
@bp.get("/policies")
@operation(
    "Consultations on draft policies",
    description="Newest first. Drafts appear only to officials of their agency.",
    tags=["policies"], paginated=True,
    parameters=[
        query_param("status", {"type": "string", "enum": list(PolicyPhase.ALL)}, "Only this phase."),
        query_param("category", {"type": "string"}, "Only this category code."),
        query_param("agency", {"type": "string"}, "Only this agency code."),
    ],
    responses={200: json_response("A page of policies.", page_of("Policy"))},
)
def list_policies():
    policy_service.refresh_phases()
    problems = {}
    conditions = [_visible_policies(api_user())]
    status = choice_arg("status", PolicyPhase.ALL, problems)
    if status:
        conditions.append(Policy.phase == status)
    for name, model, column in (("category", Category, Policy.category_id), ("agency", Agency, Policy.agency_id)):
        condition = _code_filter(name, model, column, problems)
        if condition is not None:
            conditions.append(condition)
    if problems:
        raise ValidationFailed(fields=problems)
    statement = select(Policy).where(*conditions).options(*_POLICY_OPTIONS).order_by(Policy.id.desc())
    return jsonify(paginate(statement, policy_json))


@bp.get("/policies/<int:policy_id>")
@operation("One consultation with its clauses", tags=["policies"],
           responses={200: json_response("The policy.", ref("Policy"))})
def get_policy(policy_id):
    return jsonify(policy_json(policy_service.visible_policy(api_user(), policy_id)))


def _when(data, name, problems):
    """An ISO 8601 time as aware UTC; without an offset it is read as Asia/Jakarta time."""
    value = data.get(name)
    try:
        moment = datetime.fromisoformat(value.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=CITY_ZONE)
        # Converting early refuses times at the edge of the calendar (year 1, 9999).
        return moment.astimezone(timezone.utc)
    except (AttributeError, ValueError, OverflowError):
        problems[name] = _("Give a date and time in ISO 8601, e.g. 2026-01-31T09:00:00+07:00.")
        return None


def _sections(data, problems):
    sections = data.get("sections")
    if not isinstance(sections, list) or not all(isinstance(item, dict) for item in sections):
        problems["sections"] = _("Give a list of sections, each with a heading and a body.")
        return []
    for index, item in enumerate(sections):
        for key in ("heading", "body"):
            if not isinstance(item.get(key), str):
                problems[f"sections.{index}.{key}"] = _("This must be a text.")
    return sections


def _api_field_names(error):
    """The services name section fields as the forms do (`sections-2-heading`): say `sections.2.heading`."""
    error.fields = {
        _SECTION_FIELD.sub(lambda match: f"sections.{match[1]}.{match[2]}", name): message
        for name, message in error.fields.items()
    }
    return error


@bp.post("/policies")
@operation(
    "Start a draft policy (officials)",
    description="The draft belongs to the caller's agency and stays visible to it only until published.",
    tags=["policies"], errors=(403,),
    request_body=json_request({
        "type": "object",
        "required": ["title", "summary", "sections", "category", "opens_at", "closes_at"],
        "properties": {
            "title": {"type": "string", "maxLength": policy_service.TITLE_MAX},
            "summary": {"type": "string", "maxLength": policy_service.SUMMARY_MAX},
            "sections": {"type": "array", "minItems": 1, "maxItems": policy_service.MAX_SECTIONS, "items": {
                "type": "object", "required": ["heading", "body"],
                "properties": {"heading": {"type": "string"}, "body": {"type": "string"}},
            }},
            "category": {"type": "string", "description": "Category code."},
            "opens_at": {"type": "string", "format": "date-time",
                         "description": "ISO 8601; without an offset, Asia/Jakarta time."},
            "closes_at": {"type": "string", "format": "date-time"},
        },
    }),
    responses={201: json_response("The new draft.", ref("Policy"))},
)
@token_required
def create_policy():
    data = json_body()
    problems = {}
    fields = {name: data.get(name) for name in ("title", "summary", "category")}
    for name, value in fields.items():
        if value is not None and not isinstance(value, str):
            problems[name] = _("This must be a text.")
    opens_at, closes_at = _when(data, "opens_at", problems), _when(data, "closes_at", problems)
    sections = _sections(data, problems)
    if problems:
        raise ValidationFailed(fields=problems)
    try:
        policy = policy_service.create_policy(
            api_user(), title=fields["title"], summary=fields["summary"], sections=sections,
            category_code=fields["category"], opens_at=opens_at, closes_at=closes_at,
        )
    except ValidationFailed as error:
        raise _api_field_names(error) from None
    response = jsonify(policy_json(policy))
    response.headers["Location"] = url_for("api.get_policy", policy_id=policy.id)
    return response, 201


@bp.post("/policies/<int:policy_id>/publish")
@operation("Open a draft for consultation (officials of its agency)", tags=["policies"], errors=(403, 409, 422),
           responses={200: json_response("The published policy.", ref("Policy"))})
@token_required
def publish_policy(policy_id):
    user = api_user()
    policy = policy_service.publish_policy(user, policy_service.visible_policy(user, policy_id))
    return jsonify(policy_json(policy))


@bp.post("/policies/<int:policy_id>/close")
@operation("Close an open consultation (officials of its agency)", tags=["policies"], errors=(403, 409),
           responses={200: json_response("The closed policy.", ref("Policy"))})
@token_required
def close_policy(policy_id):
    user = api_user()
    policy = policy_service.close_policy(user, policy_service.visible_policy(user, policy_id))
    return jsonify(policy_json(policy))


# -- the overall vote ------------------------------------------------------------
schema("PolicyVoteState", {
    "type": "object",
    "required": ["value", "counters"],
    "properties": {
        "value": {**nullable("string"), "enum": [VoteValue.SUPPORT, VoteValue.OPPOSE, None]},
        "counters": {"type": "object", "required": ["support", "oppose"],
                     "properties": {"support": {"type": "integer"}, "oppose": {"type": "integer"}}},
    },
})


def _policy_vote(value, policy):
    return {"value": value, "counters": {"support": policy.up_count, "oppose": policy.down_count}}


@bp.put("/policies/<int:policy_id>/vote")
@operation(
    "Support or oppose a consultation's draft (residents)",
    description=("One vote per person, changeable while the consultation is open; with `as_organization`, "
                 "the organization's vote (one per organization)."),
    tags=["votes"], errors=(403, 409),
    request_body=json_request({
        "type": "object", "required": ["value"],
        "properties": {"value": {"type": "string", "enum": [VoteValue.SUPPORT, VoteValue.OPPOSE]},
                       "as_organization": AS_ORGANIZATION},
    }),
    responses={200: json_response("The caller's vote and the new counts.", ref("PolicyVoteState"))},
)
@token_required
def vote_policy(policy_id):
    user = api_user()
    policy = policy_service.visible_policy(user, policy_id)
    data = json_body()
    value = vote_service.vote_on_policy(user, policy, text_field(data, "value"),
                                        as_organization=as_organization(data))
    return jsonify(_policy_vote(value, policy))


@bp.delete("/policies/<int:policy_id>/vote")
@operation("Withdraw one's vote on a consultation", tags=["votes"], errors=(403, 409),
           parameters=[AS_ORGANIZATION_PARAM],
           responses={200: json_response("No vote any more, and the new counts.", ref("PolicyVoteState"))})
@token_required
def unvote_policy(policy_id):
    user = api_user()
    policy = policy_service.visible_policy(user, policy_id)
    value = vote_service.clear_policy_vote(user, policy, as_organization=request.args.get("as_organization"))
    return jsonify(_policy_vote(value, policy))
