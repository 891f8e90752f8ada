"""The auth blueprint (`/akun`): register, verify e-mail, log in and out, reset a password."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from forum.auth import routes  # noqa: E402,F401  (registers the views on bp)
