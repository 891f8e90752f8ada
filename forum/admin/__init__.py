"""Administration pages: user accounts (role, agency, state)."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from forum.admin import routes  # noqa: E402,F401
