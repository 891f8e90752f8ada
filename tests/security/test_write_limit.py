"""One write limit for the whole app: every POST, PUT, PATCH and DELETE of a writer counts against RATELIMIT_WRITE.

A writer is the signed-in account, or the address of someone signed out.
Reads are never counted. Only the refusal (429) says `Retry-After`. Each app
gets its own key prefix, so the counts of one test never reach another.
"""
import uuid

import pytest

from forum.models import Role


@pytest.fixture
def limited(app, make_app):
    """A client of an app that allows 3 writes a minute per writer."""
    built = make_app(RATELIMIT_ENABLED=True, RATELIMIT_WRITE="3 per minute",
                   RATELIMIT_KEY_PREFIX=f"writes-{uuid.uuid4().hex}")
    return built.test_client()


def test_writes_to_different_pages_share_one_limit_reads_do_not_count(limited, login, make_user):
    login(make_user(), on=limited)
    assert limited.post("/bahasa", data={"lang": "en", "next": "/"}).status_code == 302
    assert limited.post("/notifikasi/tandai-dibaca").status_code == 302
    assert limited.post("/bahasa", data={"lang": "id", "next": "/"}).status_code == 302
    for _ in range(5):
        assert limited.get("/notifikasi/").status_code == 200
    refused = limited.post("/notifikasi/tandai-dibaca")
    assert refused.status_code == 429
    assert b"<html" in refused.data


def test_each_account_has_its_own_limit_behind_one_address(limited, login, make_user):
    first, second = make_user(), make_user(Role.RESIDENT)
    login(first, on=limited)
    for _ in range(3):
        assert limited.post("/notifikasi/tandai-dibaca").status_code == 302
    assert limited.post("/notifikasi/tandai-dibaca").status_code == 429
    login(second, on=limited)
    assert limited.post("/notifikasi/tandai-dibaca").status_code == 302


def test_api_writes_count_too_and_are_refused_as_json(limited):
    for _ in range(3):
        assert limited.post("/api/v1/aspirations", json={}).status_code == 401
    refused = limited.post("/api/v1/aspirations", json={})
    assert refused.status_code == 429
    assert refused.mimetype == "application/json" and refused.get_json()["error"]["code"] == "rate_limited"


def test_refusal_alone_says_retry_after(limited, login, make_user):
    login(make_user(), on=limited)
    for _ in range(3):
        answer = limited.post("/notifikasi/tandai-dibaca")
        assert answer.status_code == 302 and "Retry-After" not in answer.headers
    assert "Retry-After" not in limited.get("/notifikasi/").headers
    refused = limited.post("/notifikasi/tandai-dibaca")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
