"""Answering a survey: per-type checks, one response per person, changed until the survey closes.

Answers come in as `{question_id: {"choice_ids": [...], "value": n, "text": "..."}}`
(for a choice question `text` is the "other" answer). `check_answers()`
validates some or all questions (the page-by-page form checks one page at a
time) and names problems by field `question-<id>`; `submit_response()`
validates everything again and saves the whole response in one transaction,
so a refused response leaves nothing behind. Demographics (age band, gender,
kecamatan) are optional and always skippable.

A member of a verified organization may answer as it (`as_organization`):
one response per organization per survey, counted apart from residents'
(forum/services/survey_results.py); such a response carries no demographics.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from forum.errors import Conflict, ValidationFailed
from forum.extensions import db
from forum.models import (
    Demographic,
    District,
    QuestionType,
    Survey,
    SurveyAnswer,
    SurveyResponse,
    SurveyStatus,
)
from forum.permissions import require
from forum.services import organization_voice, transaction
from forum.services.surveys import lock_survey
from forum.text import typed_text
from forum.timeutil import utcnow

TEXT_LIMITS = {QuestionType.SHORT_TEXT: 300, QuestionType.LONG_TEXT: 5_000}
OTHER_MAX = 300


def field_name(question):
    return f"question-{question.id}"


def _is_blank(raw):
    return not raw.get("choice_ids") and raw.get("value") in (None, "") and not typed_text(raw.get("text"))


def _check_choices(question, raw, problems):
    known = {choice.id for choice in question.choices}
    chosen = list(raw.get("choice_ids") or [])
    other = typed_text(raw.get("text"))
    name = field_name(question)
    if any(isinstance(item, bool) or not isinstance(item, int) or item not in known for item in chosen):
        problems[name] = _l("Choose from the answers offered.")
    elif len(set(chosen)) != len(chosen):
        problems[name] = _l("Each answer can be chosen once.")
    elif other and not question.allow_other:
        problems[name] = _l("This question has no \"other\" answer. Choose from the answers offered.")
    elif len(other) > OTHER_MAX:
        problems[name] = _l("Use at most %(max)d characters.", max=OTHER_MAX)
    elif question.kind == QuestionType.SINGLE and len(chosen) + bool(other) > 1:
        problems[name] = _l("Choose one answer only.")
    else:
        return [(choice_id, None, None) for choice_id in chosen] + ([(None, None, other)] if other else [])
    return []


def _check_scale(question, raw, problems):
    low, high = question.value_range
    value = raw.get("value")
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems[field_name(question)] = _l("Choose a whole number from %(low)d to %(high)d.", low=low, high=high)
        return []
    return [(None, value, None)]


def _check_text(question, raw, problems):
    text = typed_text(raw.get("text"))
    limit = TEXT_LIMITS[question.kind]
    if len(text) > limit:
        problems[field_name(question)] = _l("Use at most %(max)d characters.", max=limit)
        return []
    return [(None, None, text)]


_CHECKS = {
    QuestionType.SINGLE: _check_choices, QuestionType.MULTIPLE: _check_choices,
    QuestionType.LIKERT: _check_scale, QuestionType.RATING: _check_scale,
    QuestionType.SHORT_TEXT: _check_text, QuestionType.LONG_TEXT: _check_text,
}


def check_answers(survey, answers, questions=None):
    """{question id: [(choice_id, value, text), ...]} for `questions` (default: all); 422 on any problem."""
    problems = {}
    known = {question.id for question in survey.questions}
    strangers = sorted(set(answers) - known, key=str)
    if strangers:
        problems["answers"] = _l("These questions are not in this survey: %(ids)s.",
                                 ids=", ".join(map(str, strangers)))
    cleaned = {}
    for question in questions if questions is not None else survey.questions:
        raw = answers.get(question.id) or {}
        if _is_blank(raw):
            if question.required:
                problems[field_name(question)] = _l("This question needs an answer.")
            continue
        rows = _CHECKS[question.kind](question, raw, problems)
        if question.kind == QuestionType.MULTIPLE:
            # Each row says how many rows the response has for the question: the results count
            # respondents as the sum of 1/value (forum/services/survey_results.py), no DISTINCT.
            rows = [(choice_id, len(rows), text) for choice_id, _value, text in rows]
        if rows:
            cleaned[question.id] = rows
    if problems:
        raise ValidationFailed(_l("Some answers need your attention."), fields=problems)
    return cleaned


def check_demographics(survey, user, demographics):
    """(kecamatan_id, age_band, gender): the registered kecamatan wins over a stated one."""
    demographics = demographics or {}
    problems = {}
    age_band, gender, stated = (demographics.get(key) or None for key in ("age_band", "gender", "kecamatan"))
    if not survey.ask_demographics:
        age_band = gender = stated = None
    if age_band is not None and age_band not in Demographic.AGE_BANDS:
        problems["age_band"] = _l("Choose an age band from the list, or leave it empty.")
    if gender is not None and gender not in Demographic.GENDERS:
        problems["gender"] = _l("Choose from the list, or leave it empty.")
    kecamatan_id = None
    registered = user.district
    if registered is not None:
        kecamatan_id = registered.kecamatan.id
    elif stated is not None:
        kecamatan_id = db.session.scalar(select(District.id).where(
            District.code == stated, District.level == District.KECAMATAN)) if isinstance(stated, str) else None
        if kecamatan_id is None:
            problems["kecamatan"] = _l("Choose a kecamatan from the list, or leave it empty.")
    if problems:
        raise ValidationFailed(_l("Some answers need your attention."), fields=problems)
    return kecamatan_id, age_band, gender


def own_response(user, survey):
    """The person's own response to `survey` (not one given as an organization), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(SurveyResponse).where(
        SurveyResponse.survey_id == survey.id, SurveyResponse.user_id == user.id,
        SurveyResponse.organization_id.is_(None)))


