"""Security headers, cookie flags, secret-key handling and CSP-safe templates.

Every response (pages, errors, a refused POST, the JSON API, static files)
carries the strict Content-Security-Policy and the other hardening headers.
Cookies are HttpOnly and SameSite=Lax, and Secure with HSTS under the
production config. Production refuses to start without SECRET_KEY; development
keeps a generated key in the instance folder. Templates hold nothing the CSP
would block: no inline script bodies, no `style=` attributes, no `on*=` handlers.
"""
import re
import stat
from pathlib import Path

import pytest
from flask_login import login_user

from config import ConfigurationError, DevelopmentConfig, ProductionConfig
from forum import create_app
from tests.conftest import PASSWORD

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"
STRICT_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}

REQUESTS = [
    ("GET", "/", 200),
    ("GET", "/tentang", 200),
    ("GET", "/halaman-yang-tidak-ada", 404),
    ("GET", "/api/v1/tidak-ada", 404),
    ("GET", "/static/css/site.css", 200),
]


def csp_directives(response):
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name.lower()] = values
    return policy, directives


def assert_security_headers(response):
    policy, directives = csp_directives(response)
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in STRICT_REFERRER_POLICIES
    assert response.headers["X-Frame-Options"] == "DENY"


def set_cookie(response, name):
    """The Set-Cookie header for `name`, split into its value and flags."""
    for header in response.headers.getlist("Set-Cookie"):
        first, *attributes = [part.strip() for part in header.split(";")]
        if first.split("=", 1)[0] == name:
            flags = {}
            for attribute in attributes:
                key, _, value = attribute.partition("=")
                flags[key.lower()] = value
            return flags
    raise AssertionError(f"no Set-Cookie for {name!r} in {response.headers.getlist('Set-Cookie')}")


def instance_settings(tmp_path, database_url):
    return dict(
        SQLALCHEMY_DATABASE_URI=database_url,
        INSTANCE_DIR=str(tmp_path),
        MAIL_DIR=str(tmp_path / "mail"),
        UPLOAD_DIR=str(tmp_path / "uploads"),
        SEARCH_INDEX_DIR=str(tmp_path / "search"),
        RATELIMIT_STORAGE_URI="memory://",
    )


@pytest.fixture
def production_app(app, migrated_database, tmp_path):
    settings = instance_settings(tmp_path / "production", migrated_database)
    return create_app(ProductionConfig(SECRET_KEY="x" * 32, **settings))


# -- headers ----------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "status"), REQUESTS)
def test_every_response_carries_the_security_headers(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert_security_headers(response)
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP in development
    response.close()  # a static file response holds the file open


def test_api_error_is_json_with_the_headers(client):
    response = client.get("/api/v1/tidak-ada")
    assert response.is_json
    assert response.get_json()["error"]["code"] == "not_found"
    assert_security_headers(response)


def test_post_without_csrf_token_is_refused_with_the_headers(app, make_app, resident):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    response = client.post("/akun/masuk", data={"email": resident.email, "password": PASSWORD})
    assert response.status_code == 422  # the form is shown again, the problem named
    assert_security_headers(response)
    assert client.get("/profil/").status_code == 302  # not signed in


def test_visitor_pages_set_no_cookie_but_forms_do(app, make_app):
    """A visitor reading pages gets no session (so pages can be cached); a form needs one for its token."""
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    assert client.get("/").headers.getlist("Set-Cookie") == []
    assert set_cookie(client.get("/akun/masuk"), csrf_app.config["SESSION_COOKIE_NAME"])


@pytest.mark.parametrize(("method", "path", "status"), REQUESTS)
def test_production_adds_hsts_to_every_response(production_app, method, path, status):
    response = production_app.test_client().open(path, method=method, base_url="https://localhost")
    assert response.status_code == status
    assert_security_headers(response)
    hsts = response.headers["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 365 * 24 * 3600
    assert "includesubdomains" in hsts.lower()
    response.close()


# -- cookies ----------------------------------------------------------------------


def test_session_cookie_is_http_only_and_lax(app, make_app):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)  # the form token puts a value in the session
    response = csrf_app.test_client().get("/akun/masuk")
    flags = set_cookie(response, csrf_app.config["SESSION_COOKIE_NAME"])
    assert "httponly" in flags
    assert flags["samesite"].lower() == "lax"
    assert "secure" not in flags  # development is served over plain HTTP


def test_language_cookie_is_http_only_and_lax(client):
    response = client.post("/bahasa", data={"lang": "en", "next": "/"})
    assert response.status_code == 302
    flags = set_cookie(response, "lang")
    assert "httponly" in flags
    assert flags["samesite"].lower() == "lax"


def test_production_session_cookie_is_secure(production_app):
    response = production_app.test_client().get("/akun/masuk", base_url="https://localhost")
    flags = set_cookie(response, production_app.config["SESSION_COOKIE_NAME"])
    assert "httponly" in flags
    assert "secure" in flags
    assert flags["samesite"].lower() == "lax"


def test_production_remember_cookie_is_secure(production_app, resident):
    with production_app.test_request_context("/", base_url="https://localhost"):
        login_user(resident, remember=True)
        response = production_app.process_response(production_app.response_class("ok"))
    flags = set_cookie(response, production_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    assert "httponly" in flags
    assert "secure" in flags
    assert flags["samesite"].lower() == "lax"


# -- secret keys ------------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, ""])
def test_production_without_secret_key_refuses_to_start(migrated_database, tmp_path, missing):
    config = ProductionConfig(SECRET_KEY=missing, **instance_settings(tmp_path, migrated_database))
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        create_app(config)


def test_development_creates_a_secret_key_once_and_keeps_it(migrated_database, tmp_path):
    settings = instance_settings(tmp_path / "instance", migrated_database)
    first = create_app(DevelopmentConfig(SECRET_KEY=None, **settings))
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.read_text().strip() == first.secret_key
    assert len(first.secret_key) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) & 0o077 == 0  # readable by the owner only

    second = create_app(DevelopmentConfig(SECRET_KEY=None, **settings))
    assert second.secret_key == first.secret_key

    elsewhere = DevelopmentConfig(SECRET_KEY=None, INSTANCE_DIR=str(tmp_path / "other")).finalize()
    assert elsewhere.SECRET_KEY != first.secret_key


def test_unknown_environment_name_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="MUSYAWARAH_ENV"):
        create_app("staging-typo")


# -- templates stay within the CSP ------------------------------------------------

TEMPLATES = sorted(TEMPLATE_DIR.rglob("*.html"))
SCRIPT_ELEMENT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[a-zA-Z][^<>]*>")
FORBIDDEN_ATTRIBUTE = re.compile(r"\s(style|on[a-z]+)\s*=", re.IGNORECASE)


def test_templates_are_found():
    assert TEMPLATE_DIR / "base.html" in TEMPLATES


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATE_DIR)))
def test_template_has_no_inline_script_style_or_handlers(path):
    source = path.read_text(encoding="utf-8")
    scripts = SCRIPT_ELEMENT.findall(source)
    assert len(scripts) == len(re.findall(r"<script\b", source, re.IGNORECASE)), "unclosed <script>"
    for attributes, body in scripts:
        assert body.strip() == "", f"inline script body in {path.name}"
        assert "src=" in attributes, f"script without src in {path.name}"
    assert not re.search(r"<style\b", source, re.IGNORECASE), f"<style> block in {path.name}"
    assert "javascript:" not in source.lower()
    for tag in TAG.findall(source):
        assert not FORBIDDEN_ATTRIBUTE.search(tag), f"{tag} in {path.name}"
