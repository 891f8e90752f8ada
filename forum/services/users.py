"""Account administration: create accounts, change role, agency and state.

Used by the CLI (`create-user`) and the admin pages; permission checks are
made here for callers that act as a user (the CLI acts as the operator).
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from forum.errors import NotFound, ValidationFailed
from forum.extensions import db
from forum.models import AccountState, Agency, District, Role, User
from forum.permissions import require
from forum.services.passwords import password_problem
from forum.timeutil import utcnow


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


def _check_role_fields(role, agency):
    if role not in Role.ALL:
        raise ValidationFailed(fields={"role": _l("Unknown role.")})
    if role == Role.OFFICIAL and agency is None:
        raise ValidationFailed(fields={"agency": _l("An official must belong to an agency.")})


def create_user(email, role, password, display_name=None, agency_code=None, district_code=None):
    """Create a verified account (operator action); return the new user."""
    email = normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise ValidationFailed(fields={"email": _l("Enter a valid e-mail address.")})
    if email_taken(email):
        raise ValidationFailed(fields={"email": _l("An account with this e-mail address already exists.")})
    agency = find_agency(agency_code)
    _check_role_fields(role, agency)
    problem = password_problem(password, email, display_name)
    if problem:
        raise ValidationFailed(fields={"password": problem})
    now = utcnow()
    user = User(
        email=email,
        display_name=(display_name or email.split("@")[0])[:80],
        role=role,
        agency=agency if role == Role.OFFICIAL else None,
        district=find_kelurahan(district_code),
        email_verified_at=now,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def change_user_roles(actor, user, role, agency_code=None, state=None, state_reason=None):
    """Admin: set role, agency and account state in one transaction."""
    require(actor, "admin.users", user)
    if user is None or user.is_deleted:
        raise NotFound()
    agency = find_agency(agency_code)
    _check_role_fields(role, agency)
    if state is not None and state not in AccountState.ALL:
        raise ValidationFailed(fields={"state": _l("Unknown account state.")})
    if user.id == actor.id and role != Role.ADMIN:
        raise ValidationFailed(fields={"role": _l("You cannot remove your own admin role.")})
    user.role = role
    user.agency = agency if role == Role.OFFICIAL else None
    if state is not None and state != user.state:
        user.state = state
        user.state_reason = state_reason or None
        if state in (AccountState.SUSPENDED, AccountState.BANNED):
            user.rotate_session_token()
    db.session.commit()
    return user
