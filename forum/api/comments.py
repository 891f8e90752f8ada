"""Comments on a consultation in the API: the threads, and writing one.

`GET /policies/{id}/comments` pages root comments with every reply of their
thread (forum.services.comments.comment_page, which also decides who sees a
held comment); `POST` writes a comment or reply through `post_comment`.
"""
from flask import jsonify, request
from flask_babel import gettext as _

from forum.api import bp
from forum.api.auth import api_user, token_required
from forum.api.body import json_body
from forum.api.content import (
    AS_ORGANIZATION,
    as_organization,
    comment_json,
    id_field,
    posted_comment_json,
    text_field,
)
from forum.api.openapi import json_request, json_response, operation, page_of, query_param, ref, schema
from forum.api.pagination import page_args
from forum.api.policies import choice_arg
from forum.errors import ValidationFailed
from forum.extensions import MAX_ID
from forum.models import Stance
from forum.services import comments as comment_service
from forum.services import policies as policy_service
from forum.services import writing

COMMENT_SORTS = comment_service.SORTS

schema("CommentThread", {
    "allOf": [ref("Comment"), {
        "type": "object", "required": ["replies"],
        "properties": {"replies": {"type": "array", "items": ref("Comment"),
                                   "description": "Every reply in the thread, official responses first."}},
    }],
})


def _id_arg(name, problems):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID:
        return int(raw)
    problems[name] = _("Use a positive whole number.")
    return None


@bp.get("/policies/<int:policy_id>/comments")
@operation(
    "Comment threads of a consultation",
    description=(
        "Root comments, a page at a time, each with every reply of its thread. Held comments show "
        "only to their author; removed and deleted ones keep their place without text."
    ),
    tags=["comments"], paginated=True,
    parameters=[
        query_param("section_id", {"type": "integer", "minimum": 1}, "Only comments on this clause."),
        query_param("stance", {"type": "string", "enum": list(Stance.ALL)}, "Only comments with this stance."),
        query_param("sort", {"type": "string", "enum": list(COMMENT_SORTS), "default": "newest"},
                    "newest, most helpful, or official responses first."),
    ],
    responses={200: json_response("A page of threads.", page_of("CommentThread"))},
)
def list_comments(policy_id):
    user = api_user()
    policy = policy_service.visible_policy(user, policy_id)
    problems = {}
    section_id = _id_arg("section_id", problems)
    stance = choice_arg("stance", Stance.ALL, problems)
    sort = choice_arg("sort", COMMENT_SORTS, problems, default="newest")
    if problems:
        raise ValidationFailed(fields=problems)
    page, per_page = page_args()
    threads = comment_service.comment_page(
        policy, user, page=page, per_page=per_page, with_total=True, sort=sort, section_id=section_id,
        stance=stance)
    items = []
    for root in threads.roots:
        item = comment_json(root)
        item["replies"] = [comment_json(reply) for reply in _thread_replies(threads, root)]
        items.append(item)
    return jsonify({"items": items, "page": threads.page, "per_page": per_page, "total": threads.total})


def _thread_replies(threads, root):
    """The replies under `root`, depth first, as the page shows them."""
    found = []
    pending = list(reversed(threads.replies.get(root.id, [])))
    while pending:
        reply = pending.pop()
        found.append(reply)
        pending.extend(reversed(threads.replies.get(reply.id, [])))
    return found


@bp.post("/policies/<int:policy_id>/comments")
@operation(
    "Comment on a consultation, one of its clauses, or reply to a comment",
    description=(
        "A root comment needs a `stance`. Replies deeper than three levels join the third level. "
        "The answer's `status` is `pending` when the text was held for review. With `as_organization` "
        "the organization is the public author."
    ),
    tags=["comments"], errors=(403, 409),
    request_body=json_request({
        "type": "object", "required": ["body"],
        "properties": {
            "body": {"type": "string", "maxLength": comment_service.BODY_MAX},
            "stance": {"type": "string", "enum": list(Stance.ALL)},
            "section_id": {"type": "integer", "description": "A clause of the current version."},
            "parent_id": {"type": "integer", "description": "The comment replied to."},
            "as_organization": AS_ORGANIZATION,
        },
    }),
    responses={201: json_response("The comment.", ref("CommentPosted"))},
)
@token_required
def post_comment(policy_id):
    user = api_user()
    policy = policy_service.visible_policy(user, policy_id)
    data = json_body()
    comment = writing.write(
        user, policy, body=text_field(data, "body"), stance=text_field(data, "stance", required=False),
        section_id=id_field(data, "section_id"), parent_id=id_field(data, "parent_id"),
        as_organization=as_organization(data),
    )
    return jsonify(posted_comment_json(comment)), 201
