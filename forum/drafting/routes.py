"""Officials' consultation pages: list, editor, preview, publish, close, versions, outcome, files.

Every page under /dinas needs the `policy.manage` permission (agency
officials and admins); a policy is loaded through `visible_policy`, so another
agency's draft is a 404, and each change checks `policy.draft` in its service.
"""
from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.drafting import bp, files_bp
from forum.drafting.forms import (
    AttachmentForm,
    OutcomeForm,
    PolicyForm,
    VersionForm,
    apply_errors,
    apply_section_action,
    policy_form_data,
    sections_form_data,
)
from forum.errors import Conflict, ValidationFailed
from forum.extensions import db
from forum.forms import list_editor_form
from forum.models import PolicyPhase
from forum.permissions import can, require
from forum.services import attachments as attachment_service
from forum.services import policies
from forum.web import form_checks_csrf, restrict_blueprint


restrict_blueprint(bp, "policy.manage")


def _policy(policy_id, permission="policy.draft"):
    policy = policies.visible_policy(current_user, policy_id)
    require(current_user, permission, policy)
    return policy


def _editor(form_class, **defaults):
    """(form, editing): rebuilt after a clause button, else as posted (or from `defaults` on GET)."""
    return list_editor_form(form_class, apply_section_action, "sections_problem", defaults)


def _save(form, action):
    """Run the service `action` with the form; on ValidationFailed put errors back. True on success."""
    try:
        action()
    except ValidationFailed as error:
        db.session.rollback()
        leftover = apply_errors(form, error.fields)
        if "sections" in leftover or error.message:
            form.sections_problem = leftover.get("sections") or error.message
        return False
    return True


def _render(template, form, **context):
    status = 422 if form.is_submitted() and not context.pop("editing", False) else 200
    return render_template(template, form=form, **context), status


@bp.get("/konsultasi")
@login_required
def index():
    return render_template(
        "drafting/index.html", policies=policies.agency_policies(current_user),
        can_create=can(current_user, "policy.create"),
    )


@bp.route("/konsultasi/baru", methods=["GET", "POST"])
@form_checks_csrf
@login_required
def create():
    require(current_user, "policy.create")
    form, editing = _editor(PolicyForm)
    created = []
    if not editing and form.validate_on_submit() and _save(
        form, lambda: created.append(policies.create_policy(current_user, **form.policy_fields()))
    ):
        flash(_("The draft was saved. Only your agency can see it until you publish it."), "success")
        return redirect(url_for("drafting.preview", policy_id=created[0].id))
    return _render("drafting/edit.html", form, policy=None, editing=editing)


@bp.route("/konsultasi/<int:policy_id>/ubah", methods=["GET", "POST"])
@form_checks_csrf
@login_required
def edit(policy_id):
    policy = _policy(policy_id)
    if policy.phase != PolicyPhase.DRAFT:
        flash(_("This consultation is published: changes go into a new version."), "warning")
        return redirect(url_for("drafting.new_version", policy_id=policy.id))
    form, editing = _editor(PolicyForm, **policy_form_data(policy))
    if not editing and form.validate_on_submit() and _save(
        form, lambda: policies.update_draft(current_user, policy, **form.policy_fields())
    ):
        flash(_("The draft was saved."), "success")
        return redirect(url_for("drafting.preview", policy_id=policy.id))
    return _render("drafting/edit.html", form, policy=policy, editing=editing)


@bp.get("/konsultasi/<int:policy_id>/pratinjau")
@login_required
def preview(policy_id):
    policy = _policy(policy_id)
    versions = policy.versions
    return render_template(
        "drafting/preview.html", policy=policy,
        attachments=attachment_service.current_attachments(policy),
        diff=policies.section_diff(versions[-2], versions[-1]) if len(versions) > 1 else [],
    )


@bp.post("/konsultasi/<int:policy_id>/terbitkan")
@login_required
def publish(policy_id):
    policy = _policy(policy_id)
    try:
        policies.publish_policy(current_user, policy)
    except ValidationFailed as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("drafting.edit", policy_id=policy.id))
    if policy.is_upcoming():
        flash(_("The consultation is announced. It accepts comments from its opening time."), "success")
    else:
        flash(_("The consultation is open for comments."), "success")
    return redirect(url_for("drafting.preview", policy_id=policy.id))


