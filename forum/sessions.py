"""Flask-Login wiring: sessions carry the user's rotating session token."""
from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from forum.extensions import db
from forum.models.people import AccountState, User


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
