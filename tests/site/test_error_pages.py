"""Error pages: every error status gives the localized error page, never a traceback."""
import logging
import re

import pytest
from flask import abort
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import User

ENGLISH_TITLES = {
    400: "Bad request",
    403: "Access refused",
    404: "Page not found",
    405: "Method not allowed",
    413: "Too large",
    429: "Too many requests",
    500: "Server error",
    503: "Temporarily unavailable",
}
LANGUAGES = ("id", "en")


def assert_error_page(response, status, lang):
    """The response is the error template, in `lang`, with a title and a way home."""
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert 'class="error-page"' in page
    assert f"({status})" in page
    assert 'href="/">' in page  # back to the home page
    assert page.count("<h1>") == 1
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title.endswith("Musyawarah Tangerang Selatan") and len(title) > len("Musyawarah Tangerang Selatan")
    if lang == "en":
        assert f"<title>{ENGLISH_TITLES[status]} · " in page
        assert f"<h1>{ENGLISH_TITLES[status]} " in page
    assert "Traceback" not in page


def client_in(app, lang):
    client = app.test_client()
    if lang != "id":
        client.set_cookie("lang", lang)
    return client


def add_test_routes(app):
    """Routes that fail on purpose; only ever added to an app built for a test."""

    def bad_request():
        abort(400)

    def explode():
        raise RuntimeError("secret-internal-detail /srv/app.py line 42")

    def half_saved(user_id):
        user = db.session.get(User, user_id)
        user.display_name = "Half saved"
        db.session.add(User(email=user.email, display_name="duplicate", password_hash="x"))
        db.session.commit()  # the e-mail is unique: IntegrityError
        return "unreachable"

    app.add_url_rule("/test/bad-request", "test_bad_request", bad_request)
    app.add_url_rule("/test/explode", "test_explode", explode)
    app.add_url_rule("/test/half-saved/<int:user_id>", "test_half_saved", half_saved)
    return app


@pytest.fixture
def failing_app(make_app, app):
    return add_test_routes(make_app())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_400(failing_app, lang):
    assert_error_page(client_in(failing_app, lang).get("/test/bad-request"), 400, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_403(app, login, resident, lang):
    client = login(resident, on=client_in(app, lang))
    assert_error_page(client.get("/admin/pengguna"), 403, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_404(app, lang):
    assert_error_page(client_in(app, lang).get("/tidak-ada-halaman-ini"), 404, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_405(app, lang):
    assert_error_page(client_in(app, lang).get("/bahasa"), 405, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_413(make_app, app, lang):
    small = make_app(MAX_CONTENT_LENGTH=1000)
    response = client_in(small, lang).post("/bahasa", data={"lang": "en", "next": "/" + "x" * 5000})
    assert_error_page(response, 413, lang)
    assert "lang=en" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_429(make_app, app, lang):
    limited = make_app(RATELIMIT_ENABLED=True)
    client = client_in(limited, lang)
    statuses = [client.post("/bahasa", data={"lang": lang, "next": "/"}).status_code for _ in range(61)]
    assert statuses[:60] == [302] * 60
    response = client.post("/bahasa", data={"lang": lang, "next": "/"})
    assert_error_page(response, 429, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_500_shows_no_internals(failing_app, lang):
    response = client_in(failing_app, lang).get("/test/explode")
    assert_error_page(response, 500, lang)
    page = response.get_data(as_text=True)
    assert "secret-internal-detail" not in page and "RuntimeError" not in page and "app.py" not in page


def test_database_error_mid_request_saves_nothing(failing_app, resident, caplog, monkeypatch, reload):
    # Alembic's fileConfig (run by the session fixture) disables loggers that
    # already exist; the operators' log is what this test looks at.
    monkeypatch.setattr(logging.getLogger("forum.errorpages"), "disabled", False)
    name = resident.display_name
    response = failing_app.test_client().get(f"/test/half-saved/{resident.id}")
    assert_error_page(response, 500, "id")
    assert "IntegrityError" not in response.get_data(as_text=True)
    assert reload(resident).display_name == name
    assert User.query.filter_by(display_name="duplicate").count() == 0
    # The failure is logged for the operators, with its cause.
    assert any(record.exc_info and record.exc_info[0] is IntegrityError for record in caplog.records)
