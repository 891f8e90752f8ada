"""Feedback summaries and exports in the API (forum/services/summaries.py decides who gets what).

`GET /policies/{id}/summary` answers the summary as JSON (the schema of
forum/reports/README.md); `GET /policies/{id}/export?format=` sends the
file. Both take the same optional filters. The agency's officials and
admins get everything; anyone gets the public summary and the open-data ZIP
of a `final` consultation. A personal-data export takes
`with_personal_data=true` and a `reason`, and is written to the audit log.
"""
from flask import current_app, jsonify, request

from forum.api import bp
from forum.api.auth import api_user, token_required
from forum.api.openapi import json_response, operation, query_param, schema
from forum.errors import Forbidden, NotAuthenticated
from forum.exports.response import send_export
from forum.extensions import limiter
from forum.reports import formats
from forum.reports.serialize import SCHEMA_ID
from forum.services import summaries

FILTER_PARAMS = [
    query_param("version", {"type": "integer", "minimum": 1}, "Only comments on this version."),
    query_param("since", {"type": "string", "format": "date"}, "Only from this city date (included)."),
    query_param("until", {"type": "string", "format": "date"}, "Only until this city date (included)."),
    query_param("kecamatan", {"type": "string"}, "Only input from this kecamatan (code): the commenters' "
                "registered area, or where a meeting or desk was."),
]
FILTER_NAMES = ("version", "since", "until", "kecamatan")

schema("FeedbackSummary", {
    "type": "object",
    "description": f"Schema `{SCHEMA_ID}`, described field by field in forum/reports/README.md.",
    "required": ["schema", "policy", "filters", "participation", "votes", "stances", "clauses", "kecamatan",
                 "moderation", "notes"],
    "properties": {
        "schema": {"type": "string", "const": SCHEMA_ID},
        "audience": {"type": "string", "enum": [summaries.STAFF, summaries.PUBLIC]},
        "policy": {"type": "object"},
        "filters": {"type": "object"},
        "generated_at": {"type": "string", "format": "date-time"},
        "participation": {"type": "object"},
        "votes": {"type": "object"},
        "stances": {"type": "object"},
        "general": {"type": ["object", "null"]},
        "clauses": {"type": "array", "items": {"type": "object"}},
        "kecamatan": {"type": "array", "items": {"type": "object"}},
        "kelurahan": {"type": "array", "items": {"type": "object"}},
        "responses": {"type": "array", "items": {"type": "object"}},
        "unanswered": {"type": "array", "items": {"type": "object"}},
        "key_terms": {"type": "object"},
        "moderation": {"type": "object"},
        "notes": {"type": "array", "items": {"type": "string"}},
        "survey": {"type": ["array", "null"]},
        "organizations": {"type": "array", "description": (
            "Organizations that took part, counted apart from residents: `id`, `name`, `slug`, `verified`, "
            "`comments`, `vote` (their vote on the draft) and `stances` per clause "
            "(`clause_key`, `stance`, `counts`)."), "items": {"type": "object"}},
        "channels": {"type": "object", "description": "Input per channel (online, face_to_face, desk): `totals`, "
                                                      "per clause `clauses`, per kecamatan `kecamatan`."},
    },
})


def _export_limit():
    return current_app.config["RATELIMIT_EXPORT"]


def _filters(policy):
    return summaries.parse_filters(policy=policy, **{name: request.args.get(name) for name in FILTER_NAMES})


def _signed_in_or_401(work):
    """Run `work`; a refusal to an anonymous caller is 401 (a token may help), not 403."""
    try:
        return work()
    except Forbidden:
        if api_user() is None:
            raise NotAuthenticated() from None
        raise


@bp.get("/policies/<int:policy_id>/summary")
@limiter.limit(_export_limit)
@operation(
    "The feedback summary of a consultation",
    description=("For the agency's officials and admins; for anyone once the consultation is `final` "
                 "(then the public version: whole consultation, no pseudonyms, no filters)."),
    tags=["summaries"], parameters=FILTER_PARAMS, errors=(403, 409, 422, 429),
    responses={200: json_response("The summary.", {"$ref": "#/components/schemas/FeedbackSummary"})},
)
def policy_summary(policy_id):
    def work():
        policy, audience = summaries.open_summary(api_user(), policy_id)
        filters = _filters(policy) if audience == summaries.STAFF else None
        return summaries.summary_for(policy, audience, filters), audience

    summary, audience = _signed_in_or_401(work)
    data = summaries.summary_document(summary, audience)
    return jsonify(data)


@bp.get("/policies/<int:policy_id>/export")
@limiter.limit(_export_limit)
@operation(
    "The feedback export of a consultation as a file",
    description=("`csv` and `json` are streamed; `xlsx`, `pdf` and the open-data `zip` (final consultations "
                 "only, for anyone) are built first. Served as an attachment with `Cache-Control: no-store`. "
                 "`with_personal_data=true` adds names and e-mail addresses: admins and officials an admin "
                 "allowed, with a `reason`, recorded in the audit log."),
    tags=["summaries"], errors=(403, 409, 422, 429),
    parameters=[
        query_param("format", {"type": "string", "enum": list(formats.names(formats.CONSULTATION))},
                    "The file format.", required=True),
        *FILTER_PARAMS,
        query_param("with_personal_data", {"type": "boolean", "default": False}, "Include names and e-mails."),
        query_param("reason", {"type": "string", "maxLength": summaries.REASON_MAX},
                    "Why personal data is needed (required with it)."),
    ],
    responses={200: {"description": "The file (CSV, XLSX, JSON, PDF or ZIP)."}},
)
def policy_export(policy_id):
    def work():
        policy = summaries.summarizable(api_user(), policy_id)
        return summaries.export_policy(
            api_user(), policy_id, request.args.get("format", ""), filters=_filters(policy),
            with_personal_data=request.args.get("with_personal_data", "").lower() in ("true", "1", "yes"),
            reason=request.args.get("reason"),
        )

    return send_export(_signed_in_or_401(work))


@bp.get("/aspirations/export")
@limiter.limit(_export_limit)
@token_required
@operation(
    "The aspirations forwarded to an agency, as a file",
    description=("Officials get their own agency's; admins name one with `agency`. Public, non-confidential "
                 "aspirations only, with response times and whether the 5-working-day deadline was met. "
                 "`csv` and `json` are streamed; attachment, `Cache-Control: no-store`."),
    tags=["summaries"], errors=(403, 422, 429),
    parameters=[
        query_param("format", {"type": "string", "enum": list(formats.names(formats.ASPIRATIONS))},
                    "The file format.", required=True),
        query_param("agency", {"type": "string"}, "Agency code (admins)."),
        query_param("status", {"type": "string"}, "Workflow states, comma-separated (e.g. forwarded,answered)."),
        query_param("category", {"type": "string"}, "Category code."),
        query_param("kecamatan", {"type": "string"}, "Kecamatan code."),
        query_param("since", {"type": "string", "format": "date"}, "Raised on or after this city date."),
        query_param("until", {"type": "string", "format": "date"}, "Raised on or before this city date."),
    ],
    responses={200: {"description": "The file (CSV, XLSX or JSON)."}},
)
def aspirations_export():
    args = request.args
    return send_export(summaries.export_aspirations(
        api_user(), args.get("format", ""), agency=args.get("agency"),
        states=[state.strip() for state in args.get("status", "").split(",")], category=args.get("category"),
        kecamatan=args.get("kecamatan"), since=args.get("since"), until=args.get("until"),
    ))
