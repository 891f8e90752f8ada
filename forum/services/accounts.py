"""Account life cycle: register, verify the e-mail address, log in, log out
everywhere, and reset a forgotten password.

Each verb is one transaction and callable without HTTP. Mail links carry
signed tokens (forum.services.signed_tokens) bound to the state they change:
a verification link to the e-mail address, a reset link to the password hash,
so a reset link works once. Login failures are counted per account and lock
it for a while; the message never says whether the address exists.
"""
import logging
import math
import smtplib
from functools import lru_cache

from flask import current_app, render_template, url_for
from flask_babel import format_datetime, gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from forum.errors import ValidationFailed
from forum.extensions import MAX_ID, db
from forum.forms import clean_text
from forum.mail import send_mail
from forum.models import AccountState, District, Role, User
from forum.security_log import security_event
from forum.services import transaction
from forum.services.passwords import password_problem
from forum.services.signed_tokens import TokenInvalid, fingerprint, make_token, read_token
from forum.services.users import email_taken, find_kelurahan, normalize_email
from forum.timeutil import utcnow

logger = logging.getLogger(__name__)

VERIFY_PURPOSE = "verify-email"
RESET_PURPOSE = "reset-password"
EMAIL_MAX_LENGTH = 254
NAME_MIN_LENGTH, NAME_MAX_LENGTH = 2, 80
WRONG_CREDENTIALS = _l("E-mail or password is wrong.")
EMAIL_IN_USE = _l("An account with this e-mail address already exists. Log in, or reset your password.")
CONSENT_NEEDED = _l("Please agree to the processing of your data; we cannot create an account without it.")


class LoginRefused(ValidationFailed):
    """A login was refused; `message` says why in words safe to show anyone."""

    code = "login_refused"


# -- registration -------------------------------------------------------------
def kelurahan_groups():
    """[(kecamatan name, [(kelurahan code, kelurahan name), ...]), ...] by name."""
    rows = (
        District.query.filter_by(level=District.KELURAHAN)
        .options(joinedload(District.parent))
        .order_by(District.name)
        .all()
    )
    groups = {}
    for row in rows:
        groups.setdefault(row.parent.name, []).append((row.code, row.name))
    return sorted(groups.items())


def register(email, display_name, district_code, password, consent):
    """Create an unverified resident account and mail its verification link."""
    # Callers other than the web forms (API, CLI) may pass control characters.
    email = normalize_email(clean_text(email))
    display_name = clean_text(display_name or "").strip()
    problems = {}
    if "@" not in email or len(email) > EMAIL_MAX_LENGTH:
        problems["email"] = _l("Enter a valid e-mail address.")
    elif email_taken(email):
        problems["email"] = EMAIL_IN_USE
    if not NAME_MIN_LENGTH <= len(display_name) <= NAME_MAX_LENGTH:
        problems["display_name"] = _l(
            "Use between %(min)d and %(max)d characters.", min=NAME_MIN_LENGTH, max=NAME_MAX_LENGTH
        )
    district = None
    try:
        district = find_kelurahan(clean_text(district_code))
    except ValidationFailed as error:
        problems.update(error.fields)
    if district is None and "district" not in problems:
        problems["district"] = _l("Choose the kelurahan where you live.")
    problem = password_problem(password or "", email, display_name)
    if problem:
        problems["password"] = problem
    if not consent:
        problems["consent"] = CONSENT_NEEDED
    if problems:
        raise ValidationFailed(fields=problems)

    now = utcnow()
    user = User(
        email=email,
        display_name=display_name,
        role=Role.RESIDENT,
        district=district,
        consent_at=now,
        consent_version=current_app.config["CONSENT_VERSION"],
    )
    user.set_password(password)
    try:
        with transaction():
            db.session.add(user)
    except IntegrityError:
        # Two registrations for one address at the same moment: the unique
        # constraint lets only one through.
        raise ValidationFailed(fields={"email": EMAIL_IN_USE}) from None
    security_event("registered", user=user)
    send_verification_mail(user)
    return user


