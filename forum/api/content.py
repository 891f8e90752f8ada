"""What every content object looks like in the API, and the routes on any content.

`content_fields()` gives the fields all kinds share (`id`, `kind`, `status`,
`author`, `organization`, `body_html`, `created_at`, `edited_at`, `counters`);
each kind adds its own. Content written as an organization names it in
`organization` and as `author`, never the member who wrote it; write bodies
take `as_organization` (`AS_ORGANIZATION`, read by `as_organization()`).
`comment_json()` lives here because comments appear in several answers. The routes: `POST/DELETE /content/{id}/votes` (helpful / unhelpful
on a comment) and `POST /content/{id}/responses` (an official response).
"""
from flask import jsonify, request
from flask_babel import gettext as _

from forum.api import bp
from forum.api.auth import api_user, token_required
from forum.api.body import json_body
from forum.api.openapi import json_request, json_response, nullable, operation, query_param, ref, schema
from forum.errors import Conflict, ValidationFailed
from forum.extensions import MAX_ID
from forum.models import Aspiration, Channel, Comment, Policy, Stance, VoteValue
from forum.services import aspirations as aspiration_service
from forum.services import comments as comment_service
from forum.services import votes as vote_service
from forum.services.content import visible_content
from forum.timeutil import isoformat

schema("Author", {
    "type": "object",
    "required": ["display_name"],
    "properties": {"display_name": {"type": "string"}},
})
schema("AuthorOrganization", {
    "type": "object",
    "required": ["id", "name", "slug", "verified"],
    "description": "The organization a member wrote as: the public author.",
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "slug": {"type": "string"},
                   "verified": {"type": "boolean"}},
})
AS_ORGANIZATION = {
    "type": "integer", "minimum": 1,
    "description": ("Write as this organization (its id): the caller must be a member (else 403) and the "
                    "organization verified and not suspended (else 409). Leave it out to write as oneself."),
}
AS_ORGANIZATION_PARAM = query_param("as_organization", AS_ORGANIZATION,
                                    "Withdraw the vote of this organization instead of one's own.")
_COMMON = {
    "id": {"type": "integer"},
    "kind": {"type": "string", "examples": ["policy", "comment"]},
    "status": {"type": "string"},
    "author": {"anyOf": [ref("Author"), {"type": "null"}], "description": "Null where anonymous or deleted."},
    "organization": {"anyOf": [ref("AuthorOrganization"), {"type": "null"}],
                     "description": "The organization it was written as; null when written by a person."},
    "body_html": {**nullable("string"), "description": "Sanitized HTML; null for a removed or deleted one."},
    "created_at": {"type": "string", "format": "date-time"},
    "edited_at": {**nullable("string"), "format": "date-time"},
    "counters": {"type": "object", "additionalProperties": {"type": "integer"}},
}
COMMON_REQUIRED = ["id", "kind", "status", "author", "body_html", "created_at", "edited_at", "counters"]


def content_schema(name, properties, required=(), description=None):
    """Register a content kind's schema: the common fields plus its own."""
    definition = {
        "type": "object",
        "required": COMMON_REQUIRED + list(required),
        "properties": {**_COMMON, **properties},
    }
    if description:
        definition["description"] = description
    return schema(name, definition)


content_schema("Comment", {
    "status": {"type": "string", "enum": ["published", "pending", "hidden", "removed", "deleted"],
               "description": "`pending`: held for review, shown to its author only."},
    "counters": {"type": "object", "required": ["up", "down", "replies"],
                 "properties": {"up": {"type": "integer"}, "down": {"type": "integer"},
                                "replies": {"type": "integer"}}},
    "policy_id": {"type": "integer"},
    "version_id": nullable("integer"),
    "section_id": nullable("integer"),
    "parent_id": nullable("integer"),
    "root_id": nullable("integer"),
    "depth": {"type": "integer", "minimum": 0, "maximum": 2},
    "stance": {**nullable("string"), "enum": [*Stance.ALL, None]},
    "is_official_response": {"type": "boolean"},
    "agency": {**nullable("string"), "description": "Agency code of an official response."},
    "channel": {"type": "string", "enum": list(Channel.ALL),
                "description": "How the input came: online, a face-to-face meeting's point, a service desk."},
    "event_id": {**nullable("integer"), "description": "The event a face-to-face point was raised at."},
    "agreed_count": {**nullable("integer"), "description": "People at that meeting who agreed with the point."},
}, required=["policy_id", "section_id", "parent_id", "depth", "stance", "is_official_response"])