@bp.post("/konsultasi/<int:policy_id>/tutup")
@login_required
def close(policy_id):
    policy = _policy(policy_id)
    policies.close_policy(current_user, policy)
    flash(_("The consultation is closed. You can now publish its outcome."), "success")
    return redirect(url_for("drafting.preview", policy_id=policy.id))


@bp.route("/konsultasi/<int:policy_id>/versi-baru", methods=["GET", "POST"])
@form_checks_csrf
@login_required
def new_version(policy_id):
    policy = _policy(policy_id)
    if policy.phase == PolicyPhase.DRAFT:
        return redirect(url_for("drafting.edit", policy_id=policy.id))
    if policy.phase == PolicyPhase.FINAL:
        raise Conflict(_("The outcome is published: this consultation takes no new versions."))
    form, editing = _editor(VersionForm, sections=sections_form_data(policy.current_version))
    if not editing and form.validate_on_submit() and _save(
        form, lambda: policies.publish_new_version(
            current_user, policy, sections=form.section_data(), change_note=form.change_note.data,
        )
    ):
        flash(_("The new version was published. Earlier versions stay readable."), "success")
        return redirect(url_for("drafting.preview", policy_id=policy.id))
    return _render("drafting/new_version.html", form, policy=policy, editing=editing)


@bp.route("/konsultasi/<int:policy_id>/hasil", methods=["GET", "POST"])
@form_checks_csrf
@login_required
def outcome(policy_id):
    policy = _policy(policy_id)
    if policy.phase != PolicyPhase.CLOSED:
        raise Conflict(_("The outcome can be published once the consultation is closed."))
    form = OutcomeForm()
    sections = list(policy.current_version.sections)
    notes = {section.id: request.form.get(f"clause_note-{section.id}", "") for section in sections}
    note_errors = {}
    if form.validate_on_submit():
        try:
            policies.publish_outcome(current_user, policy, outcome=form.outcome.data, clause_notes=notes)
        except ValidationFailed as error:
            db.session.rollback()
            note_errors = apply_outcome_errors(form, error.fields)
        else:
            flash(_("The outcome was published. Followers are told."), "success")
            return redirect(url_for("drafting.preview", policy_id=policy.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "drafting/outcome.html", form=form, policy=policy, sections=sections,
        notes=notes, note_errors=note_errors,
    ), status


def apply_outcome_errors(form, fields):
    if "outcome" in fields:
        form.outcome.errors = list(form.outcome.errors) + [fields["outcome"]]
    return {name: message for name, message in fields.items() if name != "outcome"}


@bp.route("/konsultasi/<int:policy_id>/lampiran", methods=["GET", "POST"])
@form_checks_csrf
@login_required
def attachments(policy_id):
    policy = _policy(policy_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        try:
            attachment_service.add_attachment(current_user, policy, form.file.data)
        except ValidationFailed as error:
            db.session.rollback()
            form.file.errors = list(form.file.errors) + [error.fields.get("file", error.message)]
        else:
            flash(_("The file was attached."), "success")
            return redirect(url_for("drafting.attachments", policy_id=policy.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "drafting/attachments.html", form=form, policy=policy,
        attachments=attachment_service.current_attachments(policy),
    ), status


@bp.post("/lampiran/<int:attachment_id>/hapus")
@login_required
def remove_attachment(attachment_id):
    policy = attachment_service.remove_attachment(current_user, attachment_id)
    flash(_("The file was removed."), "success")
    return redirect(url_for("drafting.attachments", policy_id=policy.id))


@files_bp.get("/lampiran/<int:attachment_id>")
def download(attachment_id):
    attachment, path = attachment_service.attachment_for_download(current_user, attachment_id)
    response = send_file(
        path, mimetype="application/pdf", as_attachment=True, download_name=attachment.original_name,
        max_age=0,
    )
    # A draft's file must never stay in a shared cache.
    response.cache_control.private = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

