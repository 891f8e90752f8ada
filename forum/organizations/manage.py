"""The management page of an organization's admins (/organisasi/<slug>/kelola): its profile, members and
invitations; and leaving an organization, for any member.

Role changes, removals, withdrawals and leaving are small POST buttons
(CSRF-checked globally); the profile and invitation forms re-render the
page with the typed text kept on errors (422).
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from forum.errors import Conflict, ValidationFailed
from forum.models import MemberRole
from forum.organizations import bp
from forum.organizations.forms import InviteForm, ProfileForm
from forum.organizations.routes import place_choices
from forum.permissions import require
from forum.services import organization_labels as labels
from forum.services import organization_members as members_service
from forum.services import organizations as service
from forum.web import FORM_INVALID, form_checks_csrf, show_service_errors, signed_in_user


def _managed(slug):
    user = signed_in_user()
    organization = service.get_organization(user, slug=slug)
    require(user, "organization.manage", organization)
    return user, organization


def _page(organization, profile_form=None, invite_form=None, status=200):
    if profile_form is None:
        profile_form = ProfileForm(data=dict(kind=organization.kind, district=organization.district.code,
                                             description=organization.description,
                                             website=organization.website or "", contact=organization.contact))
    return render_template(
        "organizations/manage.html", organization=organization, labels=labels,
        profile_form=place_choices(profile_form), invite_form=invite_form or InviteForm(),
        members=members_service.members(organization),
        invitations=members_service.pending_invitations(organization)), status


def _back(organization, anchor):
    return redirect(url_for("organizations.manage", slug=organization.slug, _anchor=anchor))


@bp.route("/<slug>/kelola", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def manage(slug):
    user, organization = _managed(slug)
    if request.method == "GET":
        return _page(organization)
    form = ProfileForm()
    if form.validate_on_submit():
        try:
            service.update_profile(user, organization, kind=form.kind.data, district=form.district.data,
                                   description=form.description.data, website=form.website.data or "",
                                   contact=form.contact.data, logo=request.files.get("logo"),
                                   remove_logo=form.remove_logo.data)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            flash(_("The profile was saved."), "success")
            return _back(organization, "profile")
    return _page(organization, profile_form=form, status=FORM_INVALID)


@bp.post("/<slug>/undang")
@login_required
@form_checks_csrf
def invite(slug):
    user, organization = _managed(slug)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = members_service.invite(user, organization, form.email.data)
        except (ValidationFailed, Conflict) as error:
            show_service_errors(form, error)
        else:
            flash(_("An invitation was sent to %(email)s.", email=invitation.email), "success")
            return _back(organization, "invitations")
    return _page(organization, invite_form=form, status=FORM_INVALID)


@bp.post("/<slug>/undangan/<int:invitation_id>/tarik")
@login_required
def withdraw(slug, invitation_id):
    user, organization = _managed(slug)
    members_service.withdraw(user, organization, invitation_id)
    flash(_("The invitation was withdrawn; its link no longer works."), "success")
    return _back(organization, "invitations")


@bp.post("/<slug>/anggota/<int:user_id>/peran")
@login_required
def set_role(slug, user_id):
    user, organization = _managed(slug)
    role = request.form.get("role", "")
    try:
        members_service.set_role(user, organization, user_id, role)
    except (ValidationFailed, Conflict) as error:
        flash(error.message or _("Choose member or admin."), "error")
    else:
        flash(_("The role was changed to: %(role)s.", role=labels.ROLE_LABELS[role]), "success")
        if organization.role_of(user) != MemberRole.ADMIN:  # the admin handed over and stepped down
            return redirect(url_for("organizations.profile", slug=organization.slug))
    return _back(organization, "members")


@bp.post("/<slug>/anggota/<int:user_id>/hapus")
@login_required
def remove(slug, user_id):
    user, organization = _managed(slug)
    try:
        members_service.remove(user, organization, user_id)
    except Conflict as error:
        flash(error.message, "error")
    else:
        flash(_("The member was removed."), "success")
    return _back(organization, "members")


@bp.post("/<slug>/keluar")
@login_required
def leave(slug):
    user = signed_in_user()
    organization = service.get_organization(user, slug=slug)
    try:
        members_service.leave(user, organization)
    except Conflict as error:
        flash(error.message, "error")
        return redirect(url_for("organizations.profile", slug=organization.slug))
    flash(_("You left %(name)s.", name=organization.name), "success")
    return redirect(url_for("organizations.mine"))

