"""Bearer-token authentication: under /api/v1 only the token says who calls.

Cookies are ignored: a request is anonymous unless it carries
`Authorization: Bearer TOKEN`, and `current_user` is set to the token's
account (or anonymous) before any view runs. That is what makes it safe to
exempt the API from CSRF: a cross-site request can ride a browser's cookie,
never its token. A token that is sent but not valid is refused with 401 on
every route, public reads included, so a client never mistakes a revoked
token for anonymous access.
"""
from functools import wraps

from flask import current_app, g, request
from flask_babel import gettext as _

from forum.api import bp
from forum.api.openapi import TOKEN_REQUIRED_ATTR
from forum.errors import NotAuthenticated
from forum.sessions import token_account

REALM = "musyawarah"


def api_user():
    """The account of the request's bearer token, or None for an anonymous call."""
    return g.get("api_user")


def token_required(view):
    """Answer 401 `not_authenticated` unless the request carries a valid token."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if api_user() is None:
            raise NotAuthenticated(_("This needs an API token: send the header Authorization: Bearer TOKEN."))
        return view(*args, **kwargs)

    setattr(wrapper, TOKEN_REQUIRED_ATTR, True)
    return wrapper


@bp.before_request
def authenticate():
    g.api_user = None
    g.api_token_refused = False
    # Flask-Login reads `g._login_user` before it looks at the session cookie.
    g._login_user = current_app.login_manager.anonymous_user()
    if request.headers.get("Authorization") is None:
        return
    user = token_account()
    if user is None:
        g.api_token_refused = True
        raise NotAuthenticated(_("The API token is invalid or has been revoked."))
    g.api_user = g._login_user = user


@bp.after_request
def challenge(response):
    """RFC 6750: a 401 names the Bearer scheme; answers depend on the token."""
    if response.status_code == 401:
        value = f'Bearer realm="{REALM}"'
        if g.get("api_token_refused"):
            value += ', error="invalid_token"'
        response.headers["WWW-Authenticate"] = value
    response.vary.add("Authorization")
    if g.get("api_user") is not None:
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response
