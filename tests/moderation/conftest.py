"""Fixtures for the screen's tests: watched words in the database, contexts, authors."""
from contextlib import contextmanager
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import Role
from forum.timeutil import utcnow
from moderation.models import ModerationSetting, WatchedWord
from moderation.screen import ScreenContext, invalidate_cache


@pytest.fixture
def watch(app):
    """Put watched words straight into the table and bump the version, as an admin's edit does."""

    def add(*entries):
        for entry in entries:
            pattern, action, *rest = entry
            db.session.add(WatchedWord(pattern=pattern, action=action, is_regex=bool(rest and rest[0])))
        ModerationSetting.bump_watched_words_version()
        db.session.commit()
        invalidate_cache()

    return add


@pytest.fixture
def worker(make_app, app):
    """Run code in another worker's app (its own config and screen cache).

    The test's own session is closed first, so its connection holds no lock
    that queries in the other app (or a TRUNCATE elsewhere) would wait on:
    read ids before entering.
    """

    @contextmanager
    def enter(**overrides):
        other = make_app(**overrides)
        db.session.close()
        with other.app_context():
            yield other

    return enter


@pytest.fixture
def comment():
    return ScreenContext("comment")


@pytest.fixture
def veteran(make_user):
    """A resident whose account is a month old: no new-account rules apply."""
    return make_user(Role.RESIDENT, created_at=utcnow() - timedelta(days=30))
