"""Search in the API: `GET /api/v1/search`, the same engine as the `/cari` page.

The query language is forgiving (a malformed query falls back to plain
words), unknown filter codes match nothing, and only the arguments that
cannot mean anything (a date that is not a date, a bad page) are a 422.
When the index cannot be read the answer is an empty page, never an error.
"""
from datetime import date

from flask import jsonify, request
from flask_babel import gettext as _

from forum import search
from forum.api import bp
from forum.api.openapi import json_response, operation, page_of, query_param, schema
from forum.api.pagination import page_args
from forum.errors import ValidationFailed

MAX_QUERY = 500

schema("SearchHit", {
    "type": "object",
    "required": ["kind", "id", "title", "excerpt_html", "url"],
    "properties": {
        "kind": {"type": "string", "description": "The content kind: policy, comment, ..."},
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "excerpt_html": {"type": "string",
                         "description": "Escaped text; matched words in `<mark>`, no other markup."},
        "url": {"type": "string", "description": "Path of the page showing it."},
    },
})


def read_dates(args, problems):
    """`from` and `to` as dates (YYYY-MM-DD) or None; a value that is not a date is a problem."""
    days = {}
    for name in ("from", "to"):
        raw = (args.get(name) or "").strip()
        try:
            days[name] = date.fromisoformat(raw) if raw else None
        except ValueError:
            problems[name] = _("Use a date like 2026-01-31.")
            days[name] = None
    return days["from"], days["to"]


def hit_json(hit):
    return {"kind": hit.kind, "id": hit.id, "title": hit.title, "excerpt_html": hit.excerpt_html,
            "url": hit.url}


@bp.get("/search")
@operation(
    "Search public discussions",
    description="All words must match unless joined by OR; \"quoted phrases\", prefix* and -exclusion "
                "work. Best match first. A page past the end has no items.",
    tags=["search"], paginated=True,
    parameters=[
        query_param("q", {"type": "string", "maxLength": MAX_QUERY}, "The words to find."),
        query_param("kind", {"type": "string"}, "Only these kinds (comma-separated)."),
        query_param("category", {"type": "string"}, "Only this category code."),
        query_param("district", {"type": "string"}, "Only this kecamatan or kelurahan code."),
        query_param("agency", {"type": "string"}, "Only this agency code."),
        query_param("status", {"type": "string"}, "Only this status (a policy's phase, `official` for responses)."),
        query_param("from", {"type": "string", "format": "date"}, "Created on or after this day."),
        query_param("to", {"type": "string", "format": "date"}, "Created on or before this day."),
    ],
    responses={200: json_response("A page of results.", page_of("SearchHit"))},
)
def search_content():
    problems = {}
    date_from, date_to = read_dates(request.args, problems)
    if problems:
        raise ValidationFailed(fields=problems)
    page, per_page = page_args()
    args = request.args
    results = search.search(
        args.get("q", "")[:MAX_QUERY], kind=args.get("kind"), category=args.get("category"),
        district=args.get("district"), agency=args.get("agency"), status=args.get("status"),
        date_from=date_from, date_to=date_to, page=page, per_page=per_page)
    return jsonify({"items": [hit_json(hit) for hit in results.items], "page": page, "per_page": per_page,
                    "total": results.total})
