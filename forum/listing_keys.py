"""Visitors' keys for kept pages that list consultations: the consultation list and the home page.

Such a page depends on list revisions (forum/models/activity.py), on which
consultations are due to close, and on the clock (days left, openings). The
state is read in one query built once per page (`list_state`), before the
rows; reading it also closes due consultations, so a closing shows at once
while days left and openings may show up to `LIST_CLOCK_SECONDS` late.
"""
from sqlalchemy import select

from forum import activity
from forum.extensions import db
from forum.page_cache import visitor_key
from forum.services import policies

LIST_CLOCK_SECONDS = 60


def list_state(*lists):
    """The query to build once per page: whether a phase is due, and the revisions of `lists`."""
    return select(policies.DUE, *activity.revisions(*lists))


def listing_key(state, now):
    """A visitor's key (None for anyone else): `state`, read before the rows, and the minute of `now`."""
    row = db.session.execute(state, policies.due_parameters()).one()
    if row[0]:
        policies.refresh_phases()
        row = db.session.execute(state, policies.due_parameters()).one()
    return visitor_key(*row[1:], int(now.timestamp() // LIST_CLOCK_SECONDS))
