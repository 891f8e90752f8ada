"""Aspiration exports for an agency: the aspirations forwarded to it, with response times and deadlines.

One row per public aspiration the agency handles (forwarded there at some
point and still with it), filtered by state, category, kecamatan and the
dates it was raised. Confidential aspirations, those not let through by a
moderator, and hidden, removed or deleted content are never exported; the
author is a pseudonymous id per agency and the text is masked as comment
exports are. Response time is the hours from forwarding to the agency's
first response; `on_time` says whether that response (or, still unanswered,
today) fell within the deadline of 5 working days. `channel` says how it
came in (online, face to face, kelurahan service desk; added last, so
existing columns keep their places). The totals per state, per channel and
per deadline outcome are counted in SQL. The builders (csv, json, xlsx,
pdf; forum/reports/formats.py lists them) take an `AspirationJob`.
"""
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from flask import render_template
from sqlalchemy import case, func, select

from forum.channels import CHANNEL_LABELS
from forum.exports.csvstream import csv_file
from forum.exports.jsonstream import json_chunks, json_file
from forum.exports.pdf import pdf_file
from forum.exports.xlsx import XlsxBuilder
from forum.extensions import db
from forum.models import (
    Aspiration, AspirationState, Category, Channel, ContentStatus, District, Organization, Visibility, Vote,
)
from forum.reports.rows import masked, organization_author, rendered_to_text
from forum.reports.scope import city_midnight_utc, pseudonym
from forum.services.aspiration_labels import state_label
from forum.timeutil import isoformat, utcnow

BATCH = 1000
PDF_ROWS = 500  # a PDF is read, not analysed: the newest rows; the data formats hold them all
COLUMNS = (
    "aspiration_id", "type", "title", "category", "kecamatan", "kelurahan", "state", "raised_at",
    "forwarded_at", "response_due_at", "first_response_at", "answered_at", "closed_at", "response_hours",
    "on_time", "reopened", "supporters", "author", "text", "channel", "organization", "organization_supporters",
)
#: Agencies get a pseudonym space of their own, apart from policy ids.
PSEUDONYM_SPACE = 1_000_000_000


@dataclass(frozen=True)
class AspirationFilters:
    states: tuple = ()
    category: str | None = None
    kecamatan: str | None = None
    since: object = None    # city date, included
    until: object = None    # city date, included


@dataclass(frozen=True)
class AspirationJob:
    agency: object
    filters: AspirationFilters


def conditions(agency_id, filters):
    """SQL conditions for the agency's exportable aspirations within `filters`."""
    found = [
        Aspiration.agency_id == agency_id,
        Aspiration.forwarded_at.is_not(None),
        Aspiration.status == ContentStatus.PUBLISHED,
        Aspiration.visibility != Visibility.CONFIDENTIAL,
        Aspiration.state.not_in(AspirationState.UNSCREENED),
    ]
    if filters.states:
        found.append(Aspiration.state.in_(filters.states))
    if filters.category:
        found.append(Aspiration.category_id.in_(select(Category.id).where(Category.code == filters.category)))
    if filters.kecamatan:
        found.append(Aspiration.kecamatan_id.in_(select(District.id).where(
            District.code == filters.kecamatan, District.level == District.KECAMATAN)))
    if filters.since:
        found.append(Aspiration.created_at >= city_midnight_utc(filters.since))
    if filters.until:
        found.append(Aspiration.created_at < city_midnight_utc(filters.until + timedelta(days=1)))
    return found


def totals(agency_id, filters):
    """{"by_state": {state: n}, "by_channel": {channel: n}, "on_time": n, "late": n, "awaiting": n} in three queries."""
    where = conditions(agency_id, filters)
    by_state = dict(db.session.execute(
        select(Aspiration.state, func.count()).where(*where).group_by(Aspiration.state)).all())
    counted = dict(db.session.execute(
        select(Aspiration.channel, func.count()).where(*where).group_by(Aspiration.channel)).all())
    by_channel = {channel: counted.get(channel, 0) for channel in Channel.ALL}
    now = utcnow()
    responded_late = (Aspiration.first_response_at > Aspiration.response_due_at)
    row = db.session.execute(select(
        func.coalesce(func.sum(case((Aspiration.first_response_at.is_not(None) & ~responded_late, 1), else_=0)), 0),
        func.coalesce(func.sum(case((responded_late | (Aspiration.first_response_at.is_(None)
                                                       & (Aspiration.response_due_at < now)), 1), else_=0)), 0),
        func.coalesce(func.sum(case((Aspiration.first_response_at.is_(None)
                                     & (Aspiration.response_due_at >= now), 1), else_=0)), 0),
    ).where(*where)).one()
    from_organizations = db.session.scalar(
        select(func.count()).select_from(Aspiration).where(*where, Aspiration.organization_id.is_not(None)))
    return {"by_state": by_state, "by_channel": by_channel, "on_time": row[0], "late": row[1], "awaiting": row[2],
            "from_organizations": from_organizations}


