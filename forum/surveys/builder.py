"""The officials' survey builder under /dinas/survei: list, build, publish, close, new version, exports.

Every page needs `policy.manage` (agency officials and admins); a survey is
loaded through `editable_survey`, so another agency's draft is a 404 and
its published survey a 403. The question list is edited with submit buttons
(forum/list_editor.py), so the builder works without JavaScript.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.errors import Conflict, NotFound, ValidationFailed
from forum.exports.response import send_export
from forum.extensions import db
from forum.forms import list_editor_form
from forum.permissions import can, require
from forum.reports import formats
from forum.services import policies, surveys
from forum.surveys import builder_bp as bp
from forum.surveys.forms import TYPE_LABELS, SurveyForm, apply_builder_errors, apply_question_action, survey_form_data
from forum.web import FORM_INVALID, form_checks_csrf, restrict_blueprint



restrict_blueprint(bp, "policy.manage")


def _user():
    return current_user._get_current_object()


def _builder_form(defaults=None):
    """(form, editing): rebuilt after a question button, else as posted (or from `defaults` on GET)."""
    return list_editor_form(SurveyForm, apply_question_action, "questions_problem", defaults)


def _save(form, action):
    """Run `action`; on ValidationFailed put the errors on the form. The saved survey, or None."""
    try:
        return action()
    except ValidationFailed as error:
        db.session.rollback()
        form.questions_problem = apply_builder_errors(form, error.fields) or error.message
        return None


def _render_builder(form, *, survey=None, policy=None, editing=False, status=None, conflict=None):
    if status is None:
        status = FORM_INVALID if form.is_submitted() and not editing else 200
    return render_template("surveys/builder.html", form=form, survey=survey, policy=policy,
                           conflict=conflict), status


@bp.get("/")
@login_required
def index():
    return render_template("surveys/builder_index.html", surveys=surveys.agency_surveys(_user()),
                           can_create=can(_user(), "survey.create"))


def _policy_arg():
    raw = request.args.get("konsultasi", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 11):
        raise NotFound()
    policy = policies.visible_policy(_user(), int(raw))
    require(_user(), "policy.draft", policy)
    return policy


@bp.route("/baru", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def create():
    policy = _policy_arg()
    if policy is None:
        require(_user(), "survey.create")
    form, editing = _builder_form()
    if not editing and form.validate_on_submit():
        if policy is None and not (form.service_name.data or "").strip():
            form.service_name.errors = [_("Name the public service this survey is about.")]
        else:
            created = _save(form, lambda: surveys.create_survey(_user(), policy=policy, **form.survey_fields()))
            if created is not None:
                flash(_("The survey was saved as a draft. Only your agency can see it until you publish it."),
                      "success")
                return redirect(url_for("survey_builder.manage", survey_id=created.id))
    return _render_builder(form, policy=policy, editing=editing)


@bp.get("/<int:survey_id>")
@login_required
def manage(survey_id):
    survey = surveys.editable_survey(_user(), survey_id)
    return render_template("surveys/manage.html", survey=survey, has_responses=surveys.has_responses(survey),
                           formats=formats.names(formats.SURVEY), type_labels=TYPE_LABELS)


@bp.route("/<int:survey_id>/ubah", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def edit(survey_id):
    survey = surveys.editable_survey(_user(), survey_id)
    form, editing = _builder_form(survey_form_data(survey))
    conflict = None
    if not editing and form.validate_on_submit():
        try:
            saved = _save(form, lambda: surveys.update_survey(_user(), survey, **form.survey_fields()))
        except Conflict as error:
            db.session.rollback()
            conflict = error.message
        else:
            if saved is not None:
                flash(_("The survey was saved."), "success")
                return redirect(url_for("survey_builder.manage", survey_id=survey.id))
    return _render_builder(form, survey=survey, policy=survey.policy, editing=editing,
                           status=409 if conflict else None, conflict=conflict)


@bp.post("/<int:survey_id>/terbitkan")
@login_required
def publish(survey_id):
    survey = surveys.editable_survey(_user(), survey_id)
    try:
        surveys.publish_survey(_user(), survey)
    except ValidationFailed as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("survey_builder.edit", survey_id=survey.id))
    flash(_("The survey is published."), "success")
    return redirect(url_for("survey_builder.manage", survey_id=survey.id))


@bp.post("/<int:survey_id>/tutup")
@login_required
def close(survey_id):
    survey = surveys.editable_survey(_user(), survey_id)
    surveys.close_survey(_user(), survey)
    flash(_("The survey is closed. It takes no more answers."), "success")
    return redirect(url_for("survey_builder.manage", survey_id=survey.id))


@bp.post("/<int:survey_id>/versi-baru")
@login_required
def new_version(survey_id):
    survey = surveys.editable_survey(_user(), survey_id)
    copy = surveys.copy_survey(_user(), survey)
    flash(_("A new version was made as a draft. Change its questions, then publish it: "
            "publishing closes the earlier version."), "success")
    return redirect(url_for("survey_builder.edit", survey_id=copy.id))


@bp.get("/<int:survey_id>/unduh/<string:file_format>")
@login_required
def export(survey_id, file_format):
    survey = surveys.editable_survey(_user(), survey_id)
    if formats.find(formats.SURVEY, file_format) is None:
        raise NotFound()
    return send_export(formats.build(formats.SURVEY, file_format, survey))
