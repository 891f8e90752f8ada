"""Registration and e-mail verification through the web client, on a real database."""
import re
import time

import pytest
from itsdangerous import TimestampSigner

from forum.errors import ValidationFailed
from forum.extensions import db
from forum.models import Role, User
from forum.permissions import may_write
from forum.services.accounts import authenticate, register, request_password_reset
from forum.services.signed_tokens import fingerprint, make_token

REGISTER_URL = "/akun/daftar"
GOOD_PASSWORD = "sawah hijau di pondok aren"
VERIFY_LINK = re.compile(r"http://localhost/akun/verifikasi/(\S+)")


def registration(**changes):
    form = {
        "email": "Siti.Warga@Example.com",
        "display_name": "Siti Warga",
        "district": "pondok-aren.pondok-betung",
        "password": GOOD_PASSWORD,
        "consent": "y",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def verify_token_from(message):
    return VERIFY_LINK.search(message.get_content()).group(1)


def assert_refused(response, field):
    """A re-rendered form (never a 500) with an error on `field` and no account saved."""
    assert response.status_code == 422
    assert f'id="{field}-error"'.encode() in response.data
    assert User.query.count() == 0


def test_register_form_groups_kelurahan_by_kecamatan(client):
    html = client.get(REGISTER_URL).get_data(as_text=True)
    assert '<optgroup label="Pondok Aren">' in html
    assert '<option value="pondok-aren.pondok-betung">Pondok Betung</option>' in html
    assert "27 Tahun 2022" in html and 'name="consent"' in html


def test_register_creates_unverified_resident_with_consent_and_mails_link(app, client, outbox):
    response = client.post(REGISTER_URL, data=registration())

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/akun/periksa-email")
    user = User.query.one()
    assert user.email == "siti.warga@example.com"
    assert user.role == Role.RESIDENT
    assert user.district.code == "pondok-aren.pondok-betung"
    assert user.email_verified_at is None
    assert user.consent_at is not None
    assert user.consent_version == app.config["CONSENT_VERSION"]
    assert user.check_password(GOOD_PASSWORD)
    assert not may_write(user)

    (message,) = outbox()
    assert message["To"] == "siti.warga@example.com"
    token = verify_token_from(message)
    assert token

    # Logged in, with the reminder to confirm and a resend button.
    page = client.get("/akun/periksa-email").get_data(as_text=True)
    assert "siti.warga@example.com" in page
    assert "/akun/verifikasi/kirim-ulang" in page
    home = client.get("/").get_data(as_text=True)
    assert "/akun/verifikasi/kirim-ulang" in home


def test_duplicate_email_is_refused_case_insensitively_and_form_kept(client, make_user):
    make_user(email="siti.warga@example.com")
    client.set_cookie("lang", "en")

    response = client.post(REGISTER_URL, data=registration(email="SITI.WARGA@EXAMPLE.COM"))

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "already exists" in html
    assert 'value="SITI.WARGA@EXAMPLE.COM"' in html
    assert 'value="Siti Warga"' in html
    assert GOOD_PASSWORD not in html
    assert User.query.count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"password": "password123"}, "password"),
        ({"password": "short"}, "password"),
        ({"password": "siti.warga@example.com"}, "password"),
        ({"display_name": "S" * 81}, "display_name"),
        ({"display_name": "S"}, "display_name"),
        ({"email": "a" * 250 + "@example.com"}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"district": "pondok-aren.atlantis"}, "district"),
        ({"district": "pondok-aren"}, "district"),
        ({"district": ""}, "district"),
    ],
)
def test_invalid_registration_is_refused(app, client, outbox, changes, field):
    response = client.post(REGISTER_URL, data=registration(**changes))
    assert_refused(response, field)
    assert outbox() == []


def test_kecamatan_code_is_refused_by_the_service_too(app):
    with pytest.raises(ValidationFailed) as refused:
        register("a@example.com", "Warga", "pondok-aren", GOOD_PASSWORD, consent=True)
    assert set(refused.value.fields) == {"district"}