def aspiration_rows(agency_id, filters, newest_first=False):
    """Yield one tuple per aspiration in the order of COLUMNS, oldest (or newest) first."""
    names = {district.id: district.name for district in db.session.scalars(select(District))}
    categories = dict(db.session.execute(select(Category.id, Category.code)).all())
    authors = {}
    now = utcnow()
    query = (select(Aspiration.id, Aspiration.aspiration_type, Aspiration.title, Aspiration.category_id,
                    Aspiration.kecamatan_id, Aspiration.district_id, Aspiration.state, Aspiration.created_at,
                    Aspiration.forwarded_at, Aspiration.response_due_at, Aspiration.first_response_at,
                    Aspiration.answered_at, Aspiration.closed_at, Aspiration.reopen_count, Aspiration.up_count,
                    Aspiration.author_id, Aspiration.body_html, Aspiration.channel, Aspiration.organization_id,
                    Organization.name, _organization_supporters())
             .outerjoin(Organization, Organization.id == Aspiration.organization_id)
             .where(*conditions(agency_id, filters))
             .order_by(Aspiration.id.desc() if newest_first else Aspiration.id)
             .execution_options(yield_per=BATCH))
    for (aspiration_id, kind, title, category_id, kecamatan_id, district_id, state, created_at, forwarded_at,
         due_at, responded_at, answered_at, closed_at, reopened, supporters, author_id,
         body_html, channel, organization_id, organization, organization_supporters) in db.session.execute(query):
        hours = round((responded_at - forwarded_at).total_seconds() / 3600, 1) if responded_at else None
        if organization_id is not None:  # the organization is the author, never the member who wrote it
            author = organization_author(organization_id)
        else:  # desk input has no account behind it: no author id (its channel says where it came from)
            author = authors.get(author_id) or authors.setdefault(
                author_id, pseudonym(PSEUDONYM_SPACE + agency_id, author_id))
        yield (aspiration_id, kind, title, categories.get(category_id), names.get(kecamatan_id),
               names.get(district_id) if district_id != kecamatan_id else None, state, isoformat(created_at),
               isoformat(forwarded_at), isoformat(due_at), isoformat(responded_at), isoformat(answered_at),
               isoformat(closed_at), hours, _on_time(due_at, responded_at, now), reopened, supporters, author,
               masked(rendered_to_text(body_html)), channel, organization, organization_supporters)


def _organization_supporters():
    """How many of an aspiration's supporters are organizations (counted in `supporters` too)."""
    return (select(func.count()).select_from(Vote)
            .where(Vote.content_id == Aspiration.id, Vote.organization_id.is_not(None))
            .correlate(Aspiration).scalar_subquery())


def _on_time(due_at, responded_at, now):
    """True or False once the deadline's outcome is known; None while it is still open (or without one)."""
    if due_at is None:
        return None
    if responded_at is not None:
        return responded_at <= due_at
    return None if now <= due_at else False


def report_html(agency, filters):
    """The PDF report's HTML: the totals and the newest PDF_ROWS aspirations (all of them are in CSV/XLSX/JSON)."""
    figures = totals(agency.id, filters)
    rows = [dict(zip(COLUMNS, row)) for row in islice(aspiration_rows(agency.id, filters, newest_first=True),
                                                      PDF_ROWS)]
    return render_template("summaries/aspirations_pdf.html", agency=agency, filters=filters, totals=figures,
                           rows=rows, total=sum(figures["by_state"].values()), generated_at=utcnow(),
                           state_label=state_label, channel_labels=CHANNEL_LABELS)


def _filename(job, extension):
    return f"aspirasi-{job.agency.code}.{extension}"


def build_pdf(job):
    return pdf_file(report_html(job.agency, job.filters), _filename(job, "pdf"))


def build_csv(job):
    return csv_file(_filename(job, "csv"), COLUMNS, aspiration_rows(job.agency.id, job.filters))


def build_json(job):
    return json_file(_filename(job, "json"), _json_chunks(job.agency, job.filters))


def build_xlsx(job):
    agency, filters = job.agency, job.filters
    builder = XlsxBuilder()
    figures = totals(agency.id, filters)
    builder.add_sheet("Ringkasan", ["figure", "value"],
                      [*((f"state:{state}", count) for state, count in sorted(figures["by_state"].items())),
                       ("on_time", figures["on_time"]), ("late", figures["late"]), ("awaiting", figures["awaiting"])],
                      widths={0: 28})
    builder.add_sheet("Aspirasi", list(COLUMNS), aspiration_rows(agency.id, filters),
                      widths={COLUMNS.index("title"): 40, COLUMNS.index("text"): 80})
    return builder.file(_filename(job, "xlsx"))


def _json_chunks(agency, filters):
    head = {"schema": "musyawarah.aspiration-export/1", "agency": agency.code,
            "filters": {"states": list(filters.states), "category": filters.category,
                        "kecamatan": filters.kecamatan,
                        "since": filters.since.isoformat() if filters.since else None,
                        "until": filters.until.isoformat() if filters.until else None},
            "totals": totals(agency.id, filters), "columns": list(COLUMNS)}
    rows = aspiration_rows(agency.id, filters)
    yield from json_chunks(head, "aspirations", (dict(zip(COLUMNS, row)) for row in rows))
