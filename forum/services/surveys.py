"""Surveys: build, publish, close and version a questionnaire; find the ones a person may see.

Each verb is one transaction: `require()` first, `ValidationFailed` naming the
builder form's fields (`title`, `questions-2-text`, `questions-2-choices`),
`Conflict` for the wrong state, one commit. Questions are a list of dicts:
`{"type", "text", "choices": [label, ...], "required", "allow_other",
"low_label", "high_label"}`. Once a survey has responses its questions are
frozen: changing them is a 409 that offers a new version (`copy_survey`).
Answering lives in forum/services/survey_answers.py, results in
forum/services/survey_results.py.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from forum import activity
from forum.errors import Conflict, NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.forms import check_length
from forum.models import (
    Policy,
    QuestionType,
    Survey,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from forum.permissions import can, require
from forum.services import transaction
from forum.services.survey_results import survey_results  # noqa: F401  (the summaries' entry point)
from forum.text import render_markdown, typed_text
from forum.timeutil import utcnow

TITLE_MAX = 200
SERVICE_MAX = 200
INTRO_MAX = 5_000
QUESTION_MAX = 500
CHOICE_MAX = 200
LABEL_MAX = 80
MAX_QUESTIONS = 50
MIN_CHOICES = 2
MAX_CHOICES = 30

FROZEN_MESSAGE = _l(
    "This survey already has responses, so its questions can no longer change. "
    "Make a new version instead: a copy you can edit and publish."
)


# -- reading ---------------------------------------------------------------------------
def _loaded(survey_id):
    if not 0 < survey_id <= MAX_ID:
        return None
    return db.session.scalar(
        select(Survey).where(Survey.id == survey_id).options(
            selectinload(Survey.questions).selectinload(SurveyQuestion.choices),
        )
    )


def is_visible_to(survey, user):
    """Published surveys whose consultation the person may read; drafts only to those who build them."""
    if survey.policy is not None and not survey.policy.is_visible_to(user):
        return False
    return survey.published_at is not None or can(user, "survey.edit", survey)


def visible_survey(user, survey_id):
    """The survey `survey_id` with its questions and choices if `user` may read it; else NotFound."""
    survey = _loaded(survey_id)
    if survey is None or not is_visible_to(survey, user):
        raise NotFound(_l("There is no such survey."))
    return survey


def editable_survey(user, survey_id):
    """The survey if `user` may build it (NotFound when they may not even see it, else Forbidden)."""
    survey = visible_survey(user, survey_id)
    require(user, "survey.edit", survey)
    return survey


def _status_filter(status, now):
    closed = or_(Survey.closed_at.is_not(None), Survey.closes_at <= now)
    if status == SurveyStatus.CLOSED:
        return closed
    not_closed = and_(Survey.closed_at.is_(None), or_(Survey.closes_at.is_(None), Survey.closes_at > now))
    if status == SurveyStatus.UPCOMING:
        return and_(not_closed, Survey.opens_at > now)
    return and_(not_closed, Survey.opens_at <= now)


def public_query(status=None):
    """A select of the published surveys of public consultations (or standalone), newest first.

    `status` (open, upcoming or closed) narrows it.
    """
    public_policy = select(Policy.id).where(Policy.public_filter())
    query = (
        select(Survey)
        .where(Survey.published_at.is_not(None),
               or_(Survey.policy_id.is_(None), Survey.policy_id.in_(public_policy)))
        .options(selectinload(Survey.agency), selectinload(Survey.policy),
                 selectinload(Survey.questions).selectinload(SurveyQuestion.choices))
        .order_by(Survey.id.desc())
    )
    if status is not None:
        query = query.where(_status_filter(status, utcnow()))
    return query


def public_surveys():
    """The published surveys anyone may see, open ones first, newest first."""
    now = utcnow()
    surveys = db.session.scalars(public_query()).all()
    return sorted(surveys, key=lambda survey: survey.status(now) != SurveyStatus.OPEN)


def policy_surveys(policy, user):
    """The surveys of one consultation that `user` may see, oldest first."""
    surveys = db.session.scalars(select(Survey).where(Survey.policy_id == policy.id).order_by(Survey.id)).all()
    return [survey for survey in surveys if is_visible_to(survey, user)]


def published_policy_surveys(policy):
    """The published surveys of a consultation, oldest first (the consultation page links to them)."""
    return db.session.scalars(select(Survey).where(
        Survey.policy_id == policy.id, Survey.published_at.is_not(None)).order_by(Survey.id)).all()


def agency_surveys(user):
    """The surveys `user` builds: their agency's (every agency's for an admin), newest first."""
    require(user, "policy.manage")
    query = select(Survey).options(selectinload(Survey.policy)).order_by(Survey.id.desc())
    if not user.is_admin:
        query = query.where(Survey.agency_id == user.agency_id)
    return db.session.scalars(query).all()


# -- validation --------------------------------------------------------------------------
def _clean_choices(raw, prefix, errors):
    labels = [typed_text(label) for label in (raw or [])]
    labels = [label for label in labels if label]
    if len(labels) < MIN_CHOICES:
        errors[f"{prefix}-choices"] = _l("Give at least %(min)d choices, one per line.", min=MIN_CHOICES)
    elif len(labels) > MAX_CHOICES:
        errors[f"{prefix}-choices"] = _l("A question can have at most %(max)d choices.", max=MAX_CHOICES)
    elif any(len(label) > CHOICE_MAX for label in labels):
        errors[f"{prefix}-choices"] = _l("Each choice can have at most %(max)d characters.", max=CHOICE_MAX)
    elif len({label.casefold() for label in labels}) != len(labels):
        errors[f"{prefix}-choices"] = _l("Each choice must be different.")
    return labels


def clean_questions(questions, errors):
    """Validated question dicts; problems go into `errors` under the builder's field names."""
    questions = list(questions or [])
    if not questions:
        errors["questions"] = _l("Add at least one question.")
    elif len(questions) > MAX_QUESTIONS:
        errors["questions"] = _l("A survey can have at most %(max)d questions.", max=MAX_QUESTIONS)
    cleaned = []
    for index, question in enumerate(questions[:MAX_QUESTIONS]):
        prefix = f"questions-{index}"
        kind = question.get("type")
        if kind not in QuestionType.ALL:
            errors[f"{prefix}-type"] = _l("Choose a question type from the list.")
        text = typed_text(question.get("text"))
        check_length(errors, f"{prefix}-text", text, QUESTION_MAX)
        item = {"type": kind, "text": text, "required": bool(question.get("required")),
                "choices": [], "allow_other": False, "low_label": None, "high_label": None}
        if kind in QuestionType.CHOICE:
            item["choices"] = _clean_choices(question.get("choices"), prefix, errors)
            item["allow_other"] = bool(question.get("allow_other"))
        elif kind in QuestionType.SCALE:
            for end in ("low_label", "high_label"):
                label = typed_text(question.get(end))
                check_length(errors, f"{prefix}-{end}", label, LABEL_MAX, required=False)
                item[end] = label or None
        cleaned.append(item)
    return cleaned


