"""Moderators suspend an organization whose posts break the rules (issue 15).

A suspension stops every member from posting as the organization at once
(forum/services/organization_voice.py refuses a suspended organization with
a 409); its earlier posts stay and are moderated one by one like any other.
The decision carries a reason, is kept in the audit log, and is lifted by an
admin or verifier reinstating the organization (its lifecycle, forum/services/organizations.py).
"""
from flask_babel import lazy_gettext as _l

from forum.errors import Conflict, ValidationFailed
from forum.forms import clean_text
from forum.models import OrganizationStatus
from forum.permissions import may_write, require, rule
from forum.services import transaction
from forum.timeutil import utcnow
from moderation import audit

REASON_MAX = 1000


@rule("moderation.suspend_organization")
def _suspend_organization(user, organization):
    """Moderators (and admins, who are moderators too) in good standing."""
    return may_write(user) and user.is_moderator


@transaction()
def suspend_organization(actor, organization, reason):
    """Suspend a verified organization with a reason; audited. Returns the organization."""
    require(actor, "moderation.suspend_organization", organization)
    reason = clean_text(reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": _l("Give a reason: the organization's admins read it.")})
    if len(reason) > REASON_MAX:
        raise ValidationFailed(fields={"reason": _l("Use at most %(max)d characters.", max=REASON_MAX)})
    if organization.status != OrganizationStatus.VERIFIED:
        raise Conflict(_l("Only a verified organization can be suspended."), code="wrong_state")
    before = organization.status
    organization.status, organization.status_reason = OrganizationStatus.SUSPENDED, reason
    organization.decided_by_id, organization.decided_at = actor.id, utcnow()
    audit.record("organization.suspend", actor=actor, reason=reason, before=before,
                 after=OrganizationStatus.SUSPENDED,
                 details={"organization": organization.id, "name": organization.name})
    return organization
