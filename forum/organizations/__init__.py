"""Organization pages under /organisasi: the directory, profiles, the request form, the management page of an
organization's admins, invitations, "my organizations" and the verifiers' queue."""
from flask import Blueprint

bp = Blueprint("organizations", __name__)

from forum.organizations import manage, review, routes  # noqa: E402,F401  (views register on the blueprint)
