"""Rate limits are shared between workers through Redis when REDIS_URL is set.

Two app instances stand for two gunicorn workers; together they may not
exceed one limit. Runs whenever Redis is configured, and always in CI.
"""
import os
import uuid

import pytest

REDIS_URL = os.environ.get("REDIS_URL") or (
    "redis://127.0.0.1:6379/0" if os.environ.get("CI") == "true" else None
)

pytestmark = pytest.mark.skipif(REDIS_URL is None, reason="REDIS_URL not set; Redis-backed limits not tested")


def _worker(make_app, prefix):
    return make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        RATELIMIT_WRITE="3 per minute",
    ).test_client()


def test_two_workers_share_one_limit(app, make_app):
    prefix = f"test-{uuid.uuid4().hex}"
    first, second = _worker(make_app, prefix), _worker(make_app, prefix)
    form = {"lang": "en", "next": "/"}

    assert first.post("/bahasa", data=form).status_code == 302
    assert second.post("/bahasa", data=form).status_code == 302
    assert first.post("/bahasa", data=form).status_code == 302
    refused = second.post("/bahasa", data=form)

    assert refused.status_code == 429
    assert b"<html" in refused.data

