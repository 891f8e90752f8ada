"""Password change, e-mail change and account deletion, across real sessions.

Each client request runs in its own app context (conftest), so the signed-in
user is loaded afresh from the session every time; `reload` re-reads rows.
"""
import re
from datetime import timedelta

import pytest
from flask_login.utils import encode_cookie

from forum.extensions import db
from forum.models import ApiToken, Content
from forum.services.signed_tokens import fingerprint, make_token

NEW_PASSWORD = "a brand new pass phrase"


def _remember(client, user):
    with client.application.test_request_context():
        client.set_cookie("remember_token", encode_cookie(user.get_id()))


def _signed_in(client):
    return client.get("/profil/").status_code == 200


# -- password ----------------------------------------------------------------
def _change_password(client, current, new=NEW_PASSWORD):
    return client.post("/profil/sandi", data={"current_password": current, "new_password": new})


def test_password_change_ends_other_sessions_but_keeps_this_one(
    client, login, make_app, resident, user_password, reload
):
    other = login(resident, on=make_app().test_client())
    remembered_elsewhere = make_app().test_client()
    _remember(remembered_elsewhere, resident)
    login(resident)
    assert _signed_in(other) and _signed_in(remembered_elsewhere)

    assert _change_password(client, user_password).status_code == 302

    assert reload(resident).check_password(NEW_PASSWORD)
    assert _signed_in(client)
    assert not _signed_in(other)
    assert not _signed_in(remembered_elsewhere)


def test_password_change_keeps_remember_me_of_this_browser(client, login, resident, user_password, reload):
    login(resident)
    _remember(client, resident)
    _change_password(client, user_password)
    assert reload(resident).session_token in client.get_cookie("remember_token").value
    client.delete_cookie("session")
    assert _signed_in(client)


def test_password_change_wrong_current_password(client, login, resident, user_password, reload):
    login(resident)
    token_before = resident.session_token
    response = _change_password(client, "wrong guess")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="current_password-error"' in page
    assert NEW_PASSWORD not in page
    user = reload(resident)
    assert user.check_password(user_password) and user.session_token == token_before


def test_password_change_applies_the_password_policy(client, login, resident, user_password, reload):
    login(resident)
    for weak in ("short", "password123", resident.email):
        response = _change_password(client, user_password, weak)
        assert response.status_code == 422, weak
        assert 'id="new_password-error"' in response.get_data(as_text=True)
    assert reload(resident).check_password(user_password)


def test_password_change_without_csrf_token_rerenders(app, make_app, login, resident, user_password, reload):
    csrf_client = login(resident, on=make_app(WTF_CSRF_ENABLED=True).test_client())
    csrf_client.set_cookie("lang", "en")
    response = _change_password(csrf_client, user_password)
    assert response.status_code == 422
    assert "Your form expired or was sent from elsewhere" in response.get_data(as_text=True)
    assert reload(resident).check_password(user_password)


# -- e-mail ------------------------------------------------------------------
@pytest.fixture
def request_change(client, user_password):
    def post(new_email, password=user_password):
        return client.post("/profil/email", data={"email": new_email, "password": password})

    return post


@pytest.fixture
def confirmation_link(outbox):
    def find(to):
        for message in outbox():
            if message["To"] == to:
                match = re.search(r"http://localhost(/profil/email/konfirmasi/\S+)", message.get_content())
                if match:
                    return match.group(1)
        raise AssertionError(f"no confirmation mail to {to}")

    return find


def test_email_change_flow(client, login, make_app, resident, request_change, confirmation_link, outbox, reload):
    old_email = resident.email
    other = login(resident, on=make_app().test_client())
    login(resident)
    assert request_change("  Baru@Example.COM ").status_code == 302
    assert reload(resident).email == old_email

    notices = [message for message in outbox() if message["To"] == old_email]
    assert len(notices) == 1 and "baru@example.com" in notices[0].get_content()
    link = confirmation_link("baru@example.com")

    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/profil/")
    user = reload(resident)
    assert user.email == "baru@example.com"
    assert user.email_verified_at is not None
    assert _signed_in(client)
    assert not _signed_in(other)
    assert client.get(link).status_code == 400  # used once, then no longer valid