# -- e-mail verification ------------------------------------------------------
def _verify_fingerprint(user):
    return fingerprint(user.email)


def send_verification_mail(user):
    """Mail `user` a link that confirms their current address; True if sent."""
    token = make_token(VERIFY_PURPOSE, {"user": user.id, "fp": _verify_fingerprint(user)})
    return _deliver(
        user,
        _("Confirm your e-mail address for Musyawarah"),
        "mail/verify_email.txt",
        link=url_for("auth.verify_email", token=token, _external=True),
        days=current_app.config["TOKEN_MAX_AGE_VERIFY"].days,
    )


def resend_verification(user):
    """Send a new verification link unless the address is already confirmed.

    Returns True when a mail went out, False when nothing was needed or the
    mail could not be sent.
    """
    if user.is_verified:
        return False
    security_event("verification_resent", user=user)
    return send_verification_mail(user)


def verify_email(token):
    """Confirm the address a verification token names; return (user, newly_verified)."""
    user = _user_for_token(VERIFY_PURPOSE, token, "TOKEN_MAX_AGE_VERIFY", _verify_fingerprint)
    if user.is_verified:
        return user, False
    with transaction():
        user.email_verified_at = utcnow()
    security_event("email_verified", user=user)
    return user, True


# -- login and logout ---------------------------------------------------------
@lru_cache(maxsize=2)
def _decoy_hash(method):
    """A hash of the accounts' own cost, so an unknown e-mail takes as long as a wrong password."""
    return generate_password_hash("decoy password for unknown accounts", method=method)


def _find_login_user(email):
    """The live account for `email`, row-locked so failure counts add up."""
    address = normalize_email(clean_text(email))
    if not address:
        return None
    return (
        User.query.filter(func.lower(User.email) == address, User.deleted_at.is_(None))
        .order_by(User.id)
        .with_for_update()
        .execution_options(populate_existing=True)
        .first()
    )


