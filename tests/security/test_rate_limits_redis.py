"""Rate limits are shared between workers through Redis when REDIS_URL is set.

Two app instances stand for two gunicorn workers; together they may not
exceed one limit. Runs whenever Redis is configured, and always in CI.
"""
import os
import uuid

import pytest

from forum.models import Role
from forum.services import tokens

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


def _bearer(user):
    _row, raw = tokens.create_token(user, user, "test")
    return {"Authorization": f"Bearer {raw}"}


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



def test_api_writes_count_per_tokens_account_across_workers(app, make_app, make_user):
    """Only the refusal says Retry-After, read from the window Redis keeps."""
    prefix = f"test-{uuid.uuid4().hex}"
    first, second = _worker(make_app, prefix), _worker(make_app, prefix)
    integration, app_user = (_bearer(make_user(role)) for role in (Role.OFFICIAL, Role.RESIDENT))

    for worker in (first, second, first):
        answer = worker.post("/api/v1/aspirations", json={}, headers=integration)
        assert answer.status_code == 403 and "Retry-After" not in answer.headers
    refused = second.post("/api/v1/aspirations", json={}, headers=integration)

    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert first.post("/api/v1/aspirations", json={}, headers=app_user).status_code == 422
