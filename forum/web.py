"""Cross-cutting web behaviour: security headers, template helpers, CSRF mode.

Every response gets a strict Content-Security-Policy (no inline script, no
inline style), nosniff, a referrer policy, frame denial and, in production,
HSTS. Templates get the current language, the language list and date filters.
"""
from urllib.parse import urlsplit

from flask import request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from forum.extensions import MAX_ID, csrf, login_manager
from forum.permissions import require
from forum.timeutil import to_city_time

FORM_INVALID = 422  # a form re-rendered with the typed text kept and each problem named

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def restrict_blueprint(blueprint, permission):
    """Every page of `blueprint` needs a signed-in account with `permission` (visitors go to the login page)."""

    @blueprint.before_request
    def _signed_in_with_permission():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        require(current_user, permission)
        return None


def signed_in_user():
    """The signed-in account, or None for a visitor (services take None as "nobody")."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def id_arg(name, default=None):
    """A positive id from the query string; `default` when absent, malformed or past any stored id."""
    value = request.args.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID else default


def form_checks_csrf(view):
    """Mark a view whose FlaskForm checks the CSRF token itself.

    The global check would answer a bare 400; a form view instead re-renders
    with the user's text kept and the token error named. Only views that call
    `form.validate_on_submit()` before any change may use this.
    """
    return csrf.exempt(view)


def show_service_errors(form, error):
    """Put a service's `ValidationFailed` onto the form being re-rendered.

    Field errors go to their field; errors for fields the form lacks, and the
    error's own message, become form-level errors shown by `form_errors()`.
    """
    for name, message in error.fields.items():
        if name in form:
            form[name].errors = list(form[name].errors) + [message]
        else:
            form.form_errors.append(message)
    if error.message:
        form.form_errors.append(error.message)


def safe_next_url(target, fallback="/"):
    """Return `target` if it is a local path, else `fallback` (no open redirect)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return fallback
    return target


def _set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if _hsts_enabled():
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def _hsts_enabled():
    from flask import current_app

    return current_app.config.get("HSTS_ENABLED", False)


def _template_context():
    from flask import current_app

    return {
        "current_language": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
        "languages": current_app.config["LANGUAGES"],
    }


def _city_datetime(moment, style="medium"):
    return format_datetime(to_city_time(moment), style) if moment else ""


def _city_date(moment, style="medium"):
    return format_date(to_city_time(moment), style) if moment else ""


def init_app(app):
    app.after_request(_set_security_headers)
    app.context_processor(_template_context)
    app.jinja_env.filters["city_datetime"] = _city_datetime
    app.jinja_env.filters["city_date"] = _city_date
    app.jinja_env.globals["request_path"] = lambda: request.full_path.rstrip("?")
