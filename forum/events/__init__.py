"""Events on the site under /kegiatan: the list, an event with registration, calendars, and the officials' pages.

`routes.py` holds what everyone sees and residents do (register, cancel,
.ics); `manage.py` the officials' pages (schedule, change, cancel, the
registrations, minutes, attendance and the points raised at the meeting).
"""
from flask import Blueprint

bp = Blueprint("events", __name__)

from forum.events import manage, routes  # noqa: E402,F401  (routes register on the blueprint)
