"""Every error under /api/ is JSON `{"error": {"code", "message", "fields"?}}`, never HTML."""
import pytest
from flask import request

from forum.errors import Conflict, Forbidden, NotFound, ValidationFailed
from forum.extensions import limiter


def _error(response, status, code):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_unknown_api_path_is_json_404(client):
    _error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    _error(client.get("/api/v2/districts"), 404, "not_found")


def test_html_pages_keep_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_wrong_method_is_json_405_with_allow_header(client):
    response = client.delete("/api/v1/districts")
    _error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_too_large_body_is_json_413(make_app, app):
    small = make_app(MAX_CONTENT_LENGTH=10)
    small.add_url_rule("/api/v1/_test/upload", "test_upload", lambda: str(len(request.data)), methods=["POST"])
    response = small.test_client().post("/api/v1/_test/upload", data="x" * 100, content_type="text/plain")
    _error(response, 413, "too_large")


def test_rate_limited_is_json_429(make_app, app):
    limited_app = make_app(RATELIMIT_ENABLED=True)

    @limiter.limit("1 per minute")
    def limited():
        return {"ok": True}

    limited_app.add_url_rule("/api/v1/_test/limited", "test_limited", limited)
    client = limited_app.test_client()
    assert client.get("/api/v1/_test/limited").status_code == 200
    response = client.get("/api/v1/_test/limited")
    _error(response, 429, "rate_limited")
    assert "Retry-After" in response.headers


def test_unexpected_exception_is_json_500_without_details(make_app, app):
    broken = make_app()

    def boom():
        raise RuntimeError("secret internal detail")

    broken.add_url_rule("/api/v1/_test/boom", "test_boom", boom)
    response = broken.test_client().get("/api/v1/_test/boom")
    _error(response, 500, "server_error")
    text = response.get_data(as_text=True)
    assert "secret internal detail" not in text
    assert "Traceback" not in text


@pytest.mark.parametrize(
    "error, status, code",
    [
        (ValidationFailed(fields={"body": "Write something."}), 422, "validation_error"),
        (Forbidden(), 403, "forbidden"),
        (NotFound(), 404, "not_found"),
        (Conflict("The consultation is closed.", code="consultation_closed"), 409, "consultation_closed"),
    ],
)
def test_domain_errors_become_json_with_their_status(make_app, app, error, status, code):
    domain_app = make_app()

    def fail():
        raise error

    domain_app.add_url_rule("/api/v1/_test/fail", "test_fail", fail)
    body = _error(domain_app.test_client().get("/api/v1/_test/fail"), status, code)
    if error.fields:
        assert body["fields"] == {"body": "Write something."}
    else:
        assert "fields" not in body
    if error.message:
        assert body["message"] == error.message
