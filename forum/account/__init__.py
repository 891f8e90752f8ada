"""The signed-in person's own account: profile, password, e-mail, tokens, data, deletion."""
from flask import Blueprint

bp = Blueprint("account", __name__)

from forum.account import routes  # noqa: E402,F401
