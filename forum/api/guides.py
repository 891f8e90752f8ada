"""Guides in the API: `GET /guides` (the published ones, in order) and `GET /guides/{slug}`.

A guide is a content object (kind `guide`, no author, no counters of its own
use) with both languages side by side: `title` / `title_en`, `summary` /
`summary_en`, `body_html` / `body_en_html` (sanitized by forum/text.py), its
`sections` (the anchors forms link to, with both headings) and its `url`.
Editing stays on the admin pages.
"""
from flask import jsonify
from sqlalchemy import select

from forum.api import bp
from forum.api.auth import api_user
from forum.api.content import content_fields, content_schema
from forum.api.openapi import json_response, nullable, operation, page_of, ref, schema
from forum.api.pagination import paginate
from forum.models import Guide
from forum.services import guides as guide_service
from forum.text import guide_sections
from forum.timeutil import isoformat

schema("GuideSection", {
    "type": "object",
    "required": ["id", "heading", "heading_en"],
    "properties": {
        "id": {"type": "string", "examples": ["bagian-isi-formulir"],
               "description": "The element id on the page: `url#id` opens the section."},
        "heading": {"type": "string"},
        "heading_en": nullable("string"),
    },
})
content_schema("Guide", {
    "kind": {"type": "string", "enum": ["guide"]},
    "slug": {"type": "string"},
    "title": {"type": "string"},
    "title_en": {"type": "string"},
    "summary": {"type": "string"},
    "summary_en": {"type": "string"},
    "body_en_html": {"type": "string", "description": "The English text, sanitized HTML."},
    "sections": {"type": "array", "items": ref("GuideSection")},
    "published_at": {"type": "string", "format": "date-time"},
    "url": {"type": "string", "examples": ["/panduan/cara-mendaftar"]},
}, required=["slug", "title", "title_en", "summary", "summary_en", "body_en_html", "sections", "published_at",
             "url"], description="A guide (`/panduan`); `body_html` is the Indonesian text.")


def guide_json(guide):
    english = dict(guide_sections(guide.body_en_source))
    return {
        **content_fields(guide),
        "slug": guide.slug,
        "title": guide.title,
        "title_en": guide.title_en,
        "summary": guide.summary,
        "summary_en": guide.summary_en,
        "body_en_html": guide.body_en_html,
        "sections": [{"id": anchor, "heading": heading, "heading_en": english.get(anchor)}
                     for anchor, heading in guide_sections(guide.body_source)],
        "published_at": isoformat(guide.published_at),
        "url": f"/panduan/{guide.slug}",
    }


@bp.get("/guides")
@operation("The published guides, in their order", tags=["guides"], paginated=True,
           responses={200: json_response("A page of guides.", page_of("Guide"))})
def guides():
    statement = select(Guide).where(Guide.public_filter()).order_by(Guide.position, Guide.id)
    return jsonify(paginate(statement, guide_json))


@bp.get("/guides/<slug>")
@operation("One published guide", description="An admin's token also reads an unpublished one.", tags=["guides"], errors=(404,),
           responses={200: json_response("The guide.", ref("Guide"))})
def guide(slug):
    return jsonify(guide_json(guide_service.guide_by_slug(slug, api_user())))
