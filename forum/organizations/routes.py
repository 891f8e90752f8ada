"""Public organization pages: the directory, a profile and its logo, the request form, "my organizations"
and the invitation link.

Every write calls one service, then flashes and redirects; a form with errors
re-renders its page with the typed text kept (422). The profile of an
organization that is not verified is a 404 except to its members, admins and
verifiers, who see its status.
"""
from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields import SelectChoice

from forum.errors import Conflict, Forbidden, ValidationFailed
from forum.extensions import db
from forum.models import District
from forum.organizations import bp
from forum.organizations.forms import RequestForm
from forum.permissions import can
from forum.services import organization_labels as labels
from forum.services import organization_members as members_service
from forum.services import organizations as service
from forum.services.content import content_url
from forum.services.organization_activity import organization_activity
from forum.services.signed_tokens import TokenExpired, TokenInvalid
from forum.web import FORM_INVALID, form_checks_csrf, id_arg, show_service_errors, signed_in_user

PAGE_SIZE = 20


def kecamatan_list():
    return db.session.scalars(select(District).where(District.parent_id.is_(None))
                              .options(selectinload(District.children)).order_by(District.name)).all()


def place_choices(form):
    """Kecamatan (the whole one) and their kelurahan as the place choices of a profile form."""
    choices = [SelectChoice("", _("Choose a kecamatan or kelurahan"))]
    for kecamatan in kecamatan_list():
        choices.append(SelectChoice(kecamatan.code, _("Kecamatan %(name)s (all)", name=kecamatan.name)))
        choices += [SelectChoice(kelurahan.code, f"{kelurahan.name} ({kecamatan.name})")
                    for kelurahan in kecamatan.children]
    form.district.choices = choices
    return form


@bp.get("/")
def index():
    kind, kecamatan = service.read_filters(request.args)
    page = db.paginate(service.directory_query(kind, kecamatan), page=id_arg("page") or 1, per_page=PAGE_SIZE,
                       error_out=False)
    return render_template("organizations/index.html", page=page, kind=kind, kecamatan=kecamatan,
                           kecamatan_list=kecamatan_list(), labels=labels)


@bp.route("/baru", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def new():
    if not current_user.is_resident:
        raise Forbidden(_("Organizations are requested by residents."))
    form = place_choices(RequestForm())
    if not form.is_submitted():
        return render_template("organizations/new.html", form=form)
    if form.validate_on_submit():
        try:
            organization = service.request_organization(
                signed_in_user(), name=form.name.data, kind=form.kind.data, district=form.district.data,
                description=form.description.data, website=form.website.data or "", contact=form.contact.data,
                document=request.files.get("document"), logo=request.files.get("logo"))
        except (ValidationFailed, Conflict) as error:
            show_service_errors(form, error)
        else:
            flash(_("Your request was sent. A verifier will check it; you will be notified of the decision."),
                  "success")
            return redirect(url_for("organizations.profile", slug=organization.slug))
    return render_template("organizations/new.html", form=form), FORM_INVALID


@bp.get("/saya")
@login_required
def mine():
    return render_template("organizations/mine.html", memberships=service.memberships(current_user), labels=labels)


@bp.get("/<slug>")
def profile(slug):
    viewer = signed_in_user()
    organization = service.get_organization(viewer, slug=slug)
    activity = organization_activity(organization, id_arg("page") or 1, viewer=viewer) \
        if organization.is_verified else None
    return render_template("organizations/profile.html", organization=organization, labels=labels,
                           activity=activity, content_url=content_url,
                           role=organization.role_of(viewer), member_count=service.member_count(organization),
                           may_manage=can(viewer, "organization.manage", organization),
                           may_review=can(viewer, "organization.review", organization))


@bp.get("/<slug>/logo")
def logo(slug):
    organization = service.get_organization(signed_in_user(), slug=slug)
    path, mimetype = service.logo_file(organization)
    response = send_file(path, mimetype=mimetype, max_age=3600)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


# -- invitations -----------------------------------------------------------------------
def _invitation_problem(error):
    """The clear page for a link that cannot be used (expired, used, broken, another account's)."""
    messages = {
        TokenExpired.code: _("This invitation link has expired. Ask the organization's admin to invite you again."),
        members_service.InvitationUsed.code: _("This invitation link has already been used."),
        TokenInvalid.code: _("This invitation link is not valid: it may be incomplete, or the invitation was "
                             "withdrawn."),
    }
    message = messages.get(error.code) or error.message
    return render_template("organizations/invitation_problem.html", message=message), 400


@bp.route("/undangan/<token>", methods=["GET", "POST"])
def invitation(token):
    try:
        invited = members_service.read_invitation(token)
    except ValidationFailed as error:
        return _invitation_problem(error)
    if not current_user.is_authenticated:
        return render_template("organizations/invitation.html", invitation=invited, labels=labels)
    if request.method == "POST":
        try:
            organization = members_service.accept(signed_in_user(), token)
        except ValidationFailed as error:
            return _invitation_problem(error)
        flash(_("You are now a member of %(name)s.", name=organization.name), "success")
        return redirect(url_for("organizations.profile", slug=organization.slug))
    return render_template("organizations/invitation.html", invitation=invited, labels=labels)
