"""Surveys in the API, the shapes: OpenAPI schemas and request bodies, serializers, body readers.

The routes are in forum/api/surveys.py. Builder problems are named as in the
body (`questions.2.choices`); answer problems by question (`question-<id>`),
demographics by their key.
"""
import re

from flask import url_for
from flask_babel import gettext as _

from forum.api.content import AS_ORGANIZATION
from forum.api.openapi import json_request, nullable, ref, schema
from forum.api.policies import _when
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.models import Demographic, District, QuestionType, SurveyStatus
from forum.services import survey_answers, surveys
from forum.timeutil import isoformat

_BUILDER_FIELD = re.compile(r"questions-(\d+)-(\w+)")

schema("SurveyQuestion", {
    "type": "object",
    "required": ["id", "position", "type", "text", "required", "choices"],
    "properties": {
        "id": {"type": "integer"},
        "position": {"type": "integer", "minimum": 1},
        "type": {"type": "string", "enum": list(QuestionType.ALL)},
        "text": {"type": "string"},
        "required": {"type": "boolean"},
        "allow_other": {"type": "boolean", "description": "A choice question also takes an \"other\" text."},
        "min": {**nullable("integer"), "description": "Lowest value of a Likert (1) or rating (0) question."},
        "max": {**nullable("integer"), "description": "Highest value of a Likert (5) or rating (10) question."},
        "low_label": nullable("string"),
        "high_label": nullable("string"),
        "choices": {"type": "array", "items": {
            "type": "object", "required": ["id", "label"],
            "properties": {"id": {"type": "integer"}, "label": {"type": "string"}},
        }},
    },
})
schema("Survey", {
    "type": "object",
    "required": ["id", "title", "status", "questions"],
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "intro_html": {"type": "string"},
        "service": {**nullable("string"), "description": "The public service a standalone survey is about."},
        "policy_id": {**nullable("integer"), "description": "The consultation it belongs to, if any."},
        "agency": {"type": "string", "description": "Agency code."},
        "status": {"type": "string", "enum": list(SurveyStatus.ALL)},
        "version": {"type": "integer"},
        "previous_id": nullable("integer"),
        "opens_at": {"type": "string", "format": "date-time"},
        "closes_at": {**nullable("string"), "format": "date-time"},
        "results_public": {"type": "boolean"},
        "ask_demographics": {"type": "boolean"},
        "demographics": {"type": "object", "description": "The allowed values of the optional demographics."},
        "response_count": {"type": "integer"},
        "questions": {"type": "array", "items": ref("SurveyQuestion")},
        "url": {"type": "string"},
    },
})
schema("SurveyResponse", {
    "type": "object",
    "required": ["id", "survey_id", "answers"],
    "properties": {
        "id": {"type": "integer"},
        "survey_id": {"type": "integer"},
        "organization_id": {**nullable("integer"), "description": "Set when given as an organization."},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "demographics": {"type": "object"},
        "answers": {"type": "array", "items": {"type": "object", "properties": {
            "question_id": {"type": "integer"}, "choice_ids": {"type": "array", "items": {"type": "integer"}},
            "value": nullable("integer"), "text": nullable("string"),
        }}},
    },
})
schema("SurveyResults", {
    "type": "object",
    "required": ["survey_id", "responses", "questions"],
    "properties": {
        "survey_id": {"type": "integer"},
        "responses": {"type": "integer"},
        "questions": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "type", "responses"],
            "description": (
                "Choice questions: `counts` per choice id (and `other`); Likert and rating: `distribution`, "
                "`mean`, `median`, and for rating `nps`; text questions: `answers` (newest, personal data "
                "masked) and `key_terms`. With `?breakdown=`, `breakdowns[dimension]` has one row per group."
            ),
            "properties": {
                "id": {"type": "integer"}, "type": {"type": "string"}, "responses": {"type": "integer"},
                "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                "other": nullable("integer"),
                "distribution": {"type": "object", "additionalProperties": {"type": "integer"}},
                "mean": nullable("number"), "median": nullable("number"), "nps": nullable("number"),
                "answers": {"type": "array", "items": {"type": "string"}},
                "key_terms": {"type": "array", "items": {"type": "object"}},
                "breakdowns": {"type": "object"},
            },
        }},
        "breakdowns": {"type": "object"},
        "organization_responses": {"type": "integer",
                                   "description": "Responses given as organizations, counted apart (residents' "
                                                  "figures only); `?group=organizations` gives their figures."},
        "organizations": {"type": "array", "items": ref("AuthorOrganization"),
                          "description": "With `?group=organizations`: the organizations that answered."},
    },
})