def organization_response(organization, survey):
    """The organization's response to `survey`, or None."""
    return db.session.scalar(select(SurveyResponse).where(
        SurveyResponse.survey_id == survey.id, SurveyResponse.organization_id == organization.id))


def answers_of(response):
    """A saved response as the answers dict `check_answers` takes (to fill the form again)."""
    answers = {}
    for answer in response.answers if response is not None else []:
        entry = answers.setdefault(answer.question_id, {"choice_ids": []})
        if answer.choice_id is not None:
            entry["choice_ids"].append(answer.choice_id)
        if answer.value is not None and answer.choice_id is None and answer.text is None:
            entry["value"] = answer.value  # a scale's value (a multiple-choice row's is its row count)
        if answer.text is not None:
            entry["text"] = answer.text
    return answers


def _refuse_unless_open(survey):
    status = survey.status()
    if status == SurveyStatus.UPCOMING:
        raise Conflict(_l("This survey has not opened yet."), code="survey_not_open")
    if status != SurveyStatus.OPEN:
        raise Conflict(_l("This survey is closed: answers can no longer be sent or changed."),
                       code="survey_closed")


def _already_answered(organization):
    if organization is not None:
        return Conflict(_l("%(name)s has already answered this survey. Its members can change the answers until "
                           "it closes.", name=organization.name), code="already_answered")
    return Conflict(_l("You have already answered this survey. You can change your answers until it closes."),
                    code="already_answered")


def submit_response(user, survey, answers, demographics=None, *, replace=False, as_organization=None):
    """Save `user`'s answers; a second response is a 409 unless `replace` (then it changes the first).

    With `as_organization` (an id) the answers are that organization's: one per organization.
    """
    require(user, "survey.respond", survey)
    organization = organization_voice.voice_for(user, as_organization)
    _refuse_unless_open(survey)
    existing = own_response(user, survey) if organization is None else organization_response(organization, survey)
    if existing is not None and not replace:
        raise _already_answered(organization)
    cleaned = check_answers(survey, answers)
    kecamatan_id, age_band, gender = (check_demographics(survey, user, demographics) if organization is None
                                      else (None, None, None))
    now = utcnow()
    try:
        with transaction():
            lock_survey(survey)
            response = existing or SurveyResponse(
                survey_id=survey.id, user_id=user.id, created_at=now,
                organization_id=organization.id if organization is not None else None)
            response.user_id = user.id  # for an organization: the member who wrote this version
            response.kecamatan_id, response.age_band, response.gender = kecamatan_id, age_band, gender
            response.updated_at = now
            _fill(response, cleaned)
            if existing is None:
                _add(survey, response)
    except IntegrityError:
        # The same person (or two members of an organization) sent twice at once: the other request saved it.
        raise _already_answered(organization) from None
    return response


def _fill(response, cleaned):
    """Replace the response's answer rows, each with the response's demographics copied on."""
    response.answers = [
        SurveyAnswer(question_id=question_id, choice_id=choice_id, value=value, text=text,
                     kecamatan_id=response.kecamatan_id, age_band=response.age_band, gender=response.gender)
        for question_id, rows in cleaned.items() for choice_id, value, text in rows
    ]


def _add(survey, response):
    db.session.add(response)
    db.session.execute(update(Survey).where(Survey.id == survey.id)
                       .values(response_count=Survey.response_count + 1))


def add_desk_response(survey, answers, kecamatan_id):
    """A resident's answers typed at a kelurahan service desk, in the caller's transaction (forum/services/desk.py).

    No user (channel `desk`), placed in the resident's kecamatan; the
    demographic questions are not asked at the desk.
    """
    _refuse_unless_open(survey)
    cleaned = check_answers(survey, answers)
    lock_survey(survey)
    now = utcnow()
    response = SurveyResponse(survey_id=survey.id, user_id=None, channel="desk", kecamatan_id=kecamatan_id,
                              created_at=now, updated_at=now)
    _fill(response, cleaned)
    _add(survey, response)
    return response
