"""Forgotten passwords: the request never tells whether an account exists,
and a reset link works once, for a limited time."""
import re
import time
from datetime import timedelta

from itsdangerous import TimestampSigner

from forum.extensions import db
from forum.services.signed_tokens import fingerprint, make_token
from forum.timeutil import utcnow

FORGOT_URL = "/akun/lupa-sandi"
NEW_PASSWORD = "kopi tubruk di serpong utara"
RESET_LINK = re.compile(r"http://localhost(/akun/atur-ulang-sandi/\S+)")


def reset_path(message):
    return RESET_LINK.search(message.get_content()).group(1)


def test_forgot_password_answers_the_same_for_unknown_addresses(client, resident, outbox):
    client.set_cookie("lang", "en")
    known = client.post(FORGOT_URL, data={"email": resident.email}, follow_redirects=True)
    unknown = client.post(FORGOT_URL, data={"email": "nobody@example.com"}, follow_redirects=True)

    assert known.status_code == unknown.status_code == 200
    assert known.request.path == unknown.request.path == "/akun/masuk"
    assert known.get_data(as_text=True).replace(resident.email, "ADDRESS") == (
        unknown.get_data(as_text=True).replace("nobody@example.com", "ADDRESS")
    )
    assert "we have sent a link" in known.get_data(as_text=True)
    (message,) = outbox()
    assert message["To"] == resident.email


def test_full_reset_flow_and_the_link_works_once(make_app, app, resident, outbox, user_password, reload):
    # Own app, so the second browser's requests do not share the test's `g`.
    web = make_app()
    browser, other_device = web.test_client(), web.test_client()
    other_device.post("/akun/masuk", data={"email": resident.email, "password": user_password})
    resident.failed_logins, resident.locked_until = 3, utcnow() + timedelta(minutes=10)
    db.session.commit()

    browser.post(FORGOT_URL, data={"email": resident.email.upper()})
    path = reset_path(outbox()[0])
    assert 'type="password"' in browser.get(path).get_data(as_text=True)

    response = browser.post(path, data={"password": NEW_PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/akun/masuk"
    user = reload(resident)
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(user_password)
    assert user.failed_logins == 0 and user.locked_until is None
    assert 'action="/akun/keluar"' not in other_device.get("/").get_data(as_text=True)
    assert browser.post("/akun/masuk", data={"email": resident.email, "password": NEW_PASSWORD}).status_code == 302

    browser.set_cookie("lang", "en")
    reused = browser.post(path, data={"password": "another long passphrase"})
    assert reused.status_code == 400
    assert "/akun/lupa-sandi" in reused.get_data(as_text=True)
    assert browser.get(path).status_code == 400
    assert reload(resident).check_password(NEW_PASSWORD)


def test_reset_refuses_a_weak_password(client, resident, outbox, user_password, reload):
    client.post(FORGOT_URL, data={"email": resident.email})
    path = reset_path(outbox()[0])

    response = client.post(path, data={"password": "password123"})

    assert response.status_code == 422
    assert b'id="password-error"' in response.data
    assert reload(resident).check_password(user_password)
    assert client.get(path).status_code == 200


def test_expired_reset_link_is_refused_with_a_way_forward(client, resident, monkeypatch, user_password, reload):
    two_hours_ago = int(time.time()) - 2 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda signer: two_hours_ago)
        token = make_token("reset-password", {"user": resident.id, "fp": fingerprint(resident.password_hash)})
    client.set_cookie("lang", "en")

    response = client.post(f"/akun/atur-ulang-sandi/{token}", data={"password": NEW_PASSWORD})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "expired" in html
    assert 'href="/akun/lupa-sandi"' in html
    assert reload(resident).check_password(user_password)


def test_tampered_or_foreign_reset_links_are_refused(client, resident, make_user, outbox, user_password, reload):
    client.post(FORGOT_URL, data={"email": resident.email})
    path = reset_path(outbox()[0])
    verify_token = make_token("verify-email", {"user": resident.id, "fp": fingerprint(resident.email)})
    forged = make_token("reset-password", {"user": make_user().id, "fp": fingerprint(resident.password_hash)})

    for bad in (path[:-3] + "abc", f"/akun/atur-ulang-sandi/{verify_token}", f"/akun/atur-ulang-sandi/{forged}"):
        assert client.post(bad, data={"password": NEW_PASSWORD}).status_code == 400
    assert reload(resident).check_password(user_password)


def test_forgot_password_is_rate_limited(app, make_app, resident):
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_PASSWORD_RESET="2 per hour",
                       RATELIMIT_KEY_PREFIX=f"forgot-{time.time_ns()}")
    browser = limited.test_client()
    assert browser.post(FORGOT_URL, data={"email": resident.email}).status_code == 302
    assert browser.post(FORGOT_URL, data={"email": "x@example.com"}).status_code == 302
    assert browser.post(FORGOT_URL, data={"email": resident.email}).status_code == 429
    assert browser.get(FORGOT_URL).status_code == 200
