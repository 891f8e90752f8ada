"""Survey exports: CSV (one row per response), XLSX, JSON and PDF, anonymized and formula-safe.

A respondent is a stable pseudonym (an HMAC of the survey and the account,
so the same person differs between surveys); no names, e-mails or account
ids leave. Texts pass the personal-data masking again. Responses are read in
batches and streamed (CSV, JSON) or written row by row (XLSX), so memory
stays bounded; the cells go through forum/exports (formula neutralised).
The PDF is the results page's printable template. Each builder (csv, xlsx,
json, pdf; forum/reports/formats.py lists them) takes the survey.
"""
import hashlib
import hmac

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from forum.exports.csvstream import csv_file
from forum.exports.files import ExportFile
from forum.exports.jsonstream import json_chunks, json_file
from forum.exports.pdf import html_to_pdf
from forum.exports.xlsx import XlsxBuilder
from forum.extensions import db
from forum.models import District, Organization, QuestionType, SurveyAnswer, SurveyResponse
from forum.reports import survey_presenting
from forum.reports.rows import organization_author
from forum.services.survey_results import dimension_label, survey_results
from forum.timeutil import isoformat
from moderation.filters.personal import mask_personal_data

BATCH = 500
#: `organization` names the organization of a response given as one (its respondent is `ORG-<id>`).
FIXED_COLUMNS = ("respondent", "answered_at", "kecamatan", "age_band", "gender", "organization")


def pseudonym(survey_id, user_id):
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    digest = hmac.new(secret, f"survey:{survey_id}:user:{user_id}".encode(), hashlib.sha256).hexdigest()
    return "R-" + digest[:12]


def header(survey):
    return list(FIXED_COLUMNS) + [f"Q{question.position}. {question.text}" for question in survey.questions]


def _answer_cell(question, answers, labels):
    """One question's answers of one response as one cell: labels joined by `; `, a value or a text."""
    if not answers:
        return None
    if question.kind in QuestionType.SCALE:
        return answers[0].value
    parts = []
    for answer in answers:
        if answer.choice_id is not None:
            parts.append(labels.get(answer.choice_id, ""))
        elif answer.text is not None:
            text = mask_personal_data(answer.text)
            parts.append(text if question.kind in QuestionType.TEXT else _("Other: %(text)s", text=text))
    return "; ".join(parts)


def response_records(survey):
    """Yield one dict per response, oldest first: the fixed columns and `answers` {question id: cell}."""
    labels = {choice.id: choice.label for question in survey.questions for choice in question.choices}
    kecamatan = dict(db.session.execute(select(District.id, District.name)).all())
    organizations = dict(db.session.execute(
        select(Organization.id, Organization.name)
        .join(SurveyResponse, SurveyResponse.organization_id == Organization.id)
        .where(SurveyResponse.survey_id == survey.id)).all())
    last_id = 0
    while True:
        batch = db.session.execute(
            select(SurveyResponse.id, SurveyResponse.user_id, SurveyResponse.updated_at,
                   SurveyResponse.kecamatan_id, SurveyResponse.age_band, SurveyResponse.gender,
                   SurveyResponse.organization_id)
            .where(SurveyResponse.survey_id == survey.id, SurveyResponse.id > last_id)
            .order_by(SurveyResponse.id).limit(BATCH)
        ).all()
        if not batch:
            return
        last_id = batch[-1].id
        grouped = {}
        for answer in db.session.execute(
                select(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.choice_id,
                       SurveyAnswer.value, SurveyAnswer.text)
                .where(SurveyAnswer.response_id.in_([row.id for row in batch])).order_by(SurveyAnswer.id)):
            grouped.setdefault((answer.response_id, answer.question_id), []).append(answer)
        for row in batch:
            yield {
                # An organization answers in its name; a desk answer without an account is its own respondent.
                "respondent": (organization_author(row.organization_id) if row.organization_id is not None
                               else pseudonym(survey.id, row.user_id if row.user_id is not None else f"desk-{row.id}")),
                "answered_at": isoformat(row.updated_at),
                "kecamatan": kecamatan.get(row.kecamatan_id),
                "age_band": dimension_label("age_band", row.age_band) if row.age_band else None,
                "gender": dimension_label("gender", row.gender) if row.gender else None,
                "organization": organizations.get(row.organization_id),
                "answers": {question.id: _answer_cell(question, grouped.get((row.id, question.id)), labels)
                            for question in survey.questions},
            }


def response_rows(survey):
    for record in response_records(survey):
        yield [record[name] for name in FIXED_COLUMNS] + [record["answers"][q.id] for q in survey.questions]


def summary_rows(results):
    """Rows of the summary sheet: one per choice or scale value, one per text question."""
    for question in results["questions"]:
        head = [question["position"], question["text"], question["type"], question["responses"]]
        if question["type"] in QuestionType.CHOICE:
            for choice in question["choices"]:
                yield head + [choice["label"], choice["count"], choice["share"], None, None, None]
            if question.get("other") is not None:
                yield head + [_("Other"), question["other"], None, None, None, None]
        elif question["type"] in QuestionType.SCALE:
            for value, count in question["distribution"].items():
                yield head + [value, count, None, question["mean"], question["median"], question.get("nps")]
        else:
            yield head + [None, None, None, None, None, None]


SUMMARY_HEADER = ("position", "question", "type", "responses", "answer", "count", "share", "mean", "median", "nps")


def _filename(survey, extension):
    return f"survei-{survey.id}.{extension}"


def build_csv(survey):
    return csv_file(_filename(survey, "csv"), header(survey), response_rows(survey))


def build_json(survey):
    return json_file(_filename(survey, "json"), _json_chunks(survey))


def _json_chunks(survey):
    head = {"survey": {"id": survey.id, "title": survey.title, "service": survey.service_name,
                       "policy_id": survey.policy_id, "version": survey.version},
            "results": survey_results(survey, breakdown="all", texts=False),
            "organization_results": survey_results(survey, texts=False, organizations=True)}
    # json.dumps writes the answers' question ids as text keys ("12"), as the API documents them.
    yield from json_chunks(head, "responses", response_records(survey))


def build_xlsx(survey):
    builder = XlsxBuilder()
    builder.add_sheet(_("Summary"), SUMMARY_HEADER, summary_rows(survey_results(survey, texts=False)),
                      widths={1: 40})
    builder.add_sheet(_("Responses"), header(survey), response_rows(survey), widths={0: 18, 1: 26})
    builder.add_sheet(_("Organizations"), SUMMARY_HEADER,
                      summary_rows(survey_results(survey, texts=False, organizations=True)), widths={1: 40})
    return builder.file(_filename(survey, "xlsx"))


def build_pdf(survey):
    html = render_template("surveys/results_print.html", survey=survey,
                           results=survey_results(survey, breakdown="kecamatan"), dimension="kecamatan",
                           present=survey_presenting)
    return ExportFile(_filename(survey, "pdf"), "application/pdf", content=html_to_pdf(html))
