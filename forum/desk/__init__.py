"""Assisted intake pages: the kelurahan service desk (/layanan, desk officers only), and the public
pages anyone uses with a receipt code (/lacak: follow it, claim it) or to fill in on paper (/formulir)."""
from flask import Blueprint

from forum.web import restrict_blueprint

bp = Blueprint("desk", __name__)
tracking_bp = Blueprint("tracking", __name__)
restrict_blueprint(bp, "desk.work")

from forum.desk import routes, tracking  # noqa: E402,F401  (views register on the blueprints)