def test_email_change_link_works_without_being_signed_in(
    client, login, make_app, resident, request_change, confirmation_link, reload
):
    login(resident)
    request_change("new@example.com")
    stranger = make_app().test_client()
    assert stranger.get(confirmation_link("new@example.com")).status_code == 302
    assert reload(resident).email == "new@example.com"
    assert not _signed_in(stranger)


def test_email_change_refuses_wrong_password_and_taken_address(
    client, login, make_user, resident, request_change, outbox
):
    make_user(email="taken@example.com")
    login(resident)
    response = request_change("free@example.com", password="wrong guess")
    assert response.status_code == 422
    assert 'id="password-error"' in response.get_data(as_text=True)
    response = request_change("TAKEN@example.com")
    assert response.status_code == 422
    assert 'id="email-error"' in response.get_data(as_text=True)
    assert 'value="TAKEN@example.com"' in response.get_data(as_text=True)
    assert request_change("not-an-address").status_code == 422
    assert request_change(resident.email).status_code == 422
    assert outbox() == []


def test_email_change_refused_when_address_taken_meanwhile(
    client, login, make_user, resident, request_change, confirmation_link, reload
):
    login(resident)
    request_change("race@example.com")
    link = confirmation_link("race@example.com")
    make_user(email="race@example.com")
    assert client.get(link).status_code == 409
    assert reload(resident).email != "race@example.com"


def test_email_change_bad_and_expired_links(client, login, resident, reload):
    login(resident)
    client.set_cookie("lang", "en")
    assert client.get("/profil/email/konfirmasi/garbage").status_code == 400
    assert client.get("/profil/email/konfirmasi/%00%FF").status_code == 400
    with client.application.test_request_context():
        forged = make_token("email-change", {"user": "x", "email": 5})
        late = make_token(
            "email-change", {"user": resident.id, "email": "late@example.com", "fp": fingerprint(resident.email)}
        )
    assert client.get(f"/profil/email/konfirmasi/{forged}").status_code == 400
    client.application.config["TOKEN_MAX_AGE_VERIFY"] = timedelta(seconds=-1)
    response = client.get(f"/profil/email/konfirmasi/{late}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert reload(resident).email != "late@example.com"


# -- deletion ----------------------------------------------------------------
def test_delete_account_anonymizes_and_signs_out(client, login, resident, user_password, reload):
    db.session.add(Content(kind="content", author=resident, body_source="Jalan rusak"))
    row, _raw = ApiToken.issue(resident, "script")
    db.session.add(row)
    db.session.commit()
    login(resident)
    client.set_cookie("lang", "en")
    assert "cannot be undone" in client.get("/profil/hapus").get_data(as_text=True)

    response = client.post("/profil/hapus", data={"password": user_password, "confirm": "y"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    user = reload(resident)
    assert user.deleted_at is not None
    assert user.email == f"deleted-{user.id}@invalid.invalid"
    assert user.display_name == ""
    assert user.district_id is None and user.agency_id is None
    assert not user.check_password(user_password)
    assert all(token.revoked_at is not None for token in user.api_tokens)
    assert Content.query.filter_by(body_source="Jalan rusak").one().author_id == user.id
    assert not _signed_in(client)
    client.post("/akun/masuk", data={"email": f"deleted-{user.id}@invalid.invalid", "password": user_password})
    assert not _signed_in(client)


def test_delete_account_needs_password_and_confirmation(client, login, resident, user_password, reload):
    login(resident)
    response = client.post("/profil/hapus", data={"password": user_password})
    assert response.status_code == 422
    assert 'id="confirm-error"' in response.get_data(as_text=True)
    response = client.post("/profil/hapus", data={"password": "wrong guess", "confirm": "y"})
    assert response.status_code == 422
    assert 'id="password-error"' in response.get_data(as_text=True)
    assert reload(resident).deleted_at is None
    assert _signed_in(client)


def test_last_admin_cannot_delete_account(client, login, admin, user_password, reload):
    login(admin)
    assert client.post("/profil/hapus", data={"password": user_password, "confirm": "y"}).status_code == 422
    assert reload(admin).deleted_at is None


def test_reauthentication_is_rate_limited_per_account(app, make_app, login, resident):
    limited = login(resident, on=make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute").test_client())
    statuses = [_change_password(limited, "wrong guess").status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert limited.get("/profil/sandi").status_code == 200