def test_missing_consent_is_refused_with_a_reason(client):
    client.set_cookie("lang", "en")
    response = client.post(REGISTER_URL, data=registration(consent=None))
    assert_refused(response, "consent")
    assert "Please agree to the processing of your data" in response.get_data(as_text=True)


REST_OF_FORM = b"&district=pondok-aren.pondok-betung&password=sawah+hijau+di+pondok&consent=y"


def post_raw(client, body, content_type="application/x-www-form-urlencoded"):
    return client.post(REGISTER_URL, data=body, content_type=content_type)


@pytest.mark.parametrize(
    "body, field",
    [
        (b"email=a%40example.com&display_name=%00%00" + REST_OF_FORM, "display_name"),
        (b"email=a%40example.com&display_name=Siti" + REST_OF_FORM.replace(b"betung", b"betung%00"), "district"),
        # Werkzeug cannot decode the body at all: every field is missing.
        (b"email=a\xffb%40example.com&display_name=Siti" + REST_OF_FORM, "email"),
    ],
)
def test_nul_bytes_and_undecodable_bodies_give_a_form_error(client, body, field):
    assert_refused(post_raw(client, body), field)


def test_invalid_utf8_in_multipart_is_named_on_its_field(client):
    parts = {"email": b"a@example.com", "display_name": b"Si\xfe\xffti", "district": b"pondok-aren.pondok-betung",
             "password": b"sawah hijau di pondok", "consent": b"y"}
    body = b"".join(
        b"--XX\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (name.encode(), value)
        for name, value in parts.items()
    ) + b"--XX--\r\n"
    assert_refused(post_raw(client, body, "multipart/form-data; boundary=XX"), "display_name")


def test_undecodable_percent_escapes_are_kept_as_typed(client):
    # Werkzeug leaves an escape that is not UTF-8 as its literal text, so the
    # database only ever sees valid text.
    body = b"email=a%40example.com&display_name=Si%FE%FFti" + REST_OF_FORM
    assert post_raw(client, body).status_code == 302
    assert User.query.one().display_name == "Si%FE%FFti"


def test_nul_bytes_never_reach_the_database(client):
    body = b"email=nul%40example.com&display_name=Si%00ti" + REST_OF_FORM
    assert post_raw(client, body).status_code == 302
    assert User.query.one().display_name == "Siti"


def test_missing_csrf_token_rerenders_with_text_kept(app, make_app):
    guarded = make_app(WTF_CSRF_ENABLED=True)
    with guarded.app_context():
        response = guarded.test_client().post(REGISTER_URL, data=registration(display_name="Budi Santoso"))
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert 'value="Budi Santoso"' in html
        assert 'class="form-errors"' in html
        assert User.query.count() == 0


def test_register_with_csrf_token_works(app, make_app):
    guarded = make_app(WTF_CSRF_ENABLED=True)
    with guarded.app_context():
        browser = guarded.test_client()
        page = browser.get(REGISTER_URL).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = browser.post(REGISTER_URL, data=registration(csrf_token=token))
        assert response.status_code == 302
        assert User.query.count() == 1


# -- verification ----------------------------------------------------------------
def test_verification_link_confirms_the_address(client, outbox):
    client.post(REGISTER_URL, data=registration())
    token = verify_token_from(outbox()[0])

    response = client.get(f"/akun/verifikasi/{token}")

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = User.query.one()
    assert user.email_verified_at is not None
    assert may_write(user)
    assert "/akun/verifikasi/kirim-ulang" not in client.get("/").get_data(as_text=True)

    again = client.get(f"/akun/verifikasi/{token}")
    assert again.status_code == 302
    assert User.query.one().email_verified_at == user.email_verified_at