def _clean_survey(fields, questions):
    errors = {}
    title, service, intro = typed_text(fields.get("title")), typed_text(fields.get("service_name")), typed_text(fields.get("intro"))
    check_length(errors, "title", title, TITLE_MAX)
    check_length(errors, "service_name", service, SERVICE_MAX, required=False)
    check_length(errors, "intro", intro, INTRO_MAX, required=False)
    opens_at, closes_at = fields.get("opens_at") or utcnow(), fields.get("closes_at")
    if closes_at is not None and closes_at <= opens_at:
        errors["closes_at"] = _l("The survey must close after it opens.")
    elif closes_at is not None and closes_at <= utcnow():
        errors["closes_at"] = _l("The closing time has already passed.")
    cleaned = clean_questions(questions, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    return {
        "title": title, "service_name": service or None, "intro": intro, "intro_html": render_markdown(intro),
        "opens_at": opens_at, "closes_at": closes_at,
        "results_public": bool(fields.get("results_public")),
        "ask_demographics": bool(fields.get("ask_demographics")),
    }, cleaned


def question_data(question):
    """A saved question as the dict the builder and `clean_questions` use."""
    return {
        "type": question.kind, "text": question.text, "required": question.required,
        "choices": [choice.label for choice in question.choices], "allow_other": question.allow_other,
        "low_label": question.low_label, "high_label": question.high_label,
    }


def _build_questions(cleaned):
    return [
        SurveyQuestion(
            position=position, kind=item["type"], text=item["text"], required=item["required"],
            allow_other=item["allow_other"], low_label=item["low_label"], high_label=item["high_label"],
            choices=[SurveyChoice(position=number, label=label) for number, label in enumerate(item["choices"], 1)],
        )
        for position, item in enumerate(cleaned, 1)
    ]


def _count_on_policy(policy):
    """One more published survey on the consultation's page (its counter, changed in SQL).

    The flush expires an attribute set to a SQL expression, so the page cache's session hook
    cannot see the change: `touch` tells it.
    """
    if policy is not None:
        policy.survey_count = Policy.survey_count + 1
        activity.touch(policy.id)


def lock_survey(survey):
    """Take the survey's row lock (PostgreSQL) so questions and responses never change at once."""
    db.session.execute(select(Survey.id).where(Survey.id == survey.id).with_for_update())


def has_responses(survey):
    first = select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id).limit(1)
    return db.session.scalar(first) is not None


