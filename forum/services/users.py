"""Account administration: create, list and change accounts (role, agency, state).

Used by the CLI (`create-user`) and the admin pages; permission checks are
made here for callers that act as a user (the CLI acts as the operator).
"""
from datetime import datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from forum.errors import NotFound, ValidationFailed
from forum.extensions import db
from forum.forms import clean_text
from forum.models import AccountState, Agency, District, Role, User
from forum.permissions import require
from forum.services import transaction
from forum.services.passwords import password_problem
from forum.timeutil import CITY_ZONE, to_city_time, utcnow

USERS_PER_PAGE = 25
MAX_PAGE = 100_000  # beyond any real list; keeps OFFSET inside the database's integer range
QUERY_MAX_LENGTH = 254
MAX_SANCTION = timedelta(days=3653)
DELETED = "deleted"  # a filter value beside the account states: `deleted_at` is set
REASON_MAX_LENGTH = 500
TIMED_STATES = (AccountState.SILENCED, AccountState.SUSPENDED)
ROLE_LABELS = {
    Role.RESIDENT: _l("Resident"),
    Role.OFFICIAL: _l("Official"),
    Role.MODERATOR: _l("Moderator"),
    Role.ADMIN: _l("Administrator"),
    Role.DESK: _l("Service desk officer"),
}


def normalize_email(email):
    return (email or "").strip().lower()


def email_taken(email, except_user=None):
    query = User.query.filter(func.lower(User.email) == normalize_email(email))
    if except_user is not None:
        query = query.filter(User.id != except_user.id)
    return db.session.query(query.exists()).scalar()


def find_agency(code):
    agency = Agency.query.filter_by(code=code).one_or_none() if code else None
    if code and agency is None:
        raise ValidationFailed(fields={"agency": _l("Unknown agency code.")})
    return agency


def find_kelurahan(code):
    district = District.query.filter_by(code=code, level=District.KELURAHAN).one_or_none() if code else None
    if code and district is None:
        raise ValidationFailed(fields={"district": _l("Unknown kelurahan code.")})
    return district


def _check_role_fields(role, agency, kelurahan=None):
    if role not in Role.ALL:
        raise ValidationFailed(fields={"role": _l("Unknown role.")})
    if role == Role.OFFICIAL and agency is None:
        raise ValidationFailed(fields={"agency": _l("An official must belong to an agency.")})
    if role == Role.DESK and kelurahan is None:
        raise ValidationFailed(fields={"district": _l("A service desk officer must belong to a kelurahan.")})


def create_user(email, role, password, display_name=None, agency_code=None, district_code=None):
    """Create a verified account (operator action); return the new user."""
    email = normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise ValidationFailed(fields={"email": _l("Enter a valid e-mail address.")})
    if email_taken(email):
        raise ValidationFailed(fields={"email": _l("An account with this e-mail address already exists.")})
    agency = find_agency(agency_code)
    kelurahan = find_kelurahan(district_code)
    _check_role_fields(role, agency, kelurahan)
    problem = password_problem(password, email, display_name)
    if problem:
        raise ValidationFailed(fields={"password": problem})
    now = utcnow()
    user = User(
        email=email,
        display_name=(display_name or email.split("@")[0])[:80],
        role=role,
        agency=agency if role == Role.OFFICIAL else None,
        district=kelurahan,
        email_verified_at=now,
    )
    user.set_password(password)
    with transaction():
        db.session.add(user)
    return user


def _like_pattern(text):
    """A LIKE pattern matching `text` anywhere, with `%`, `_` and `\\` literal."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_users(actor, query="", role=None, state=None, page=1, per_page=USERS_PER_PAGE):
    """Admin: one page of accounts, newest first, filtered by text, role and state.

    `query` matches e-mail or display name (case-insensitive, literally);
    `state` is an `AccountState` value or `DELETED`. Unknown filter values
    mean "any", since they come from a URL anyone can edit.
    """
    require(actor, "admin.users")
    statement = select(User).options(joinedload(User.agency), joinedload(User.district))
    query = clean_text(query or "").strip()[:QUERY_MAX_LENGTH]
    if query:
        pattern = _like_pattern(query)
        statement = statement.where(
            or_(User.email.ilike(pattern, escape="\\"), User.display_name.ilike(pattern, escape="\\"))
        )
    if role in Role.ALL:
        statement = statement.where(User.role == role)
    if state == DELETED:
        statement = statement.where(User.deleted_at.is_not(None))
    elif state in AccountState.ALL:
        statement = statement.where(User.state == state, User.deleted_at.is_(None))
    statement = statement.order_by(User.created_at.desc(), User.id.desc())
    page = min(max(page or 1, 1), MAX_PAGE)
    return db.paginate(statement, page=page, per_page=per_page, error_out=False, count=True)


def _sanction_end(until):
    """The end of the chosen day in the city's zone, as aware UTC; None stays None.

    A date means "through that day": an account silenced until 5 March may
    write again from 6 March, 00:00 WIB.
    """
    if until is None:
        return None
    if isinstance(until, datetime):
        return until
    today = to_city_time(utcnow()).date()
    if not today <= until <= today + MAX_SANCTION:
        raise ValidationFailed(
            fields={"state_until": _l("Choose a date from today up to ten years ahead.")}
        )
    return datetime.combine(until + timedelta(days=1), time.min, tzinfo=CITY_ZONE).astimezone(timezone.utc)


def change_user_roles(actor, user, role, agency_code=None, state=None, state_reason=None, state_until=None,
                      district_code=None):
    """Admin: set role, agency and account state in one transaction.

    A desk officer needs a kelurahan (`district_code`, or the one the account
    already has); an empty code leaves the account's kelurahan as it is.

    `state_until` (a date, or an aware datetime) limits a silence or a
    suspension; it is dropped for the other states. Admins can neither remove
    their own admin role nor restrict their own account.
    """
    require(actor, "admin.users", user)
    if user is None or user.is_deleted:
        raise NotFound()
    agency = find_agency(agency_code)
    kelurahan = find_kelurahan(district_code) or user.district
    _check_role_fields(role, agency, kelurahan)
    if state is not None and state not in AccountState.ALL:
        raise ValidationFailed(fields={"state": _l("Unknown account state.")})
    if user.id == actor.id and role != Role.ADMIN:
        raise ValidationFailed(fields={"role": _l("You cannot remove your own admin role.")})
    if user.id == actor.id and state not in (None, AccountState.ACTIVE):
        raise ValidationFailed(fields={"state": _l("You cannot restrict your own account.")})
    reason = clean_text(state_reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationFailed(
            fields={"state_reason": _l("Use at most %(max)d characters.", max=REASON_MAX_LENGTH)}
        )
    until = _sanction_end(state_until) if state in TIMED_STATES else None
    # Every check is done: from here on nothing can fail half-way.
    with transaction():
        user.role = role
        user.agency = agency if role == Role.OFFICIAL else None
        user.district = kelurahan
        if state is not None:
            if state in (AccountState.SUSPENDED, AccountState.BANNED) and state != user.state:
                user.rotate_session_token()
            user.state = state
            user.state_until = until
            # An active account carries no sanction reason that could still be shown.
            user.state_reason = (reason or None) if state != AccountState.ACTIVE else None
    return user
