"""Administration pages: user accounts (role, agency, state) and the guides (forum/admin/guides.py)."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from forum.admin import guides, routes  # noqa: E402,F401
