"""Moderation: the screen every submission passes, and the moderators' desk."""
from flask import Blueprint

bp = Blueprint("moderation", __name__)

from moderation import routes  # noqa: E402,F401