def authenticate(email, password):
    """Return the user for a correct e-mail and password, or raise LoginRefused.

    Order matters: a locked account is refused before its password is
    checked, and the account state is only revealed to someone who knows
    the password. One transaction holds the account's row lock from the
    look-up on: a refusal rolls it back, except a wrong password, whose
    count is committed before it is refused.
    """
    config = current_app.config
    now = utcnow()
    with transaction():
        user = _find_login_user(email)
        if user is None:
            # Spend the same time as a real check, so timing does not tell
            # which addresses have an account.
            check_password_hash(_decoy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
            security_event("login_failed", email_hash=fingerprint(normalize_email(clean_text(email))))
            raise LoginRefused(WRONG_CREDENTIALS)
        if user.locked_until is not None and user.locked_until > now:
            security_event("login_locked", user=user, phase="refused")
            raise LoginRefused(_locked_message(user.locked_until, now))
        failure = None if user.check_password(password or "") else _count_failure(user, now, config)
        if failure is None:
            _admit(user, now)
    if failure is not None:
        event, details, refusal = failure
        security_event(event, user=user, **details)
        raise refusal
    security_event("login_ok", user=user)
    return user


def _count_failure(user, now, config):
    """Count a wrong password, locking the account at the limit; return (event, details, refusal)."""
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= config["LOGIN_MAX_FAILURES"]:
        # The count starts again once the lock is over.
        user.failed_logins = 0
        user.locked_until = now + config["LOGIN_LOCKOUT"]
        return ("login_locked", {"until": user.locked_until.isoformat()},
                LoginRefused(_locked_message(user.locked_until, now)))
    return "login_failed", {"failures": user.failed_logins}, LoginRefused(WRONG_CREDENTIALS)


def _admit(user, now):
    """The password was right: refuse a suspended or banned account, else record the login."""
    refusal = _state_refusal(user, now)
    if refusal:
        security_event("login_refused_state", user=user, state=user.state)
        raise LoginRefused(refusal)
    if user.state == AccountState.SUSPENDED:
        # The suspension has run out: the account is active again.
        user.state, user.state_until, user.state_reason = AccountState.ACTIVE, None, None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now


def _locked_message(until, now):
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return ngettext(
        "Too many wrong passwords. For your safety this account is locked; try again in %(num)d minute.",
        "Too many wrong passwords. For your safety this account is locked; try again in %(num)d minutes.",
        minutes,
    )


def _state_refusal(user, now):
    """The message refusing a suspended or banned account, or None."""
    if user.state == AccountState.BANNED:
        message = _("This account is banned and cannot log in.")
    elif user.state == AccountState.SUSPENDED and (user.state_until is None or user.state_until > now):
        if user.state_until is None:
            message = _("This account is suspended and cannot log in.")
        else:
            message = _(
                "This account is suspended until %(until)s.", until=format_datetime(user.state_until, "medium")
            )
    else:
        return None
    if user.state_reason:
        message = " ".join((message, _("Reason: %(reason)s", reason=user.state_reason)))
    return message


def logout_everywhere(user):
    """End every session and remember-me cookie of `user` at once."""
    with transaction():
        user.rotate_session_token()
    security_event("logout", user=user)


# -- password reset -----------------------------------------------------------
def _reset_fingerprint(user):
    return fingerprint(user.password_hash)


def request_password_reset(email):
    """Mail a reset link if `email` belongs to a live account; return nothing.

    The caller answers the same way either way, so nobody learns from it
    whether an address has an account.
    """
    address = normalize_email(clean_text(email))
    user = (
        User.query.filter(func.lower(User.email) == address, User.deleted_at.is_(None)).order_by(User.id).first()
        if address
        else None
    )
    if user is None:
        security_event("password_reset_unknown", email_hash=fingerprint(address))
        return
    token = make_token(RESET_PURPOSE, {"user": user.id, "fp": _reset_fingerprint(user)})
    hours = int(current_app.config["TOKEN_MAX_AGE_RESET"].total_seconds() // 3600)
    security_event("password_reset_requested", user=user)
    _deliver(
        user,
        _("Choose a new password for Musyawarah"),
        "mail/reset_password.txt",
        link=url_for("auth.reset_password", token=token, _external=True),
        hours=max(1, hours),
    )


def user_for_reset_token(token):
    """The user a reset link is for; raises TokenExpired or TokenInvalid."""
    return _user_for_token(RESET_PURPOSE, token, "TOKEN_MAX_AGE_RESET", _reset_fingerprint)


def reset_password(token, password):
    """Set a new password through a reset link; ends every session; return the user.

    The account's row stays locked from the look-up until the new password is committed (or refused).
    """
    with transaction():
        user = _user_for_token(RESET_PURPOSE, token, "TOKEN_MAX_AGE_RESET", _reset_fingerprint, lock=True)
        problem = password_problem(password or "", user.email, user.display_name)
        if problem:
            raise ValidationFailed(fields={"password": problem})
        user.set_password(password)
        user.rotate_session_token()
        user.failed_logins = 0
        user.locked_until = None
    security_event("password_reset", user=user)
    return user


# -- shared helpers -----------------------------------------------------------
def _user_for_token(purpose, token, max_age_setting, fingerprint_of, lock=False):
    """Check a mailed token and return its live user, or raise TokenExpired/TokenInvalid."""
    payload = read_token(purpose, token, current_app.config[max_age_setting])
    user_id = payload.get("user") if isinstance(payload, dict) else None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id <= MAX_ID:
        raise TokenInvalid()
    query = User.query.filter_by(id=user_id).execution_options(populate_existing=True)
    user = (query.with_for_update() if lock else query).one_or_none()
    if user is None or user.is_deleted or payload.get("fp") != fingerprint_of(user):
        raise TokenInvalid()
    return user


def _deliver(user, subject, template, **context):
    """Send one templated mail; a mail server failure is logged, not raised.

    The account change has already been committed; the person can ask for
    the mail again, which is better than an error page.
    """
    body = render_template(template, user=user, **context)
    try:
        send_mail(user.email, subject, body)
    except (OSError, smtplib.SMTPException):
        logger.exception("could not send %s to user %s", template, user.id)
        return False
    return True