QUESTION_BODY = {
    "type": "object", "required": ["type", "text"],
    "properties": {
        "type": {"type": "string", "enum": list(QuestionType.ALL)},
        "text": {"type": "string", "maxLength": surveys.QUESTION_MAX},
        "choices": {"type": "array", "items": {"type": "string"}, "description": "For single and multiple."},
        "required": {"type": "boolean", "default": False},
        "allow_other": {"type": "boolean", "default": False},
        "low_label": {"type": "string"}, "high_label": {"type": "string"},
    },
}
SURVEY_BODY = json_request({
    "type": "object", "required": ["title", "questions"],
    "properties": {
        "title": {"type": "string", "maxLength": surveys.TITLE_MAX},
        "intro": {"type": "string", "maxLength": surveys.INTRO_MAX, "description": "Markdown."},
        "service": {"type": "string", "description": "The public service a standalone survey is about."},
        "opens_at": {"type": "string", "format": "date-time", "description": "Default: now."},
        "closes_at": {"type": "string", "format": "date-time", "description": "Default: open until closed."},
        "results_public": {"type": "boolean", "default": False},
        "ask_demographics": {"type": "boolean", "default": False},
        "publish": {"type": "boolean", "default": True, "description": "`false` keeps it a draft."},
        "questions": {"type": "array", "minItems": 1, "maxItems": surveys.MAX_QUESTIONS, "items": QUESTION_BODY},
    },
})
ANSWERS_BODY = json_request({
    "type": "object", "required": ["answers"],
    "properties": {
        "answers": {"type": "array", "items": {
            "type": "object", "required": ["question_id"],
            "properties": {
                "question_id": {"type": "integer"},
                "choice_ids": {"type": "array", "items": {"type": "integer"}},
                "value": {"type": "integer", "description": "Likert 1-5, rating 0-10."},
                "text": {"type": "string", "description": "A text answer, or the \"other\" of a choice question."},
            },
        }},
        "as_organization": AS_ORGANIZATION,
        "demographics": {"type": "object", "description": "Optional: `age_band`, `gender`, `kecamatan` (code).",
                         "properties": {
                             "age_band": {"type": "string", "enum": list(Demographic.AGE_BANDS)},
                             "gender": {"type": "string", "enum": list(Demographic.GENDERS)},
                             "kecamatan": {"type": "string"},
                         }},
    },
})


# -- serializing ---------------------------------------------------------------------------
def question_json(question):
    low, high = question.value_range or (None, None)
    return {
        "id": question.id, "position": question.position, "type": question.kind, "text": question.text,
        "required": question.required, "allow_other": question.allow_other, "min": low, "max": high,
        "low_label": question.low_label, "high_label": question.high_label,
        "choices": [{"id": choice.id, "label": choice.label} for choice in question.choices],
    }


def survey_json(survey):
    data = {
        "id": survey.id, "title": survey.title, "intro_html": survey.intro_html, "service": survey.service_name,
        "policy_id": survey.policy_id, "agency": survey.agency.code, "status": survey.status(),
        "version": survey.version, "previous_id": survey.previous_id,
        "opens_at": isoformat(survey.opens_at), "closes_at": isoformat(survey.closes_at),
        "results_public": survey.results_public, "ask_demographics": survey.ask_demographics,
        "response_count": survey.response_count,
        "questions": [question_json(question) for question in survey.questions],
        "url": url_for("surveys.survey", survey_id=survey.id, _external=True),
    }
    if survey.ask_demographics:
        data["demographics"] = {
            "age_band": list(Demographic.AGE_BANDS), "gender": list(Demographic.GENDERS),
            "kecamatan": list(db.session.scalars(db.select(District.code).where(
                District.level == District.KECAMATAN).order_by(District.code))),
        }
    return data


