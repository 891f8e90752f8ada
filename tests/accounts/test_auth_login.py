"""Logging in and out through the web client: sessions, lockout, states, limits."""
import time
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import AccountState
from forum.timeutil import utcnow

LOGIN_URL = "/akun/masuk"
LOGOUT_FORM = 'action="/akun/keluar"'


@pytest.fixture
def log_in(user_password):
    """POST the login form for `user`; the password is the right one unless given."""

    def post(client, user, password=user_password, **extra):
        return client.post(LOGIN_URL, data={"email": user.email, "password": password, **extra})

    return post


def test_login_starts_a_new_session(client, resident, log_in, reload):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"

    response = log_in(client, resident)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == resident.get_id()
    user = reload(resident)
    assert user.last_login_at is not None
    assert user.failed_logins == 0
    assert LOGOUT_FORM in client.get("/").get_data(as_text=True)


def test_login_accepts_the_address_in_any_case(client, resident, user_password):
    response = client.post(LOGIN_URL, data={"email": resident.email.upper(), "password": user_password})
    assert response.status_code == 302


def test_login_uses_the_users_language(app, make_app, make_user, log_in):
    user = make_user(locale="en")
    # Own app: Flask-Babel caches the locale on the app context, which the
    # `client` fixture shares with the test.
    browser = make_app().test_client()
    assert '<html lang="id">' in browser.get("/").get_data(as_text=True)
    log_in(browser, user)
    assert '<html lang="en">' in browser.get("/").get_data(as_text=True)


@pytest.mark.parametrize("known", [True, False])
def test_wrong_credentials_get_one_generic_message(client, resident, known, reload):
    client.set_cookie("lang", "en")
    email = resident.email if known else "nobody@example.com"

    response = client.post(LOGIN_URL, data={"email": email, "password": "not the password"})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "E-mail or password is wrong." in html
    assert f'value="{email}"' in html
    assert "not the password" not in html
    assert reload(resident).failed_logins == (1 if known else 0)
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_account_locks_after_repeated_failures(app, client, resident, log_in, reload):
    client.set_cookie("lang", "en")
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit - 1):
        assert "wrong" in log_in(client, resident, "guess").get_data(as_text=True)

    locking = log_in(client, resident, "guess")
    assert "locked" in locking.get_data(as_text=True)
    user = reload(resident)
    assert user.locked_until > utcnow() + app.config["LOGIN_LOCKOUT"] - timedelta(minutes=1)

    refused = log_in(client, resident)
    assert refused.status_code == 422
    assert "try again in 15 minutes" in refused.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session

    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert log_in(client, resident).status_code == 302
    assert reload(resident).locked_until is None


def test_success_resets_the_failure_count(client, resident, log_in, reload):
    log_in(client, resident, "guess")
    log_in(client, resident, "guess")
    assert reload(resident).failed_logins == 2
    log_in(client, resident)
    assert reload(resident).failed_logins == 0


@pytest.mark.parametrize(
    "state, until, expected",
    [
        (AccountState.SUSPENDED, timedelta(days=2), "suspended until"),
        (AccountState.SUSPENDED, None, "suspended"),
        (AccountState.BANNED, None, "banned"),
    ],
)
def test_suspended_and_banned_accounts_cannot_log_in(client, make_user, state, until, expected, log_in):
    user = make_user(state=state, state_until=utcnow() + until if until else None, state_reason="Spam berulang")
    client.set_cookie("lang", "en")

    response = log_in(client, user)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert expected in html
    assert "Spam berulang" in html
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_state_is_only_told_to_someone_with_the_password(client, make_user, log_in):
    user = make_user(state=AccountState.BANNED)
    client.set_cookie("lang", "en")
    html = log_in(client, user, "not the password").get_data(as_text=True)
    assert "E-mail or password is wrong." in html
    assert "banned" not in html


def test_a_finished_suspension_is_lifted_at_login(client, make_user, log_in, reload):
    user = make_user(state=AccountState.SUSPENDED, state_until=utcnow() - timedelta(minutes=1))
    assert log_in(client, user).status_code == 302
    assert reload(user).state == AccountState.ACTIVE


def test_deleted_accounts_cannot_log_in(client, make_user, log_in):
    user = make_user(deleted_at=utcnow())
    client.set_cookie("lang", "en")
    assert "E-mail or password is wrong." in log_in(client, user).get_data(as_text=True)


def test_remember_me_sets_the_remember_cookie(client, resident, log_in):
    assert "remember_token=" not in " ".join(log_in(client, resident).headers.getlist("Set-Cookie"))
    client.post("/akun/keluar")
    remembered = log_in(client, resident, remember="y")
    assert "remember_token=" in " ".join(remembered.headers.getlist("Set-Cookie"))


def test_logout_ends_every_session_of_the_user(app, make_app, resident, log_in, reload):
    # Own app, so every request gets a fresh app context and `g` (as in production).
    web = make_app()
    laptop, phone = web.test_client(), web.test_client()
    log_in(laptop, resident)
    log_in(phone, resident, remember="y")
    assert LOGOUT_FORM in phone.get("/").get_data(as_text=True)
    old_token = reload(resident).session_token

    response = laptop.post("/akun/keluar")

    assert response.status_code == 302
    assert reload(resident).session_token != old_token
    assert LOGOUT_FORM not in laptop.get("/").get_data(as_text=True)
    assert LOGOUT_FORM not in phone.get("/").get_data(as_text=True)
    # The remember cookie alone no longer brings the session back either.
    phone.delete_cookie("session")
    assert phone.get_cookie("remember_token") is not None
    assert LOGOUT_FORM not in phone.get("/").get_data(as_text=True)


def test_logout_is_post_only(client, resident, log_in):
    log_in(client, resident)
    assert client.get("/akun/keluar").status_code == 405
    assert LOGOUT_FORM in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/tentang", "/tentang"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_url_must_stay_on_the_site(client, resident, target, expected, log_in):
    response = log_in(client, resident, next=target)
    assert response.headers["Location"] == expected


def test_next_from_the_query_string_is_carried_in_the_form(client):
    html = client.get(LOGIN_URL, query_string={"next": "/tentang"}).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/tentang"' in html
    unsafe = client.get(LOGIN_URL, query_string={"next": "//evil.example"}).get_data(as_text=True)
    assert 'name="next" type="hidden" value=""' in unsafe


def test_login_is_rate_limited_per_address(app, make_app, resident, user_password):
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute", RATELIMIT_KEY_PREFIX=f"login-{time.time_ns()}")
    browser = limited.test_client()
    for _ in range(3):
        assert browser.post(LOGIN_URL, data={"email": resident.email, "password": "guess"}).status_code == 422
    refused = browser.post(LOGIN_URL, data={"email": resident.email, "password": user_password})
    assert refused.status_code == 429
    assert b"<html" in refused.data
    assert browser.get(LOGIN_URL).status_code == 200
