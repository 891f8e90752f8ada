"""One write limit for the whole app: every POST, PUT, PATCH and DELETE of a writer counts against RATELIMIT_WRITE.

A writer is the signed-in account (in the API, the bearer token's account),
or the address of someone signed out or sending a refused token. Reads are
never counted. Only the refusal (429) says `Retry-After`. Each app gets its
own key prefix, so the counts of one test never reach another.
"""
import uuid

import pytest

from forum import sessions
from forum.models import Role

ASPIRATIONS = "/api/v1/aspirations"
REFUSED_TOKEN = {"Authorization": "Bearer msy_not-a-real-token"}


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


def test_api_writes_count_per_tokens_account_behind_one_address(limited, make_user, bearer):
    """An agency's integration and a resident's app behind one address: each has its own limit."""
    integration, app_user = bearer(make_user(Role.OFFICIAL)), bearer(make_user())
    for _ in range(3):
        assert limited.post(ASPIRATIONS, json={}, headers=integration).status_code == 403
    refused = limited.post(ASPIRATIONS, json={}, headers=integration)
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert limited.post(ASPIRATIONS, json={}, headers=app_user).status_code == 422
    assert limited.post(ASPIRATIONS, json={}).status_code == 401  # the address has a count of its own


def test_an_account_has_one_limit_on_pages_and_in_the_api(limited, login, make_user, bearer):
    resident = make_user()
    login(resident, on=limited)
    assert limited.post("/notifikasi/tandai-dibaca").status_code == 302
    assert limited.post("/notifikasi/tandai-dibaca").status_code == 302
    api_client = limited.application.test_client()  # its app, with no session cookie
    assert api_client.post(ASPIRATIONS, json={}, headers=bearer(resident)).status_code == 422
    assert api_client.post(ASPIRATIONS, json={}, headers=bearer(resident)).status_code == 429


def test_a_refused_token_counts_against_the_address(limited, make_user, bearer):
    for _ in range(3):
        assert limited.post(ASPIRATIONS, json={}, headers=REFUSED_TOKEN).status_code == 401
    assert limited.post(ASPIRATIONS, json={}, headers=REFUSED_TOKEN).status_code == 429
    assert limited.post(ASPIRATIONS, json={}).status_code == 429
    assert limited.post(ASPIRATIONS, json={}, headers=bearer(make_user())).status_code == 422


def test_the_token_is_looked_up_once_a_request(limited, make_user, bearer, monkeypatch):
    headers = bearer(make_user())
    looked_up = []
    look_up = sessions.user_for_token
    monkeypatch.setattr(sessions, "user_for_token", lambda raw: looked_up.append(raw) or look_up(raw))
    assert limited.post(ASPIRATIONS, json={}, headers=headers).status_code == 422
    assert len(looked_up) == 1