def response_json(response):
    answers = survey_answers.answers_of(response)
    return {
        "id": response.id, "survey_id": response.survey_id, "organization_id": response.organization_id,
        "created_at": isoformat(response.created_at), "updated_at": isoformat(response.updated_at),
        "demographics": {"kecamatan": response.kecamatan.code if response.kecamatan else None,
                         "age_band": response.age_band, "gender": response.gender},
        "answers": [{"question_id": question_id, "choice_ids": entry.get("choice_ids", []),
                     "value": entry.get("value"), "text": entry.get("text")}
                    for question_id, entry in answers.items()],
    }


# -- reading the body ------------------------------------------------------------------------
def survey_fields(data):
    problems = {}
    for name in ("title", "intro", "service"):
        if data.get(name) is not None and not isinstance(data[name], str):
            problems[name] = _("This must be a text.")
    for name in ("results_public", "ask_demographics", "publish"):
        if data.get(name) is not None and not isinstance(data[name], bool):
            problems[name] = _("This must be true or false.")
    times = {name: _when(data, name, problems) if data.get(name) is not None else None
             for name in ("opens_at", "closes_at")}
    questions = data.get("questions")
    if not isinstance(questions, list) or not all(isinstance(item, dict) for item in questions):
        problems["questions"] = _("Give a list of questions, each with a type and a text.")
        questions = []
    for index, item in enumerate(questions):
        for key in ("type", "text", "low_label", "high_label"):
            if item.get(key) is not None and not isinstance(item[key], str):
                problems[f"questions.{index}.{key}"] = _("This must be a text.")
        for key in ("required", "allow_other"):
            if item.get(key) is not None and not isinstance(item[key], bool):
                problems[f"questions.{index}.{key}"] = _("This must be true or false.")
        choices = item.get("choices")
        if choices is not None and (not isinstance(choices, list) or not all(isinstance(c, str) for c in choices)):
            problems[f"questions.{index}.choices"] = _("Give the choices as a list of texts.")
    if problems:
        raise ValidationFailed(fields=problems)
    return {
        "title": data.get("title"), "intro": data.get("intro"), "service_name": data.get("service"),
        "results_public": data.get("results_public", False), "ask_demographics": data.get("ask_demographics", False),
        "questions": questions, **times,
    }


def api_field_names(error):
    """The services name builder fields as the form does (`questions-2-text`): say `questions.2.text`."""
    error.fields = {_BUILDER_FIELD.sub(lambda m: f"questions.{m[1]}.{m[2]}", name): message
                    for name, message in error.fields.items()}
    return error


def posted_answers(data):
    """({question id: answer}, demographics) from the body; 422 naming `answers.N.key` for a wrong type."""
    raw = data.get("answers")
    problems = {}
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise ValidationFailed(fields={"answers": _("Give a list of answers, each with a question_id.")})
    answers = {}
    for index, item in enumerate(raw):
        question_id = item.get("question_id")
        if isinstance(question_id, bool) or not isinstance(question_id, int):
            problems[f"answers.{index}.question_id"] = _("This must be a question id.")
            continue
        if question_id in answers:
            problems[f"answers.{index}.question_id"] = _("Each question can be answered once.")
        choice_ids = item.get("choice_ids")
        if choice_ids is not None and not isinstance(choice_ids, list):
            problems[f"answers.{index}.choice_ids"] = _("Give the chosen choice ids as a list.")
        if item.get("text") is not None and not isinstance(item["text"], str):
            problems[f"answers.{index}.text"] = _("This must be a text.")
        answers[question_id] = {"choice_ids": choice_ids or [], "value": item.get("value"), "text": item.get("text")}
    demographics = data.get("demographics")
    if demographics is not None and (not isinstance(demographics, dict) or not all(
            value is None or isinstance(value, str) for value in demographics.values())):
        problems["demographics"] = _("Give the demographics as an object of texts.")
    if problems:
        raise ValidationFailed(fields=problems)
    return answers, demographics or {}
