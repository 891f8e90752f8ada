"""Error responses: localized HTML pages, or JSON under /api/.

One place turns HTTP errors, domain errors, CSRF failures and rate limits
into responses, so no user input ever ends in a bare 500. A 429 says in
`Retry-After` how many seconds to wait; no successful answer carries it. A
database that cannot be reached (restarting, connections cut, pool
exhausted) answers 503 with `Retry-After`: the request's transaction is
rolled back and the pool replaces dead connections (`pool_pre_ping`), so the
next requests work as soon as the database is back.
"""
import logging

from flask import current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from forum.errors import DomainError
from forum.extensions import db, seconds_until_limit_resets
from forum.security_log import security_event

logger = logging.getLogger(__name__)

PAGE_STATUSES = (400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503)
RETRY_AFTER_SECONDS = 5  # a restarting database is usually back within seconds


def _messages():
    return {
        400: _("The request could not be understood. Please go back and try again."),
        401: _("Please log in to continue."),
        403: _("You are not allowed to do this."),
        404: _("We could not find this page."),
        405: _("This address does not accept that kind of request."),
        409: _("This cannot be done in the current state."),
        413: _("What you sent is too large."),
        422: _("Some fields are not valid."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Nothing you sent was lost; please try again."),
        503: _("The forum is briefly unavailable. Please try again in a few seconds."),
    }


def _titles():
    return {
        400: _("Bad request"),
        401: _("Login needed"),
        403: _("Access refused"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        409: _("Not possible now"),
        413: _("Too large"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        500: _("Server error"),
        503: _("Temporarily unavailable"),
    }


def wants_json():
    return request.path.startswith("/api/")


def error_response(status, code, message=None, fields=None):
    """Build the JSON or HTML answer for an error."""
    message = message or _messages().get(status, _messages()[400])
    if wants_json():
        body = {"error": {"code": code, "message": str(message)}}
        if fields:
            body["error"]["fields"] = {key: str(value) for key, value in fields.items()}
        return jsonify(body), status
    page_status = status if status in PAGE_STATUSES else 400
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=_titles()[page_status],
            message=message,
        ),
        status,
    )


def _http_error(error):
    status = error.code or 500
    code = {
        400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
        405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
        422: "validation_error", 429: "rate_limited",
    }.get(status, "error")
    # Keep what the exception says about the fix, e.g. `Allow` on a 405.
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    if status == 429:
        security_event("rate_limited", limit=str(getattr(error, "description", "")))
        if isinstance(error, RateLimitExceeded):
            headers.append(("Retry-After", str(seconds_until_limit_resets())))
    body, status = error_response(status, code)
    return body, status, headers


def _csrf_error(error):
    security_event("csrf_failed", reason=error.description)
    return error_response(
        400,
        "csrf_failed",
        _("Your form expired or was sent from elsewhere. Please go back, reload the page and send it again."),
    )


def _domain_error(error):
    body, status = error_response(error.status, error.code, error.message, error.fields)
    retry_after = getattr(error, "retry_after", None)
    return body, status, {"Retry-After": str(retry_after)} if retry_after is not None else {}


def _unexpected_error(error):
    db.session.rollback()
    logger.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "server_error")


def _database_unreachable(error):
    """Whether a database error means "cannot reach it now" rather than a bug.

    OperationalError and InterfaceError are what drivers raise for refused,
    cut and closed connections (and SQLite for a locked or unreadable file);
    SQLAlchemy marks any other error it recognised as a disconnect.
    """
    return isinstance(error, (OperationalError, InterfaceError, PoolTimeout)) or getattr(
        error, "connection_invalidated", False)


def _database_error(error):
    if not _database_unreachable(error):
        return _unexpected_error(error)
    db.session.rollback()
    # One line per failed request: an outage would otherwise fill the log with tracebacks.
    logger.warning("database unavailable on %s %s: %s", request.method, request.path,
                   str(getattr(error, "orig", None) or error).strip().splitlines()[0])
    # The page header would load the signed-in user (and their unread count) from the database.
    g._login_user = current_app.login_manager.anonymous_user()
    body, status = error_response(503, "unavailable")
    return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def init_app(app):
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(PoolTimeout, _database_error)
    app.register_error_handler(InternalServerError, _unexpected_error)
    app.register_error_handler(Exception, _unexpected_error)
