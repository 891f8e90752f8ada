"""Bearer tokens on /api/v1: only the token counts, never the cookie session."""
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import AccountState, ApiToken, Role
from forum.services import tokens
from forum.timeutil import utcnow


@pytest.fixture
def token_for():
    def issue(user, name="test"):
        _row, raw = tokens.create_token(user, user, name)
        return raw

    return issue


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def _assert_401(response, invalid_token):
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "not_authenticated"
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer ")
    assert ('error="invalid_token"' in challenge) is invalid_token


def test_me_without_a_token_is_401_with_a_bearer_challenge(client):
    _assert_401(client.get("/api/v1/me"), invalid_token=False)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer msy_not-a-real-token",
        "Bearer nonsense",
        "Bearer ",
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "Bearer msy_" + "a" * 500,
        "Bearer msy_\u00e9\u00e9",
    ],
)
def test_bad_tokens_are_401(client, resident, header):
    _assert_401(client.get("/api/v1/me", headers={"Authorization": header}), invalid_token=True)


def test_good_token_answers_me_with_the_tokens_account(client, official, token_for):
    response = client.get("/api/v1/me", headers=bearer(token_for(official)))
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == official.id
    assert body["email"] == official.email
    assert body["role"] == Role.OFFICIAL
    assert body["agency"] == "diskominfo"
    assert body["email_verified"] is True
    assert body["created_at"].endswith("+07:00")
    assert "password_hash" not in body and "session_token" not in body
    assert "no-store" in response.headers["Cache-Control"]


def test_token_use_is_recorded(client, resident, token_for):
    raw = token_for(resident)
    client.get("/api/v1/me", headers=bearer(raw))
    row = ApiToken.query.filter_by(user_id=resident.id).one()
    db.session.refresh(row)
    assert row.last_used_at is not None


def test_revoked_token_is_401(client, resident, token_for):
    raw = token_for(resident)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    row = ApiToken.query.filter_by(user_id=resident.id).one()
    tokens.revoke_token(resident, resident, row.id)
    _assert_401(client.get("/api/v1/me", headers=bearer(raw)), invalid_token=True)


def test_cookie_session_alone_is_not_an_api_login(client, resident, login):
    login(resident)
    response = client.get("/api/v1/me")
    _assert_401(response, invalid_token=False)
    assert "Set-Cookie" not in response.headers


def test_token_wins_over_a_cookie_session_of_someone_else(client, resident, moderator, login, token_for):
    login(moderator)
    response = client.get("/api/v1/me", headers=bearer(token_for(resident)))
    assert response.status_code == 200
    assert response.get_json()["id"] == resident.id


def test_bad_token_is_refused_even_on_public_reads(client, resident, token_for):
    assert client.get("/api/v1/districts", headers=bearer(token_for(resident))).status_code == 200
    _assert_401(client.get("/api/v1/districts", headers=bearer("msy_wrong")), invalid_token=True)


@pytest.mark.parametrize(
    "change",
    [
        {"state": AccountState.BANNED},
        {"state": AccountState.SUSPENDED, "state_until": utcnow() + timedelta(days=1)},
        {"deleted_at": utcnow()},
    ],
    ids=["banned", "suspended", "deleted"],
)
def test_token_of_a_blocked_account_is_401(client, resident, token_for, change):
    raw = token_for(resident)
    for key, value in change.items():
        setattr(resident, key, value)
    db.session.commit()
    _assert_401(client.get("/api/v1/me", headers=bearer(raw)), invalid_token=True)


def test_token_works_again_once_a_suspension_is_over(client, resident, token_for):
    raw = token_for(resident)
    resident.state = AccountState.SUSPENDED
    resident.state_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200

