"""The open-data bundle of a final consultation: CSV files and a README in one ZIP.

The comments file is streamed into the archive chunk by chunk, so the
bundle's size in memory stays bounded. The README describes every column
and the licence (Creative Commons Attribution 4.0, the licence of Indonesia's
Satu Data open-data portals). Also the survey rows shared with the XLSX export.
"""
import os
import tempfile
import zipfile

from flask_babel import gettext as _

from forum.exports.csvstream import csv_chunks
from forum.reports.channels import channel_rows
from forum.reports.rows import columns

CHANNEL_HEADER = ["clause_number", "channel", "comments", "support", "oppose", "neutral", "people"]
LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"


def column_descriptions():
    """Every column of comments.csv with its meaning, in the current language."""
    return {
        "policy_id": _("Number of the consultation on Musyawarah."),
        "policy_title": _("Title of the draft policy."),
        "version": _("Version of the draft the comment was written on."),
        "clause_number": _("Number of the clause (pasal) commented on; empty for the policy as a whole."),
        "clause_heading": _("Heading of that clause."),
        "comment_id": _("Number of the comment."),
        "reply_to": _("Number of the comment this one answers; empty for a first-level comment."),
        "stance": _("support, oppose or neutral; empty for replies without a stance."),
        "helpful": _("How many residents found the comment helpful."),
        "unhelpful": _("How many residents found the comment unhelpful."),
        "official_response": _("True when the comment is an official response of the agency."),
        "created_at": _("When the comment was written (ISO 8601, Western Indonesian Time)."),
        "kecamatan": _("Kecamatan of the author's registered area; empty when not registered."),
        "kelurahan": _("Kelurahan of the author's registered area; empty when not registered."),
        "author": _("Pseudonymous author id: the same person has the same id within this consultation "
                    "only."),
        "text": _("The comment as plain text; identity, phone and plate numbers and e-mail addresses "
                  "are masked."),
        "organization": _("The organization the comment was written as (its author is then ORG- and the "
                          "organization's number, its area the organization's); empty for a resident's comment."),
        "channel": _("How the input came: online, face_to_face (a point raised at a meeting, entered by the "
                     "official who ran it) or desk (typed at a kelurahan service desk)."),
    }


def readme(job):
    summary = job.summary
    lines = [
        _("Musyawarah: public feedback on \"%(title)s\"", title=summary.title),
        "",
        _("Licence: %(licence)s. Cite as: Pemerintah Kota Tangerang Selatan, Musyawarah.", licence=LICENCE),
        _("Only published comments are included; held, hidden, removed and deleted comments are not."),
        "",
        "comments.csv",
    ]
    lines += [f"  {name}: {text}" for name, text in column_descriptions().items()]
    lines += [
        "",
        "clauses.csv",
        "  " + _("clause_number, clause_heading: the clause; comments: first-level comments on it; "
                 "support, oppose, neutral: by stance; net: support minus oppose."),
        "districts.csv",
        "  " + _("kecamatan, kelurahan: the authors' registered area; comments; commenters: distinct authors."),
        "channels.csv",
        "  " + _("clause_number, channel: first-level input on the clause (empty: the policy as a whole) "
                 "through that channel; comments, support, "
                 "oppose, neutral: by stance; people: one per comment, and for a meeting's point the people "
                 "there who agreed."),
        "days.csv",
        "  " + _("date (Western Indonesian Time); comments and votes on that day."),
        "",
    ]
    return "\n".join(lines)


def write_bundle(job):
    """Write the ZIP to a temporary file and return its path."""
    summary = job.summary
    handle, path = tempfile.mkstemp(prefix="musyawarah-", suffix=".zip")
    os.close(handle)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("README.txt", readme(job))
        _write_csv(bundle, "comments.csv", columns(), job.rows())
        _write_csv(bundle, "clauses.csv",
                   ["clause_number", "clause_heading", "comments", "support", "oppose", "neutral", "net"],
                   ([clause.number or None, clause.heading or None, clause.comments, clause.support,
                     clause.oppose, clause.neutral, clause.net] for clause in summary.all_clauses()))
        _write_csv(bundle, "districts.csv", ["kecamatan", "kelurahan", "comments", "commenters"],
                   [(area.name, None, area.comments, area.participants) for area in summary.kecamatan]
                   + [(area.kecamatan, area.name, area.comments, area.participants) for area in summary.kelurahan])
        _write_csv(bundle, "channels.csv", CHANNEL_HEADER, channel_rows(summary.channels, _clause_number, str))
        _write_csv(bundle, "days.csv", ["date", "comments", "votes"],
                   ((day.isoformat(), comments, votes) for day, comments, votes in summary.by_day))
    return path


def _clause_number(clause):
    return clause.number or None


def _write_csv(bundle, name, header, rows):
    with bundle.open(name, "w") as member:
        for chunk in csv_chunks(header, rows):
            member.write(chunk.encode("utf-8"))


def survey_rows(results):
    """(survey, question, answer, responses) rows of the attached surveys' results.

    `results` is a list of `forum.services.survey_results.survey_results()`
    dicts: a row per choice for choice questions, the mean and median for
    scales, the number of answers for free-text questions.
    """
    if not results:
        return [(_("No survey is attached to this consultation."), None, None, None)]
    rows = []
    for survey in results:
        for question in survey["questions"]:
            if question.get("choices"):
                rows += [(survey["title"], question["text"], choice["label"], choice["count"])
                         for choice in question["choices"]]
            elif question.get("mean") is not None:
                rows.append((survey["title"], question["text"],
                             _("mean %(mean)s, median %(median)s", mean=question["mean"],
                               median=question.get("median")), question["responses"]))
            else:
                rows.append((survey["title"], question["text"], None, question["responses"]))
    return rows
