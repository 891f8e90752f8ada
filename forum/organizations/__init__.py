"""Organization pages under /organisasi: the directory, profiles, the request form, the management page of an
organization's admins, invitations, "my organizations" and the verifiers' queue."""
from flask import Blueprint

bp = Blueprint("organizations", __name__)


@bp.app_template_global()
def organization_status_label(status):
    """The word for an organization's status, on any page (the moderation desk names it too)."""
    from forum.services.organization_labels import STATUS_LABELS

    return STATUS_LABELS.get(status, status)


from forum.organizations import manage, review, routes  # noqa: E402,F401  (views register on the blueprint)
