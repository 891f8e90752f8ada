"""Surveys on the site: residents' pages under /survei, the officials' builder under /dinas/survei.

`bp` (surveys) lists surveys, shows one, takes answers page by page and
shows results; `builder_bp` (survey_builder) is the agency's list, the
no-JavaScript builder, publish, close, new version and the exports.
"""
from flask import Blueprint

bp = Blueprint("surveys", __name__)
builder_bp = Blueprint("survey_builder", __name__)

from forum.surveys import builder, routes  # noqa: E402,F401  (routes register on the blueprints)
