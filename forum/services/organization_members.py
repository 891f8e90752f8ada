"""An organization's members: e-mailed invitations, accepting them, roles, removal and leaving.

The founder is the first admin. Admins invite by e-mail: the mail carries a
signed link (forum/services/signed_tokens.py) naming an
`OrganizationInvitation` row, so a link works once, only until it expires,
only for the account with the invited address, and not after the
invitation was withdrawn. Admins make members admins and back, and remove
members; anyone leaves at will. An organization always keeps an admin: the
last one can neither be removed, step down nor leave without handing over.
Member changes lock the organization's row, so two admins acting at once
cannot both leave.
"""
import logging
import smtplib

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.errors import Conflict, NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.mail import send_mail
from forum.models import MemberRole, OrganizationInvitation, OrganizationMember, OrganizationStatus, User
from forum.permissions import require
from forum.services import transaction
from forum.services.signed_tokens import TokenInvalid, fingerprint, make_token, read_token
from forum.services.users import normalize_email
from forum.text import typed_text
from forum.timeutil import utcnow

logger = logging.getLogger(__name__)
PURPOSE = "organization-invitation"
EMAIL_MAX = 254
#: Statuses in which admins may invite: not once refused or while suspended.
INVITING = (OrganizationStatus.REQUESTED, OrganizationStatus.VERIFIED)


class InvitationUsed(ValidationFailed):
    code = "token_used"


class WrongAccount(ValidationFailed):
    code = "wrong_account"


def _locked(organization):
    """Lock the organization's row and read it afresh (pending changes are flushed first, not lost)."""
    db.session.flush()
    db.session.refresh(organization, with_for_update=True)
    return organization


def _member(organization, user_id):
    member = next((m for m in organization.members if m.user_id == user_id), None)
    if member is None:
        raise NotFound(_l("This person is not a member of the organization."))
    return member


def _keep_an_admin(organization, member):
    if member.role == MemberRole.ADMIN and organization.admin_count <= 1:
        raise Conflict(_l("The organization needs another admin first: make a member admin, then try again."),
                       code="last_admin")


# -- invitations -------------------------------------------------------------------------
def invite(actor, organization, email):
    """An admin invites `email`; the link is mailed once the invitation is stored. Returns the invitation.

    Inviting an address again sends a new link for the same invitation.
    """
    require(actor, "organization.manage", organization)
    email = normalize_email(typed_text(email))
    if "@" not in email or len(email) > EMAIL_MAX or " " in email:
        raise ValidationFailed(fields={"email": _l("Enter a valid e-mail address.")})
    if organization.status not in INVITING:
        raise Conflict(_l("A refused or suspended organization cannot invite members."), code="wrong_state")
    if any(normalize_email(member.user.email) == email for member in organization.members):
        raise ValidationFailed(fields={"email": _l("This person is already a member.")})
    with transaction():
        invitation = db.session.scalar(select(OrganizationInvitation).where(
            OrganizationInvitation.organization_id == organization.id, OrganizationInvitation.email == email,
            OrganizationInvitation.accepted_at.is_(None)))
        if invitation is None:
            invitation = OrganizationInvitation(organization=organization, email=email, invited_by=actor)
            db.session.add(invitation)
        invitation.created_at = utcnow()
        db.session.flush()
    _mail(invitation, actor)
    return invitation


def invitation_link(invitation, external=True):
    token = make_token(PURPOSE, {"inv": invitation.id, "fp": fingerprint(invitation.email)})
    return url_for("organizations.invitation", token=token, _external=external)


def _mail(invitation, actor):
    organization = invitation.organization
    body = render_template("mail/organization_invitation.txt", organization=organization, inviter=actor,
                           link=invitation_link(invitation),
                           days=current_app.config["TOKEN_MAX_AGE_INVITATION"].days)
    try:
        send_mail(invitation.email, _("Invitation to join %(name)s on Musyawarah", name=organization.name), body)
    except (OSError, smtplib.SMTPException):
        logger.exception("could not mail invitation %s", invitation.id)


def pending_invitations(organization):
    return [invitation for invitation in organization.invitations if invitation.accepted_at is None]


def withdraw(actor, organization, invitation_id):
    """An admin withdraws a pending invitation; its link stops working."""
    require(actor, "organization.manage", organization)
    invitation = next((i for i in pending_invitations(organization) if i.id == invitation_id), None)
    if invitation is None:
        raise NotFound()
    with transaction():
        db.session.delete(invitation)


def read_invitation(token):
    """The pending invitation a link names; TokenExpired, TokenInvalid or InvitationUsed otherwise."""
    payload = read_token(PURPOSE, token, current_app.config["TOKEN_MAX_AGE_INVITATION"])
    invitation_id = payload.get("inv") if isinstance(payload, dict) else None
    if not isinstance(invitation_id, int) or isinstance(invitation_id, bool) or not 0 < invitation_id <= MAX_ID:
        raise TokenInvalid()
    invitation = db.session.get(OrganizationInvitation, invitation_id)
    if invitation is None or payload.get("fp") != fingerprint(invitation.email):
        raise TokenInvalid()
    if invitation.accepted_at is not None:
        raise InvitationUsed()
    return invitation


def accept(user, token):
    """`user` accepts the invitation of `token` and becomes a member; returns the organization."""
    invitation = read_invitation(token)
    if normalize_email(user.email) != invitation.email:
        raise WrongAccount(_l("This invitation was sent to another e-mail address. Log in with the account of "
                              "that address to accept it."))
    organization = invitation.organization
    if organization.status not in INVITING:
        raise Conflict(_l("This organization cannot take new members now."), code="wrong_state")
    with transaction():
        _locked(organization)
        db.session.refresh(invitation, with_for_update=True)
        if invitation.accepted_at is not None:
            raise InvitationUsed()
        invitation.accepted_at = utcnow()
        invitation.accepted_by_id = user.id
        if organization.role_of(user) is None:
            organization.members.append(OrganizationMember(user=user, role=MemberRole.MEMBER))
    return organization


# -- roles, removal, leaving -------------------------------------------------------------
def set_role(actor, organization, user_id, role):
    """An admin makes a member admin, or an admin a member (not the last admin). Returns the member."""
    require(actor, "organization.manage", organization)
    if role not in MemberRole.ALL:
        raise ValidationFailed(fields={"role": _l("Choose member or admin.")})
    with transaction():
        _locked(organization)
        member = _member(organization, user_id)
        if role == MemberRole.MEMBER:
            _keep_an_admin(organization, member)
        member.role = role
    return member


def remove(actor, organization, user_id):
    """An admin removes a member (not the last admin)."""
    require(actor, "organization.manage", organization)
    with transaction():
        _locked(organization)
        member = _member(organization, user_id)
        _keep_an_admin(organization, member)
        organization.members.remove(member)


def leave(user, organization):
    """`user` leaves the organization (the last admin hands over first)."""
    with transaction():
        _locked(organization)
        member = _member(organization, getattr(user, "id", None))
        _keep_an_admin(organization, member)
        organization.members.remove(member)


def members_query(organization):
    """The members with their accounts, admins first, then by name."""
    return (select(OrganizationMember).join(OrganizationMember.user)
            .where(OrganizationMember.organization_id == organization.id)
            .order_by(OrganizationMember.role, func.lower(User.display_name)))


def members(organization):
    return db.session.scalars(members_query(organization)).all()
