"""Aspiration labels: states, types, visibility and timeline roles, in the reader's language.

Templates receive this module as `labels` (`labels.state_label(state)`,
`labels.TYPE_LABELS[...]`); exports and filters use the same words.
"""
from flask_babel import lazy_gettext as _l

from forum.models import AspirationState as S
from forum.models import AspirationType, Visibility
from forum.services.users import ROLE_LABELS

STATE_LABELS = {
    S.SUBMITTED: _l("Submitted"),
    S.VERIFIED: _l("Verified"),
    S.DECLINED: _l("Declined"),
    S.FORWARDED: _l("Forwarded"),
    S.IN_PROGRESS: _l("In progress"),
    S.ANSWERED: _l("Answer given"),
    S.CLOSED: _l("Closed"),
    S.REOPENED: _l("Reopened"),
}
TYPE_LABELS = {
    AspirationType.ASPIRATION: _l("Aspiration"),
    AspirationType.COMPLAINT: _l("Complaint"),
    AspirationType.PROPOSAL: _l("Proposal"),
    AspirationType.INFORMATION: _l("Request for information"),
}
VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Public"),
    Visibility.ANONYMOUS: _l("Anonymous"),
    Visibility.CONFIDENTIAL: _l("Confidential"),
}
ACTOR_LABELS = {**ROLE_LABELS, "system": _l("Automatically")}  # a timeline step's actor_role


def state_label(state):
    return STATE_LABELS.get(state, state)
