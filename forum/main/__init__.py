"""Public pages: home, about / how to take part, language switch."""
from flask import Blueprint

bp = Blueprint("main", __name__)

from forum.main import routes  # noqa: E402,F401
