"""Read a request's JSON object body, refusing what could never be stored.

Wrong content type -> 415, malformed JSON (or not UTF-8, or NaN) -> 400, a
body that is not an object or nests too deeply -> 422, and any string holding
a NUL byte or a lone surrogate (both valid JSON, neither storable as text on
PostgreSQL) -> 422 naming the field, e.g. `sections.0.heading`.
"""
import json

from flask import request
from flask_babel import gettext as _

from forum.errors import DomainError, ValidationFailed

MAX_DEPTH = 16


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


class InvalidJson(DomainError):
    status = 400
    code = "invalid_json"


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def _parse(raw):
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        # UnicodeDecodeError and JSONDecodeError are both ValueErrors.
        raise InvalidJson(_("The body is not valid JSON (UTF-8).")) from None


def _text_problem(text):
    if "\x00" in text:
        return _("This must not contain a NUL character.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("This contains an invalid character (a lone surrogate).")
    return None


def _check(value, path, depth, problems):
    """Collect a problem per field path; stop descending past MAX_DEPTH."""
    if depth > MAX_DEPTH:
        problems[path] = _("This is nested too deeply.")
        return
    if isinstance(value, str):
        problem = _text_problem(value)
        if problem:
            problems[path] = problem
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            problem = _text_problem(key)
            if problem:
                problems[child] = problem
            else:
                _check(item, child, depth + 1, problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{path}.{index}" if path else str(index), depth + 1, problems)


def json_body():
    """Return the request body as a dict, or raise a domain error (a 4xx)."""
    if not request.is_json:
        raise UnsupportedMediaType(_("Send the body as JSON with the header Content-Type: application/json."))
    data = _parse(request.get_data(cache=True))
    if not isinstance(data, dict):
        raise ValidationFailed(_("The body must be a JSON object."))
    problems = {}
    _check(data, "", 0, problems)
    if problems:
        raise ValidationFailed(fields={_printable(key): message for key, message in problems.items()})
    return data


def _printable(path):
    """A field name safe to echo back: the offending characters themselves are escaped."""
    return path.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\u0000")
