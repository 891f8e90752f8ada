"""The verifiers' pages (admins and holders of the verifier grant): the queue of organizations, requests
first; one organization's review page with its private contact and document, and the decision form; and,
for admins, who the verifiers are."""
from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, select

from forum.errors import Conflict, ValidationFailed
from forum.extensions import db
from forum.models import OrganizationStatus, User
from forum.organizations import bp
from forum.organizations.forms import DecisionForm, VerifierForm
from forum.permissions import require
from forum.services import organization_labels as labels
from forum.services import organizations as service
from forum.services.users import normalize_email
from forum.web import FORM_INVALID, form_checks_csrf, id_arg, show_service_errors, signed_in_user

PAGE_SIZE = 30


@bp.get("/verifikasi")
@login_required
def queue():
    user = signed_in_user()
    status = request.args.get("status") if request.args.get("status") in OrganizationStatus.ALL else None
    page = db.paginate(service.queue_query(user, status), page=id_arg("page") or 1, per_page=PAGE_SIZE,
                       error_out=False)
    return render_template("organizations/queue.html", page=page, status=status, labels=labels,
                           statuses=OrganizationStatus.ALL)


def _reviewed(organization_id):
    user = signed_in_user()
    require(user, "organization.review")
    return user, service.get_organization(user, organization_id=organization_id)


@bp.route("/verifikasi/<int:organization_id>", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def review(organization_id):
    user, organization = _reviewed(organization_id)
    form = DecisionForm()
    if not form.is_submitted():
        return render_template("organizations/review.html", organization=organization, form=form, labels=labels)
    if form.validate_on_submit():
        try:
            service.decide(user, organization, form.action.data, form.reason.data or "")
        except (ValidationFailed, Conflict) as error:
            show_service_errors(form, error)
        else:
            flash(_("Decision saved: %(action)s.", action=labels.ACTION_LABELS[form.action.data]), "success")
            return redirect(url_for("organizations.queue"))
    return render_template("organizations/review.html", organization=organization, form=form,
                           labels=labels), FORM_INVALID


@bp.get("/verifikasi/<int:organization_id>/dokumen")
@login_required
def document(organization_id):
    user, organization = _reviewed(organization_id)
    path, mimetype, name = service.document_file(user, organization)
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/verifikator", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def verifiers():
    user = signed_in_user()
    require(user, "organization.grant_verifier")
    form = VerifierForm()
    if form.is_submitted() and form.validate_on_submit():
        target = db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(form.email.data),
                                                      User.deleted_at.is_(None)))
        if target is None:
            form.email.errors = [_("No account has this e-mail address.")]
        else:
            service.grant_verifier(user, target, request.form.get("allowed") != "0")
            flash(_("Saved."), "success")
            return redirect(url_for("organizations.verifiers"))
    status = FORM_INVALID if form.is_submitted() else 200
    return render_template("organizations/verifiers.html", form=form, verifiers=service.verifiers()), status