# -- building ----------------------------------------------------------------------------
def create_survey(actor, *, policy=None, questions, publish=False, **fields):
    """A new survey (a draft unless `publish`), standalone or attached to `policy`."""
    if policy is not None:
        require(actor, "policy.draft", policy)
    else:
        require(actor, "survey.create")
    values, cleaned = _clean_survey(fields, questions)

    with transaction():
        survey = Survey(
            agency_id=policy.agency_id if policy is not None else actor.agency_id,
            policy_id=policy.id if policy is not None else None, created_by_id=actor.id, **values,
        )
        survey.questions = _build_questions(cleaned)
        db.session.add(survey)
        if publish:
            survey.published_at = utcnow()
            _count_on_policy(policy)
    return survey


def update_survey(actor, survey, *, questions, **fields):
    """Change a survey; its questions only while nobody has answered (else 409)."""
    require(actor, "survey.edit", survey)
    if survey.status() == SurveyStatus.CLOSED:
        raise Conflict(_l("This survey is closed and can no longer be changed."))
    values, cleaned = _clean_survey(fields, questions)

    with transaction():
        lock_survey(survey)
        same_questions = cleaned == [question_data(question) for question in survey.questions]
        if not same_questions and has_responses(survey):
            raise Conflict(FROZEN_MESSAGE, code="survey_has_responses")
        for name, value in values.items():
            setattr(survey, name, value)
        if not same_questions:
            survey.questions = []
            db.session.flush()  # the old questions go before their positions are reused
            survey.questions = _build_questions(cleaned)
    return survey


def publish_survey(actor, survey):
    """Draft -> published; it takes responses from `opens_at`. A new version closes the one it replaces."""
    require(actor, "survey.edit", survey)
    if survey.published_at is not None:
        raise Conflict(_l("This survey has already been published."))
    if survey.closes_at is not None and survey.closes_at <= utcnow():
        raise ValidationFailed(
            _l("The closing time has already passed. Change the dates before publishing."),
            fields={"closes_at": _l("The closing time has already passed.")},
        )

    with transaction():
        now = utcnow()
        survey.published_at = now
        if survey.opens_at < now:
            survey.opens_at = now
        previous = survey.previous
        if previous is not None and previous.published_at is not None and previous.closed_at is None:
            previous.closed_at = now
        _count_on_policy(survey.policy)
    return survey


def close_survey(actor, survey):
    """Stop taking responses now (results become public then, if the official chose so)."""
    require(actor, "survey.edit", survey)
    if survey.status() not in (SurveyStatus.OPEN, SurveyStatus.UPCOMING):
        raise Conflict(_l("Only a published survey that has not closed yet can be closed."))

    with transaction():
        survey.closed_at = utcnow()
    return survey


def copy_survey(actor, survey):
    """A new version: a draft copy of the survey and its questions, to change and publish."""
    require(actor, "survey.edit", survey)
    if survey.policy is not None:
        require(actor, "policy.draft", survey.policy)
    closes_at = survey.closes_at if survey.closes_at and survey.closes_at > utcnow() else None

    with transaction():
        copy = Survey(
            agency_id=survey.agency_id, policy_id=survey.policy_id, previous_id=survey.id,
            created_by_id=actor.id, version=survey.version + 1, title=survey.title,
            service_name=survey.service_name, intro=survey.intro, intro_html=survey.intro_html,
            opens_at=utcnow(), closes_at=closes_at, results_public=survey.results_public,
            ask_demographics=survey.ask_demographics,
        )
        copy.questions = _build_questions([question_data(question) for question in survey.questions])
        db.session.add(copy)
    return copy