schema("CommentPosted", {
    "allOf": [ref("Comment"), {
        "type": "object",
        "required": ["notices"],
        "properties": {"notices": {
            "type": "array", "items": {"type": "string"},
            "description": "What the screen did to the text (masked, held for review), for the author.",
        }},
    }],
})
schema("VoteState", {
    "type": "object",
    "required": ["value", "counters"],
    "properties": {
        "value": {**nullable("string"), "enum": [*VoteValue.ALL, None],
                  "description": "The caller's vote after the change; null when withdrawn."},
        "counters": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
})


def author_json(content):
    name = content.public_author_name()
    return {"display_name": name} if name else None


def organization_json(content):
    """The organization `content` was written as, or None."""
    organization = content.organization if content.organization_id is not None else None
    if organization is None:
        return None
    return {"id": organization.id, "name": organization.name, "slug": organization.slug,
            "verified": organization.is_verified}


def as_organization(data):
    """The optional `as_organization` id of a JSON write body (422 for another type)."""
    return id_field(data, "as_organization")


def content_fields(content, status=None, counters=None):
    """The common fields; a tombstone keeps its place but shows no text and no author."""
    tombstone = content.is_tombstone
    return {
        "id": content.id,
        "kind": content.kind,
        "status": status or content.status,
        "author": None if tombstone else author_json(content),
        "organization": None if tombstone else organization_json(content),
        "body_html": None if tombstone else content.body_html,
        "created_at": isoformat(content.created_at),
        "edited_at": isoformat(content.edited_at),
        "counters": counters if counters is not None else {"up": content.up_count, "down": content.down_count},
    }


def comment_json(comment):
    data = content_fields(comment, counters={
        "up": comment.up_count, "down": comment.down_count, "replies": comment.reply_count,
    })
    data.update({
        "policy_id": comment.target_id,
        "version_id": comment.version_id,
        "section_id": comment.section_id,
        "parent_id": comment.parent_id,
        "root_id": comment.root_id,
        "depth": comment.depth,
        "stance": comment.stance,
        "is_official_response": comment.is_official_response,
        "agency": comment.agency.code if comment.agency_id else None,
        "channel": comment.channel,
        "event_id": comment.event_id,          # a point raised at a face-to-face meeting
        "agreed_count": comment.agreed_count,  # the people at that meeting who agreed
    })
    return data


def posted_comment_json(comment):
    """A comment just written, with what the screen told its author."""
    data = comment_json(comment)
    verdict = getattr(comment, "verdict", None)
    data["notices"] = [str(message) for message in verdict.author_messages()] if verdict else []
    return data


def vote_state(value, content):
    return {"value": value, "counters": {"up": content.up_count, "down": content.down_count}}


def text_field(data, name, required=True):
    """A string field of a JSON body (None when optional and absent); 422 for another type."""
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ValidationFailed(fields={name: _("This must be a text.")})
    return value


def id_field(data, name):
    """An optional integer id field of a JSON body; 422 for any other type."""
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise ValidationFailed(fields={name: _("This must be a positive whole number.")})
    return value


_VOTE_BODY = json_request({
    "type": "object", "required": ["value"],
    "properties": {"value": {"type": "string", "enum": [VoteValue.UP, VoteValue.DOWN]},
                   "as_organization": AS_ORGANIZATION},
})


@bp.post("/content/<int:content_id>/votes")
@operation(
    "Rate a comment helpful (up) or unhelpful (down), or support an aspiration (up)",
    description=("One vote per person; voting again changes it. Officials and the author may not vote. "
                 "On an aspiration `up` is support (dukung); a second support is a 409. With `as_organization` "
                 "the vote is the organization's: one per organization, apart from the member's own."),
    tags=["votes"], request_body=_VOTE_BODY, errors=(403, 409),
    responses={200: json_response("The caller's vote and the new counters.", ref("VoteState"))},
)
@token_required
def vote_content(content_id):
    user = api_user()
    content = visible_content(user, content_id)
    data = json_body()
    value, organization_id = text_field(data, "value"), as_organization(data)
    if isinstance(content, Aspiration):
        if value != VoteValue.UP:
            raise ValidationFailed(fields={"value": _("Support an aspiration with the value up.")})
        value = aspiration_service.support(user, content, as_organization=organization_id)
    else:
        value = vote_service.vote_on_content(user, content, value, as_organization=organization_id)
    return jsonify(vote_state(value, content))


@bp.delete("/content/<int:content_id>/votes")
@operation(
    "Withdraw one's rating of a comment",
    tags=["votes"], errors=(403, 409),
    parameters=[AS_ORGANIZATION_PARAM],
    responses={200: json_response("No vote any more, and the new counters.", ref("VoteState"))},
)
@token_required
def unvote_content(content_id):
    user = api_user()
    content = visible_content(user, content_id)
    organization_id = request.args.get("as_organization")
    if isinstance(content, Aspiration):
        value = aspiration_service.withdraw_support(user, content, as_organization=organization_id)
    else:
        value = vote_service.clear_content_vote(user, content, as_organization=organization_id)
    return jsonify(vote_state(value, content))


@bp.post("/content/<int:content_id>/responses")
@operation(
    "An official response to a comment, a policy (or one of its clauses) or an aspiration",
    description=(
        "Officials of the policy's agency answer in public; the response is pinned above other replies "
        "and its author is told. On a policy, `section_id` answers one clause of the current version."
    ),
    tags=["comments"], errors=(403, 409),
    request_body=json_request({
        "type": "object", "required": ["body"],
        "properties": {"body": {"type": "string", "maxLength": comment_service.BODY_MAX},
                       "section_id": {"type": "integer", "description": "Only when responding to a policy."}},
    }),
    responses={201: json_response("The response.", ref("CommentPosted"))},
)
@token_required
def respond(content_id):
    user = api_user()
    content = visible_content(user, content_id)
    data = json_body()
    body = text_field(data, "body")
    if isinstance(content, Aspiration):
        response = aspiration_service.respond(user, content, body)
    elif isinstance(content, Comment) and isinstance(content.target, Policy):
        response = comment_service.post_official_response(user, content.target, body=body, comment_id=content.id)
    elif isinstance(content, Policy):
        response = comment_service.post_official_response(
            user, content, body=body, section_id=id_field(data, "section_id"))
    else:
        raise Conflict(_("This content does not take official responses."), code="not_respondable")
    return jsonify(posted_comment_json(response)), 201
