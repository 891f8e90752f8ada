"""Words for organization kinds, statuses, roles and decisions, shared by pages, mails and notifications."""
from flask_babel import lazy_gettext as _l

from forum.models import MemberRole, OrganizationKind, OrganizationStatus

KIND_LABELS = {
    OrganizationKind.COMMUNITY: _l("Community"),
    OrganizationKind.NGO: _l("NGO (LSM)"),
    OrganizationKind.NEIGHBOURHOOD: _l("RT/RW association"),
    OrganizationKind.BUSINESS: _l("Business association"),
    OrganizationKind.CAMPUS: _l("Campus group"),
    OrganizationKind.OTHER: _l("Other"),
}
STATUS_LABELS = {
    OrganizationStatus.REQUESTED: _l("Waiting for verification"),
    OrganizationStatus.VERIFIED: _l("Verified"),
    OrganizationStatus.REFUSED: _l("Refused"),
    OrganizationStatus.SUSPENDED: _l("Suspended"),
}
ROLE_LABELS = {
    MemberRole.ADMIN: _l("Organization admin"),
    MemberRole.MEMBER: _l("Member"),
}
ACTION_LABELS = {
    "verify": _l("Verify"),
    "refuse": _l("Refuse"),
    "suspend": _l("Suspend"),
    "reinstate": _l("Reinstate"),
}
