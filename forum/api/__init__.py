"""The JSON API under /api/v1 (see /work/shared/API.md and `GET /api/v1/openapi.json`).

Authentication is by bearer token only (forum/api/auth.py), never by the
cookie session, so the blueprint is exempt from the CSRF check. Errors are
JSON for every path under /api/ (forum/errorpages.py). Each route module
registers its views on `bp` and describes them with `openapi.operation`.
"""
from flask import Blueprint

from forum.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)

from forum.api import auth, comments, content, me, openapi, policies, reference, search  # noqa: E402,F401  (routes register on bp)
from forum.api import aspirations  # noqa: E402,F401
from forum.api import summaries  # noqa: E402,F401
from forum.api import moderation  # noqa: E402,F401  (flags, review queue, decisions)
from forum.api import surveys  # noqa: E402,F401  (questionnaires, responses, results)
from forum.api import organizations  # noqa: E402,F401  (directory, requests, decisions, members)
from forum.api import desk  # noqa: E402,F401  (assisted intake, receipt tracking)
from forum.api import guides  # noqa: E402,F401  (the published guides)
from forum.api import events  # noqa: E402,F401  (events, registrations, minutes)
