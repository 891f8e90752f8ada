"""Writing as an organization: who may speak for which organization, and when.

A member of a verified organization may post a comment, reply, aspiration,
survey answer or support "as the organization" (issue 15). `voice_for()` is
the one check every write path calls with the organization id it was given:
not a member is a 403; an organization that is not verified (still requested,
refused, or suspended by moderators or admins) is a 409, so a suspension stops
every member at once. The organization becomes the public author, the account
that wrote stays recorded (seen by moderators and the organization's admins).
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.errors import Conflict, Forbidden, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.models import MemberRole, Organization, OrganizationMember, OrganizationStatus

FIELD = "as_organization"


def _organization_id(value):
    """The id as an int (a form sends text), or a 422 naming the field."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise ValidationFailed(fields={FIELD: _l("Choose yourself or one of your organizations.")})
    return value


def membership(user, organization_id):
    """The user's OrganizationMember row in that organization, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(OrganizationMember).where(
        OrganizationMember.organization_id == organization_id, OrganizationMember.user_id == user.id))


def voice_for(actor, organization_id):
    """The Organization `actor` writes as, or None for themselves (no id given).

    Raises Forbidden when the actor is not a member, Conflict when the
    organization may not post (not verified, or suspended).
    """
    if organization_id in (None, ""):
        return None
    organization_id = _organization_id(organization_id)
    organization = db.session.get(Organization, organization_id)
    if organization is None or membership(actor, organization_id) is None:
        raise Forbidden(_l("You can only write as an organization you are a member of."),
                        code="not_a_member")
    if organization.status == OrganizationStatus.SUSPENDED:
        raise Conflict(_l("This organization is suspended: nobody can post as it for now."),
                       code="organization_suspended")
    if organization.status != OrganizationStatus.VERIFIED:
        raise Conflict(_l("Only a verified organization can post."), code="organization_not_verified")
    return organization


def organizations_for(user):
    """The verified organizations `user` may write as, by name (for the "as ..." choice)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return db.session.scalars(
        select(Organization).join(OrganizationMember, OrganizationMember.organization_id == Organization.id)
        .where(OrganizationMember.user_id == user.id, Organization.status == OrganizationStatus.VERIFIED)
        .order_by(Organization.name, Organization.id)
    ).all()


def is_organization_admin(user, organization_id):
    """Whether `user` is an admin of the organization (they see which member wrote its posts)."""
    member = membership(user, organization_id) if organization_id is not None else None
    return member is not None and member.role == MemberRole.ADMIN


def writer_visible_to(viewer, content):
    """The account that wrote an organization's `content`, for moderators and that organization's admins.

    None for everyone else, and for content written as oneself.
    """
    if content.organization_id is None or content.author is None:
        return None
    if viewer is not None and getattr(viewer, "is_authenticated", False) and (
            viewer.is_moderator or is_organization_admin(viewer, content.organization_id)):
        return content.author
    return None
