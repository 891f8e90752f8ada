"""Residents' survey pages under /survei: the list, a survey, answering page by page, results.

Answering works without JavaScript: a long survey is cut into pages of
`QUESTIONS_PER_PAGE`; "Next" checks the page's answers, and the answers of
the other pages travel along as hidden fields, so nothing is saved until
the last page is sent (and a refused response leaves nothing behind).
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.errors import Conflict, Forbidden, ValidationFailed
from forum.extensions import db
from forum.forms import BaseForm
from forum.models import Demographic, District, QuestionType
from forum.permissions import can, require
from forum.services import policies as policy_service
from forum.services import survey_answers, surveys
from forum.reports import survey_presenting as presenting
from forum.services.survey_results import AGE_BAND_LABELS, DIMENSION_LABELS, GENDER_LABELS, survey_results
from forum.surveys import bp
from forum.surveys.forms import posted_answers, posted_demographics
from forum.services.organization_voice import organizations_for
from forum.voice_forms import REFUSALS
from forum.web import FORM_INVALID, form_checks_csrf, signed_in_user

QUESTIONS_PER_PAGE = 5


@bp.get("/")
def index():
    raw = request.args.get("konsultasi", "")
    if raw.isascii() and raw.isdigit() and len(raw) < 11:
        policy = policy_service.visible_policy(signed_in_user(), int(raw))
        return render_template("surveys/index.html", policy=policy,
                               surveys=surveys.published_policy_surveys(policy))
    return render_template("surveys/index.html", policy=None, surveys=surveys.public_surveys())


@bp.get("/<int:survey_id>")
def survey(survey_id):
    viewer = signed_in_user()
    shown = surveys.visible_survey(viewer, survey_id)
    return render_template(
        "surveys/survey.html", survey=shown, response=survey_answers.own_response(viewer, shown),
        may_respond=can(viewer, "survey.respond", shown), may_see_results=can(viewer, "survey.results", shown),
        may_edit=can(viewer, "survey.edit", shown),
    )


# -- answering ---------------------------------------------------------------------------
def _pages(survey):
    """The questions of each page; with demographics, a last page holds only those."""
    questions = list(survey.questions)
    pages = [questions[start:start + QUESTIONS_PER_PAGE] for start in range(0, len(questions), QUESTIONS_PER_PAGE)]
    if survey.ask_demographics or not pages:
        pages.append([])
    return pages


def _page_of_first_error(pages, problems):
    for index, questions in enumerate(pages):
        if any(survey_answers.field_name(question) in problems for question in questions):
            return index
    return len(pages) - 1


def _posted_page(pages):
    raw = request.form.get("page", "0")
    return min(int(raw), len(pages) - 1) if raw.isascii() and raw.isdigit() and len(raw) < 4 else 0


def _saved_demographics(response):
    if response is None:
        return {}
    return {"age_band": response.age_band, "gender": response.gender}


@bp.route("/<int:survey_id>/isi", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def answer(survey_id):
    user = current_user._get_current_object()
    shown = surveys.visible_survey(user, survey_id)
    require(user, "survey.respond", shown)
    if not shown.accepts_responses():
        flash(_("This survey is not taking answers at the moment."), "warning")
        return redirect(url_for("surveys.survey", survey_id=shown.id))
    existing = survey_answers.own_response(user, shown)
    pages, form, problems, status = _pages(shown), BaseForm(), {}, 200
    voice, voice_errors = request.form.get("as_organization", "") if request.method == "POST" else "", []
    if request.method == "GET":
        answers, demographics, page = survey_answers.answers_of(existing), _saved_demographics(existing), 0
    else:
        answers, demographics = posted_answers(shown, request.form), posted_demographics(request.form)
        page, action = _posted_page(pages), request.form.get("action", "send")
        if not form.validate_on_submit():
            status = FORM_INVALID
        elif action == "back":
            page = max(page - 1, 0)
        elif action == "next" and page < len(pages) - 1:
            try:
                survey_answers.check_answers(shown, answers, pages[page])
                page += 1
            except ValidationFailed as error:
                problems, status = error.fields, FORM_INVALID
        else:
            try:
                # An organization answers once (a second is refused); a person changes their own answers.
                survey_answers.submit_response(user, shown, answers, demographics,
                                               replace=existing is not None and not voice,
                                               as_organization=voice or None)
            except ValidationFailed as error:
                problems, status = error.fields, FORM_INVALID
                page = _page_of_first_error(pages, problems)
            except (Forbidden, Conflict) as error:
                if not voice or error.code not in (*REFUSALS, "already_answered"):
                    if isinstance(error, Forbidden):
                        raise
                    flash(str(error.message), "warning")
                    return redirect(url_for("surveys.survey", survey_id=shown.id))
                voice_errors, status = [error.message], error.status
            else:
                flash(_("Thank you: your answers were saved. You can change them until the survey closes."),
                      "success")
                return redirect(url_for("surveys.survey", survey_id=shown.id))
    kecamatan = [] if user.district is not None else db.session.scalars(
        select(District).where(District.level == District.KECAMATAN).order_by(District.name)).all()
    return render_template(
        "surveys/answer.html", survey=shown, form=form, pages=pages, page=page, answers=answers,
        demographics=demographics, problems=problems, editing=existing is not None, kecamatan=kecamatan,
        age_bands=[(code, AGE_BAND_LABELS[code]) for code in Demographic.AGE_BANDS],
        genders=[(code, GENDER_LABELS[code]) for code in Demographic.GENDERS],
        QuestionType=QuestionType, scale_labels=presenting.scale_labels,
        voices=organizations_for(user), voice=voice, voice_errors=voice_errors,
    ), status


# -- results -----------------------------------------------------------------------------
@bp.get("/<int:survey_id>/hasil")
def results(survey_id):
    viewer = signed_in_user()
    shown = surveys.visible_survey(viewer, survey_id)
    if not can(viewer, "survey.results", shown):
        raise Forbidden(_("The results of this survey are published when it closes, if the agency chose so."))
    dimension = request.args.get("rincian", "kecamatan")
    dimension = dimension if dimension in Demographic.DIMENSIONS else "kecamatan"
    # Organizations' answers are their own group (`?kelompok=organisasi`), apart from residents'.
    organizations = request.args.get("kelompok") == "organisasi"
    results = (survey_results(shown, organizations=True) if organizations
               else survey_results(shown, breakdown=dimension))
    return render_template(
        "surveys/results.html", survey=shown, results=results, organizations=organizations,
        dimension=dimension, dimensions=DIMENSION_LABELS, present=presenting,
        may_edit=can(viewer, "survey.edit", shown),
    )
