"""Reading JSON bodies: content type, malformed JSON, non-objects, NUL bytes."""
import json

import pytest
from flask import jsonify

from forum.api.body import MAX_DEPTH, json_body


@pytest.fixture
def echo(make_app, app):
    """A client of an app with a test-only route that echoes `json_body()`."""
    echo_app = make_app()
    echo_app.add_url_rule("/api/v1/_test/echo", "test_echo", lambda: jsonify(json_body()), methods=["POST"])
    return echo_app.test_client()


def _post(client, data, content_type="application/json"):
    return client.post("/api/v1/_test/echo", data=data, content_type=content_type)


def _error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"]
    return error


def test_a_json_object_is_returned_as_a_dict(echo):
    body = {"title": "Trotoar rusak", "sections": [{"heading": "Pasal 1"}], "n": 3, "ok": None}
    response = _post(echo, json.dumps(body))
    assert response.status_code == 200
    assert response.get_json() == body


def test_a_json_variant_content_type_is_accepted(echo):
    assert _post(echo, "{}", "application/merge-patch+json").status_code == 200
    assert _post(echo, "{}", "application/json; charset=utf-8").status_code == 200


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_wrong_content_type_is_415(echo, content_type):
    _error(_post(echo, '{"a": 1}', content_type), 415, "unsupported_media_type")


def test_missing_content_type_is_415(echo):
    _error(echo.post("/api/v1/_test/echo", data=b'{"a": 1}'), 415, "unsupported_media_type")


@pytest.mark.parametrize(
    "data",
    [b"", b"{", b"{'a': 1}", b'{"a": NaN}', b'{"a": Infinity}', b'{"a": "\xff\xfe"}', b'\xef\xbb\xbf{}',
     b"[" * 100_000],
    ids=["empty", "truncated", "single-quotes", "nan", "infinity", "invalid-utf8", "bom", "deep-nesting"],
)
def test_malformed_json_is_400(echo, data):
    _error(_post(echo, data), 400, "invalid_json")


@pytest.mark.parametrize("data", ["[]", "[1, 2]", '"text"', "42", "null", "true"])
def test_a_body_that_is_not_an_object_is_422(echo, data):
    _error(_post(echo, data), 422, "validation_error")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"body": "halo\u0000dunia"}, "body"),
        ({"sections": [{"heading": "ok"}, {"heading": "a\u0000"}]}, "sections.1.heading"),
        ({"answers": [["\u0000"]]}, "answers.0.0"),
        ({"title\u0000": "x"}, "title\\u0000"),
    ],
)
def test_nul_bytes_anywhere_are_422_naming_the_field(echo, body, field):
    error = _error(_post(echo, json.dumps(body)), 422, "validation_error")
    assert list(error["fields"]) == [field]


def test_lone_surrogates_are_422_naming_the_field(echo):
    error = _error(_post(echo, '{"title": "bad \\ud800 text"}'), 422, "validation_error")
    assert list(error["fields"]) == ["title"]


def test_nesting_beyond_the_limit_is_422(echo):
    nested = "x"
    for _level in range(MAX_DEPTH + 2):
        nested = [nested]
    error = _error(_post(echo, json.dumps({"deep": nested})), 422, "validation_error")
    assert len(error["fields"]) == 1


def test_a_body_over_the_size_limit_is_413_json(make_app, app):
    small = make_app(MAX_CONTENT_LENGTH=64)
    small.add_url_rule("/api/v1/_test/echo", "test_echo", lambda: jsonify(json_body()), methods=["POST"])
    response = small.test_client().post(
        "/api/v1/_test/echo", data=json.dumps({"body": "x" * 200}), content_type="application/json"
    )
    _error(response, 413, "too_large")
