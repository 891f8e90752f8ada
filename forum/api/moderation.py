"""Moderation in the API: flag content, read the review queue, decide an item.

`POST /content/{id}/flags` (anyone who may write, not on their own content),
`GET /moderation/queue` and `POST /moderation/items/{id}/decision`
(moderators). The same services as the desk (moderation/), so the same
rules: a decision on an item already decided is a 409 naming who decided.
"""
from flask import jsonify, request
from flask_babel import gettext as _

from forum.api import bp
from forum.api.auth import api_user, token_required
from forum.api.body import json_body
from forum.api.content import text_field
from forum.api.openapi import json_request, json_response, nullable, operation, page_of, query_param, ref, schema
from forum.api.pagination import page_args
from forum.errors import ValidationFailed
from forum.models import Channel
from forum.permissions import require
from forum.text import excerpt
from forum.timeutil import isoformat
from moderation import decisions, flags, queue
from moderation.models import FlagReason


schema("Flag", {
    "type": "object",
    "required": ["id", "content_id", "reason", "note", "weight", "content_status"],
    "properties": {
        "id": {"type": "integer"},
        "content_id": {"type": "integer"},
        "reason": {"type": "string", "enum": list(FlagReason.ALL)},
        "note": nullable("string"),
        "weight": {"type": "number", "description": "How much this flag counted toward the threshold."},
        "content_status": {"type": "string", "description": "`hidden` when this flag reached the threshold."},
    },
})
schema("ReviewItem", {
    "type": "object",
    "required": ["id", "content_id", "kind", "queue", "status", "score", "flag_count", "version", "created_at",
                 "decided_at", "decision"],
    "properties": {
        "id": {"type": "integer"},
        "content_id": {"type": "integer"},
        "kind": {"type": "string"},
        "queue": {"type": "string", "enum": ["pending", "flagged", "hidden", "appeal"]},
        "status": {"type": "string", "description": "The content's status."},
        "excerpt": {"type": "string"},
        "author": nullable("string"),
        "organization": {**nullable("string"), "description": "The organization it was written as (`author` "
                                                             "is the member who wrote it)."},
        "score": {"type": "number"},
        "flag_count": {"type": "integer"},
        "screen_reasons": {"type": "array", "items": {"type": "object"}},
        "version": {"type": "integer", "description": "Send it back with a decision to refuse stale decisions."},
        "created_at": {"type": "string", "format": "date-time"},
        "decided_at": {**nullable("string"), "format": "date-time"},
        "decision": nullable("string"),
        "actions": {"type": "array", "items": {"type": "string"}, "description": "Decisions that fit now."},
    },
})


def flag_json(flag, content):
    return {"id": flag.id, "content_id": flag.content_id, "reason": flag.reason, "note": flag.note,
            "weight": flag.weight, "content_status": content.status}


def item_json(item):
    content = item.content
    return {
        "id": item.id, "content_id": item.content_id, "kind": content.kind, "queue": item.queue,
        "status": content.status, "excerpt": excerpt(content.body_html or "", 200),
        "author": content.author.display_name if content.author else (
            content.desk_author_label() if content.channel == Channel.DESK else None),
        "organization": content.organization.name if content.organization_id else None,
        "score": item.score, "flag_count": item.flag_count, "screen_reasons": item.screen_reasons or [],
        "version": item.version, "created_at": isoformat(item.created_at), "decided_at": isoformat(item.decided_at),
        "decision": item.decision, "actions": list(decisions.allowed_actions(item)),
    }


@bp.post("/content/<int:content_id>/flags")
@operation(
    "Flag content for the moderators",
    description=(
        "Once per person and content, at most 20 a day, never on one's own content. A weighted score "
        "hides the content when it reaches the threshold (a moderator's flag does so at once)."
    ),
    tags=["moderation"], errors=(403, 409, 422, 429),
    request_body=json_request({
        "type": "object", "required": ["reason"],
        "properties": {"reason": {"type": "string", "enum": list(FlagReason.ALL)},
                       "note": {"type": "string", "maxLength": 500, "description": "Required for `other`."}},
    }),
    responses={201: json_response("The flag.", ref("Flag"))},
)
@token_required
def flag_content(content_id):
    user = api_user()
    content = flags.content_to_flag(user, content_id)
    data = json_body()
    flag = flags.flag_content(user, content, text_field(data, "reason"), text_field(data, "note", required=False))
    return jsonify(flag_json(flag, content)), 201


@bp.get("/moderation/queue")
@operation(
    "The moderators' review queue",
    description="Open items of one tab, sorted by flag score, age (oldest first), newest first or kind.",
    tags=["moderation"], paginated=True, errors=(403, 422),
    parameters=[
        query_param("tab", {"type": "string", "enum": list(queue.TABS), "default": "pending"}, "Which tab."),
        query_param("sort", {"type": "string", "enum": list(queue.SORTS)}, "Order of the items."),
    ],
    responses={200: json_response("A page of review items.", page_of("ReviewItem"))},
)
@token_required
def review_queue():
    user = api_user()
    require(user, "moderation.desk")
    tab, sort = request.args.get("tab", "pending"), request.args.get("sort", "")
    problems = {}
    if tab not in queue.TABS:
        problems["tab"] = _("Choose one of: %(choices)s.", choices=", ".join(queue.TABS))
    if sort and sort not in queue.SORTS:
        problems["sort"] = _("Choose one of: %(choices)s.", choices=", ".join(queue.SORTS))
    if problems:
        raise ValidationFailed(fields=problems)
    page, per_page = page_args()
    result = queue.queue_page(tab, sort, page, per_page)
    return jsonify({"items": [item_json(item) for item in result.items], "page": result.page,
                    "per_page": per_page, "total": result.total})


@bp.post("/moderation/items/<int:item_id>/decision")
@operation(
    "Decide a review item",
    description=(
        "`action`: approve, hide, remove, restore, ignore_flags, edit_approve (with `text`) or uphold "
        "(appeals). `reason` is required to hide, remove, edit and on appeals; the author reads it. "
        "409 `already_decided` when another moderator decided first (nothing is applied twice); with "
        "`version`, 409 `stale` when the item changed since it was read."
    ),
    tags=["moderation"], errors=(403, 409, 422),
    request_body=json_request({
        "type": "object", "required": ["action"],
        "properties": {"action": {"type": "string", "enum": list(decisions.ACTIONS)},
                       "reason": {"type": "string", "maxLength": decisions.REASON_MAX},
                       "text": {"type": "string", "description": "For edit_approve: the text to publish."},
                       "version": {"type": "integer"}},
    }),
    responses={200: json_response("The decided item.", ref("ReviewItem"))},
)
@token_required
def decide_item(item_id):
    user = api_user()
    require(user, "moderation.decide")
    data = json_body()
    version = data.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ValidationFailed(fields={"version": _("This must be a positive whole number.")})
    item = decisions.decide(user, item_id, text_field(data, "action"),
                            reason=text_field(data, "reason", required=False), version=version,
                            text=text_field(data, "text", required=False))
    return jsonify(item_json(item))
