"""The feedback summary as JSON-ready data: the API's summary and the head of the JSON export.

The shape is documented in forum/reports/README.md (and in the OpenAPI
document as `FeedbackSummary`); it only grows. Times are ISO 8601 with the
city's offset, dates are city dates.
"""
from forum.reports.organization_input import organizations_json
from forum.reports.channels import channel_json
from forum.timeutil import isoformat

SCHEMA_ID = "musyawarah.feedback-export/1"


def quote_json(quote, public=False):
    return {
        "comment_id": quote.id,
        "author": None if public else quote.author,
        "stance": quote.stance,
        "text": quote.text,
        "helpful": quote.helpful,
        "unhelpful": quote.unhelpful,
        "created_at": isoformat(quote.created_at),
    }


def clause_json(clause, public=False):
    return {
        "clause_key": clause.key or None,
        "number": clause.number or None,
        "heading": clause.heading or None,
        "comments": clause.comments,
        "support": clause.support,
        "oppose": clause.oppose,
        "neutral": clause.neutral,
        "net": clause.net,
        "top_support": [quote_json(quote, public) for quote in clause.top["support"]],
        "top_oppose": [quote_json(quote, public) for quote in clause.top["oppose"]],
        "key_terms": [{"word": word, "comments": count} for word, count in clause.terms],
    }


def area_json(area):
    return {"code": area.code, "name": area.name, "kecamatan": area.kecamatan,
            "comments": area.comments, "participants": area.participants}


def summary_json(summary, public=False):
    """The whole summary as a dict (see the module docstring for where the schema lives).

    `public` leaves out what only the agency sees: pseudonymous author ids
    and the moderators' reasons.
    """
    return {
        "schema": SCHEMA_ID,
        "policy": {"id": summary.policy_id, "title": summary.title, "status": summary.phase,
                   "agency": summary.agency},
        "filters": summary.filters.as_dict(),
        "generated_at": isoformat(summary.generated_at),
        "participation": {
            "participants": summary.participants,
            "commenters": summary.commenters,
            "voters": summary.voters,
            "comments": summary.comments,
            "replies": summary.replies,
            "official_responses": summary.official_responses,
            "by_day": [{"date": day.isoformat(), "comments": comments, "votes": votes}
                       for day, comments, votes in summary.by_day],
        },
        "votes": {"support": summary.votes_support, "oppose": summary.votes_oppose},
        "stances": dict(summary.stance_totals),
        "general": clause_json(summary.general, public) if summary.general else None,
        "clauses": [clause_json(clause, public) for clause in summary.clauses],
        "kecamatan": [area_json(area) for area in summary.kecamatan],
        "kelurahan": [area_json(area) for area in summary.kelurahan],
        "responses": [quote_json(quote, public) for quote in summary.responses],
        "unanswered": [quote_json(quote, public) for quote in summary.unanswered],
        "key_terms": {
            "sample": summary.terms_sample,
            "by_stance": {stance: [{"word": word, "comments": count} for word, count in terms]
                          for stance, terms in summary.terms_by_stance.items()},
        },
        "moderation": {
            status: {"total": summary.moderation_totals.get(status, 0),
                     "reasons": [] if public else [{"reason": reason, "count": count} for reason, count in reasons]}
            for status, reasons in summary.moderation.items()
        },
        "notes": [str(note) for note in summary.notes],
        "survey": summary.survey,
        "organizations": organizations_json(summary),
        "channels": channel_json(summary.channels),
    }
