"""Event fixtures: `make_event` schedules an event through the service, in the future or the past."""
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import Event
from forum.services import events
from forum.timeutil import utcnow


@pytest.fixture
def make_event(official):
    """An event of `official`'s agency starting `starts_in` from now (negative: it took place)."""

    def build(starts_in=timedelta(days=3), hours=2, capacity=30, actor=None, **fields):
        starts = utcnow() + starts_in
        values = dict(title="Sosialisasi layanan digital", kind="sosialisasi", address="Aula Kelurahan",
                      kelurahan="pondok-aren.pondok-betung", capacity=capacity, starts_at=starts,
                      ends_at=starts + timedelta(hours=hours))
        values.update(fields)
        return events.create_event(actor or official, **values)

    return build


@pytest.fixture
def reread():
    def read(event):
        db.session.expire_all()
        return db.session.get(Event, event.id)

    return read