def test_verification_link_works_when_logged_out(client, outbox):
    client.post(REGISTER_URL, data=registration())
    token = verify_token_from(outbox()[0])
    client.post("/akun/keluar")

    response = client.get(f"/akun/verifikasi/{token}")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/akun/masuk")
    assert User.query.one().is_verified


def test_expired_verification_link_offers_a_new_one(client, outbox, monkeypatch):
    client.post(REGISTER_URL, data=registration())
    user = User.query.one()
    four_days_ago = int(time.time()) - 4 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda signer: four_days_ago)
        token = make_token("verify-email", {"user": user.id, "fp": fingerprint(user.email)})
    client.set_cookie("lang", "en")

    response = client.get(f"/akun/verifikasi/{token}")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "expired" in html
    assert 'action="/akun/verifikasi/kirim-ulang"' in html
    assert not User.query.one().is_verified

    resent = client.post("/akun/verifikasi/kirim-ulang")
    assert resent.status_code == 302
    assert len(outbox()) == 2
    assert client.get(f"/akun/verifikasi/{verify_token_from(outbox()[1])}").status_code == 302
    assert User.query.one().is_verified


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: "%C3%A9%00", lambda t: "a" * 3000])
def test_tampered_verification_link_is_refused(client, outbox, mangle):
    client.post(REGISTER_URL, data=registration())
    token = verify_token_from(outbox()[0])

    response = client.get(f"/akun/verifikasi/{mangle(token)}")

    assert response.status_code == 400
    assert not User.query.one().is_verified


def test_verification_link_for_an_older_address_is_refused(client, outbox):
    client.post(REGISTER_URL, data=registration())
    token = verify_token_from(outbox()[0])
    user = User.query.one()
    user.email = "changed@example.com"
    db.session.commit()

    assert client.get(f"/akun/verifikasi/{token}").status_code == 400
    assert not User.query.one().is_verified


def test_resend_is_login_only_and_verified_users_get_no_mail(client, resident, login, outbox):
    assert client.post("/akun/verifikasi/kirim-ulang").headers["Location"].startswith("/akun/masuk")
    login(resident)
    assert client.post("/akun/verifikasi/kirim-ulang").status_code == 302
    assert outbox() == []


def test_resend_is_rate_limited(app, make_app, make_user):
    user = make_user(email_verified_at=None)
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_PASSWORD_RESET="2 per hour",
                       RATELIMIT_KEY_PREFIX=f"resend-{time.time_ns()}")
    with limited.app_context():
        browser = limited.test_client()
        with browser.session_transaction() as session:
            session["_user_id"] = user.get_id()
        assert browser.post("/akun/verifikasi/kirim-ulang").status_code == 302
        assert browser.post("/akun/verifikasi/kirim-ulang").status_code == 302
        assert browser.post("/akun/verifikasi/kirim-ulang").status_code == 429


def test_register_is_rate_limited(app, make_app):
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_REGISTER="1 per hour",
                       RATELIMIT_KEY_PREFIX=f"register-{time.time_ns()}")
    with limited.app_context():
        browser = limited.test_client()
        assert browser.post(REGISTER_URL, data=registration(consent=None)).status_code == 422
        assert browser.post(REGISTER_URL, data=registration()).status_code == 429
        assert browser.get(REGISTER_URL).status_code == 200
        assert User.query.count() == 0


def test_services_called_without_a_form_drop_control_characters(app, outbox):
    with app.test_request_context():  # mail links are absolute URLs
        user = register("nul\x00@example.com", "Si\x00ti", "pondok-aren.pondok-betung\x00", GOOD_PASSWORD, True)
        assert authenticate("NUL\x00@example.com", GOOD_PASSWORD).id == user.id
        request_password_reset("\x00nul@example.com")

    assert (user.email, user.display_name, user.district.code) == ("nul@example.com", "Siti", "pondok-aren.pondok-betung")
    assert [message["To"] for message in outbox()] == ["nul@example.com", "nul@example.com"]
