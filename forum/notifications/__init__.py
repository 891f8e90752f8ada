"""The signed-in person's notifications, follow buttons and e-mail opt-in (/notifikasi)."""
from flask import Blueprint

bp = Blueprint("notifications", __name__)

from forum.notifications import routes  # noqa: E402,F401
