"""Flask extensions, created unbound here and bound in `create_app`.

Every write request (POST, PUT, PATCH, DELETE) anywhere in the app counts
against one limit, RATELIMIT_WRITE, per writer: the signed-in account (in
the API, the bearer token's account), or the address of someone signed out
or sending a refused token (many residents share a mobile carrier's address,
so accounts are not counted by it). Logins, registration, password resets,
exports and the live similar-aspirations list have limits of their own on
their routes as well. The address is the client's as `TRUSTED_PROXIES`
proxies pass it on (`create_app` applies Werkzeug's `ProxyFix`).
"""
import math
import time

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import ApplicationLimit, Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

# A naming convention gives every constraint a stable name, so Alembic can
# drop and alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
MAX_ID = 2**31 - 1  # ids past a 32-bit integer cannot exist; databases refuse to compare them
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _write_limit():
    return current_app.config["RATELIMIT_WRITE"]


def _writer():
    """Whom the write limit counts: the writing account, else the address."""
    if request.blueprint == "api":
        # The limit is checked before the API's own authentication hook, and
        # the API ignores cookies: ask for the token's account (looked up once
        # a request). Imported here: forum.sessions builds on this module.
        from forum.sessions import token_account

        account = token_account()
    else:
        account = current_user if current_user and current_user.is_authenticated else None
    return f"account-{account.id}" if account is not None else get_remote_address()


def seconds_until_limit_resets():
    """Seconds until the limit the request broke lets it through again (for `Retry-After`, at least 1)."""
    broken = limiter.current_limit
    return max(math.ceil(broken.window.reset_time - time.time()), 1) if broken is not None else 1


limiter = Limiter(key_func=get_remote_address,
                  application_limits=[ApplicationLimit(_write_limit, key_function=_writer, methods=WRITE_METHODS,
                                                       scope="writes")])
