"""Guides for residents (`/panduan`), the help links forms show, and the "how to take part" box."""
from flask import Blueprint

bp = Blueprint("guides", __name__)

from forum.guides import routes  # noqa: E402,F401
