"""The exports of a consultation's feedback: CSV, JSON, XLSX, PDF and the open-data ZIP.

Each builder takes an `ExportJob` (the policy, the filters, whether
personal data is included, and the summary when a format asks for it) and
returns an `ExportFile`: `chunks` for the streamed CSV and JSON, a finished
temporary file for XLSX, PDF and the ZIP. forum/reports/formats.py lists
them; forum/services/summaries.py decides who may have which.
"""
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from flask import render_template
from flask_babel import gettext as _

from forum.exports.csvstream import csv_file
from forum.exports.files import ExportFile
from forum.exports.jsonstream import json_chunks, json_file
from forum.exports.pdf import pdf_file
from forum.exports.xlsx import XlsxBuilder
from forum.reports import opendata
from forum.reports.channels import channel_rows
from forum.reports.organization_input import organization_rows
from forum.reports.page import clause_label, page_context, stance_label
from forum.reports.rows import columns, comment_rows
from forum.reports.serialize import summary_json
from forum.reports.summary import build_summary, day_range


@dataclass
class ExportJob:
    policy: object
    filters: object
    with_personal_data: bool = False
    progress: Callable[[int], None] | None = None  # called with each row written (the CLI's bar)

    @cached_property
    def summary(self):
        """Built when a format needs it: the CSV rows do not."""
        return build_summary(self.policy, self.filters)

    def rows(self):
        for row in comment_rows(self.policy, self.filters, self.with_personal_data):
            if self.progress:
                self.progress(1)
            yield row


def filename(job, extension):
    suffix = "-data-pribadi" if job.with_personal_data else ""
    return f"ringkasan-konsultasi-{job.policy.id}{suffix}.{extension}"


# -- CSV: one row per comment, streamed ---------------------------------------------
def build_csv(job):
    return csv_file(filename(job, "csv"), columns(job.with_personal_data), job.rows())


# -- JSON: the summary, then the comments, streamed ------------------------------------
def build_json(job):
    return json_file(filename(job, "json"), _json_chunks(job))


def _json_chunks(job):
    """The summary is built when the body starts, as the rows are read: after the view has returned."""
    head = summary_json(job.summary)
    header = columns(job.with_personal_data)
    head["columns"] = list(header)
    yield from json_chunks(head, "comments", (dict(zip(header, row)) for row in job.rows()))


# -- XLSX: seven sheets, built in a temporary file ----------------------------------------
def build_xlsx(job):
    summary = job.summary
    builder = XlsxBuilder()
    builder.add_sheet(_("Summary"), [_("Figure"), _("Value")], summary_figures(summary), widths={0: 48, 1: 20})
    builder.add_sheet(
        _("Clauses"),
        [_("Clause"), _("Heading"), _("Comments"), _("Support"), _("Oppose"), _("Neutral"), _("Net"),
         _("Key terms")],
        ([clause.number or "", clause.heading or _("The policy as a whole"), clause.comments, clause.support,
          clause.oppose, clause.neutral, clause.net, ", ".join(word for word, _count in clause.terms)]
         for clause in summary.all_clauses()),
        widths={1: 40, 7: 50},
    )
    header = columns(job.with_personal_data)
    builder.add_sheet(_("Comments"), list(header), job.rows(),
                      widths={header.index(name): width for name, width in COMMENT_WIDTHS.items()})
    builder.add_sheet(
        _("Districts"), [_("Kecamatan"), _("Kelurahan"), _("Comments"), _("Commenters")],
        district_rows(summary), widths={0: 24, 1: 28},
    )
    builder.add_sheet(
        _("Channels"), [_("Clause"), _("Channel"), _("Comments"), _("Support"), _("Oppose"), _("Neutral"),
                        _("People")],
        channel_rows(summary.channels, clause_label), widths={0: 30, 1: 26},
    )
    builder.add_sheet(_("Survey"), [_("Survey"), _("Question"), _("Answer"), _("Responses")],
                      opendata.survey_rows(summary.survey), widths={0: 30, 1: 50, 2: 30})
    add_organizations_sheet(builder, summary)
    return builder.file(filename(job, "xlsx"))


def add_organizations_sheet(builder, summary):
    """The organizations that took part: a row with each one's vote and comments, then its stance per clause."""
    builder.add_sheet(_("Organizations"), [_("Organization"), _("Clause"), _("Vote or stance"), _("Comments")],
                      ((name, clause, stance_label(stance) or None, comments)
                       for name, clause, stance, comments in organization_rows(summary)), widths={0: 36, 2: 16})


COMMENT_WIDTHS = {"policy_title": 30, "clause_heading": 30, "created_at": 26, "kecamatan": 18, "kelurahan": 22,
                  "author": 14, "text": 80}


def summary_figures(summary):
    """(label, value) rows of the headline figures, for the XLSX and open-data summaries."""
    rows = [
        (_("Consultation"), summary.title),
        (_("Participants"), summary.participants),
        (_("Comments"), summary.comments),
        (_("Replies"), summary.replies),
        (_("Official responses"), summary.official_responses),
        (_("Votes in support"), summary.votes_support),
        (_("Votes against"), summary.votes_oppose),
        (_("Comments in support"), summary.stance_totals.get("support", 0)),
        (_("Comments against"), summary.stance_totals.get("oppose", 0)),
        (_("Neutral comments"), summary.stance_totals.get("neutral", 0)),
    ]
    rows += [(_("Note"), str(note)) for note in summary.notes]
    return rows


def district_rows(summary):
    rows = [(area.name or _("Not registered"), "", area.comments, area.participants)
            for area in summary.kecamatan]
    rows += [(area.kecamatan, area.name, area.comments, area.participants) for area in summary.kelurahan]
    return rows


# -- PDF: the summary page itself ----------------------------------------------------
def build_pdf(job):
    first_day, last_day = day_range(job.summary)
    html = render_template("summaries/summary_pdf.html", policy=job.policy, summary=job.summary, audience="staff",
                           view=page_context(job.summary), first_day=first_day, last_day=last_day)
    return pdf_file(html, filename(job, "pdf"))


# -- open data: CSVs and a README in a ZIP, for final consultations ------------------------
def build_zip(job):
    return ExportFile(filename(job, "zip"), "application/zip", path=opendata.write_bundle(job))

