"""Aspiration pages: the public list, form, page and figures (/aspirasi), the agency desk
(/dinas/aspirasi) and the moderators' verification queue (/moderasi/aspirasi)."""
from flask import Blueprint

bp = Blueprint("aspirations", __name__)
desk_bp = Blueprint("aspiration_desk", __name__)
screening_bp = Blueprint("aspiration_screening", __name__)

from forum.aspirations import desk, routes  # noqa: E402,F401  (views register on the blueprints)
