"""Residents' consultation pages under /konsultasi: the list, a policy with its comments, versions, diff."""
from flask import Blueprint

bp = Blueprint("consultations", __name__)

from forum.consultations import routes  # noqa: F401
