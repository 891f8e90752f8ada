"""The kelurahan service desk (/layanan): submit for a resident, print the receipt, the desk's queue, updates.

Submissions: an aspiration, a comment on a consultation, a survey answer,
or a seat at an upcoming event (chosen from a list, the desk's kecamatan
first; a past or cancelled event is a 409 shown on the form).

Every page needs a desk officer (the blueprint's `desk.work`); each
submission of another kelurahan is a 403 from the service. A form with a
problem (no consent, a missing name, a refused text) re-renders with what
was typed and a 422; nothing is saved. A successful submit redirects to the
receipt, which prints on a 58 mm thermal printer or A4 (static/css/print.css).
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.aspirations.routes import form_choices
from forum.desk import bp
from forum.desk.forms import DeskAspirationForm, DeskCommentForm, DeskUpdateForm, ResidentForm
from forum.errors import Conflict, ValidationFailed
from forum.extensions import db
from forum.events.labels import KIND_LABELS
from forum.services import aspiration_labels, desk, event_registrations, policies, surveys
from forum.services.desk_tracking import CONTENT_STATUS_LABELS, seat_label
from forum.reports import survey_presenting
from forum.surveys.forms import posted_answers
from forum.web import FORM_INVALID, form_checks_csrf, id_arg, show_service_errors

LABELS = {"labels": aspiration_labels, "content_status_labels": CONTENT_STATUS_LABELS, "seat_label": seat_label,
          "consent_text": desk.CONSENT_TEXT, "consent_version": desk.CONSENT_VERSION}


def _officer():
    return current_user._get_current_object()


def _resident_choices(form):
    """The desk serves its own kelurahan: the one choice, chosen."""
    own = _officer().district
    form.kelurahan.choices = [(own.code, own.full_name)]
    if not form.is_submitted():
        form.kelurahan.data = own.code
    return form


def _failed(template, form, error, **context):
    db.session.rollback()
    show_service_errors(form, error)
    return render_template(template, form=form, **LABELS, **context), error.status


def _to_receipt(submission):
    flash(_("Sent. Give the resident the receipt with the code %(code)s.", code=submission.receipt_code), "success")
    return redirect(url_for("desk.receipt", submission_id=submission.id))


@bp.get("/")
def index():
    page = db.paginate(desk.queue_query(_officer()), page=id_arg("page") or 1, per_page=desk.QUEUE_PAGE_SIZE,
                       error_out=False)
    return render_template("desk/index.html", page=page, officer=_officer(), **LABELS)


@bp.route("/aspirasi", methods=["GET", "POST"])
@form_checks_csrf
def new_aspiration():
    form = _resident_choices(form_choices(DeskAspirationForm()))
    if not form.is_submitted():
        form.district.data = _officer().district.code
        return render_template("desk/aspiration.html", form=form, **LABELS)
    if not form.validate_on_submit():
        return render_template("desk/aspiration.html", form=form, **LABELS), FORM_INVALID
    try:
        submission = desk.submit_aspiration(
            _officer(), form.resident(), aspiration_type=form.kind.data, title=form.title.data, body=form.body.data,
            category=form.category.data, district=form.district.data, visibility=form.visibility.data,
            location=form.location.data or "", photos=request.files.getlist("photos"))
    except ValidationFailed as error:
        return _failed("desk/aspiration.html", form, error)
    return _to_receipt(submission)


@bp.get("/pilih")
def choose_consultation():
    return render_template("desk/choose.html", policies=policies.open_policies(limit=100),
                           surveys=db.session.scalars(surveys.public_query(status="open").limit(100)).all(), **LABELS)


@bp.route("/komentar/<int:policy_id>", methods=["GET", "POST"])
@form_checks_csrf
def new_comment(policy_id):
    policy = policies.visible_policy(None, policy_id)
    form = _resident_choices(DeskCommentForm())
    version = policy.current_version
    form.section.choices = [("", _("The whole consultation"))] + [
        (str(section.id), f"{section.number}. {section.heading}") for section in (version.sections if version else [])]
    if not form.is_submitted():
        return render_template("desk/comment.html", form=form, policy=policy, **LABELS)
    if not form.validate_on_submit():
        return render_template("desk/comment.html", form=form, policy=policy, **LABELS), FORM_INVALID
    try:
        submission = desk.submit_comment(_officer(), form.resident(), policy_id=policy.id, body=form.body.data,
                                         stance=form.stance.data, section_id=form.section.data or None)
    except ValidationFailed as error:
        return _failed("desk/comment.html", form, error, policy=policy)
    return _to_receipt(submission)


@bp.route("/survei/<int:survey_id>", methods=["GET", "POST"])
@form_checks_csrf
def new_survey_response(survey_id):
    survey = desk.public_survey(survey_id)
    form = _resident_choices(ResidentForm())
    context = dict(survey=survey, scale_labels=survey_presenting.scale_labels, answers={}, problems={})
    if not form.is_submitted():
        return render_template("desk/survey.html", form=form, **context, **LABELS)
    context["answers"] = posted_answers(survey, request.form)
    if not form.validate_on_submit():
        return render_template("desk/survey.html", form=form, **context, **LABELS), FORM_INVALID
    try:
        submission = desk.submit_survey_response(_officer(), form.resident(), survey, context["answers"])
    except ValidationFailed as error:
        context["problems"] = error.fields
        return _failed("desk/survey.html", form, error, **context)
    return _to_receipt(submission)


@bp.get("/kegiatan")
def choose_event():
    return render_template("desk/choose_event.html", events=desk.upcoming_events(_officer()),
                           kind_labels=KIND_LABELS, officer=_officer())


@bp.route("/kegiatan/<int:event_id>", methods=["GET", "POST"])
@form_checks_csrf
def new_event_registration(event_id):
    event = desk.open_event(event_id)
    form = _resident_choices(ResidentForm())
    context = dict(event=event, seats_left=event_registrations.seats_left(event), kind_labels=KIND_LABELS)
    if not form.is_submitted():
        return render_template("desk/event.html", form=form, **context, **LABELS)
    if not form.validate_on_submit():
        return render_template("desk/event.html", form=form, **context, **LABELS), FORM_INVALID
    try:
        submission = desk.register_for_event(_officer(), form.resident(), event)
    except (ValidationFailed, Conflict) as error:
        return _failed("desk/event.html", form, error, **context)
    return _to_receipt(submission)


@bp.get("/kiriman/<int:submission_id>/tanda-terima")
def receipt(submission_id):
    submission = desk.get_submission(_officer(), submission_id)
    return render_template("desk/receipt.html", submission=submission, **LABELS)


@bp.route("/kiriman/<int:submission_id>", methods=["GET", "POST"])
@form_checks_csrf
def submission(submission_id):
    shown = desk.get_submission(_officer(), submission_id)
    form = DeskUpdateForm()
    if not form.is_submitted():
        return render_template("desk/submission.html", submission=shown, form=form, **LABELS)
    if not form.validate_on_submit():
        return render_template("desk/submission.html", submission=shown, form=form, **LABELS), FORM_INVALID
    try:
        desk.add_update(_officer(), shown, form.body.data or "", request.files.getlist("photos"))
    except ValidationFailed as error:
        return _failed("desk/submission.html", form, error, submission=shown)
    flash(_("The resident's update was added to the aspiration's timeline."), "success")
    return redirect(url_for("desk.submission", submission_id=shown.id))

