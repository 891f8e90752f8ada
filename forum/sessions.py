"""Who the request is: a Flask-Login session (carrying the user's rotating session token) or an API bearer token."""
from flask import flash, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from forum.extensions import db
from forum.models.people import AccountState, User
from forum.services.tokens import user_for_token


def load_user(identity):
    """Return the user for `id:session_token`, or None when it is stale."""
    user_id, _, token = (identity or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token or user.is_deleted:
        return None
    if user.state in (AccountState.SUSPENDED, AccountState.BANNED) and not _sanction_over(user):
        return None
    return user


def _sanction_over(user):
    from forum.timeutil import utcnow

    return user.state == AccountState.SUSPENDED and user.state_until is not None and user.state_until <= utcnow()


def _unauthorized():
    if request.blueprint == "api":
        from forum.errors import NotAuthenticated

        raise NotAuthenticated()
    flash(_l("Please log in to continue."), "info")
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def init_app(app, login_manager):
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = "basic"


def _user_for_header(header):
    scheme, _space, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    user = user_for_token(token.strip())
    # A token works only while its account could hold a session: not deleted,
    # not suspended or banned (the one rule lives in `load_user`).
    if user is None or load_user(user.get_id()) is None:
        return None
    return user


def token_account():
    """The account of the request's `Authorization` header: None without one or for a refused token.

    Looked up once a request: the write limit (forum/extensions.py) asks
    before the API's `authenticate` hook (forum/api/auth.py) runs, and both
    get the same answer.
    """
    if "api_token_account" not in g:
        header = request.headers.get("Authorization")
        g.api_token_account = None if header is None else _user_for_header(header)
    return g.api_token_account
