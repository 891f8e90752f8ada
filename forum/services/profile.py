"""A person's own account: profile, password, e-mail, data export, deletion.

Every verb takes the acting user first and checks `account.manage` on the
account it changes, so an admin tool may reuse them. Verbs that change
credentials ask for the current password again (re-authentication) and
rotate the session token, which ends every other session and remember-me
cookie; the web layer signs the current browser back in.
"""
import json
import logging
import secrets

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from forum.errors import Conflict, DomainError, ValidationFailed
from forum.exports.files import ExportFile
from forum.extensions import db
from forum.models import ApiToken, Content, Role, User
from forum.permissions import require
from forum.security_log import security_event
from forum.services import transaction
from forum.services.passwords import password_problem
from forum.services.signed_tokens import (
    TokenExpired,
    fingerprint,
    make_token,
    read_token,
)
from forum.services.users import email_taken, find_kelurahan, normalize_email
from forum.timeutil import isoformat, utcnow

logger = logging.getLogger(__name__)

EMAIL_CHANGE_PURPOSE = "email-change"
DISPLAY_NAME_MAX = 80
EMAIL_MAX = 254


# -- shared checks -------------------------------------------------------------
def _check_current_password(user, password, field):
    """Re-authentication: raise a field error unless `password` is the user's."""
    if not password or not user.check_password(password):
        security_event("reauthentication_failed", user=user)
        raise ValidationFailed(fields={field: _l("This is not your current password.")})


def display_author(user):
    """The name shown for an author: "Deleted account" once the account is gone."""
    if user is None:
        return ""
    if user.is_deleted:
        return _("Deleted account")
    return user.display_name


# -- profile -----------------------------------------------------------------
def _plain_code(code):
    """A code worth looking up: short printable text (PostgreSQL refuses NUL bytes)."""
    return isinstance(code, str) and len(code) <= 80 and code.isprintable()


def update_profile(actor, user, display_name, district_code, locale):
    """Change the display name, the kelurahan and the preferred language."""
    require(actor, "account.manage", user)
    display_name = (display_name or "").strip()
    errors = {}
    if not display_name:
        errors["display_name"] = _l("This field is required.")
    elif len(display_name) > DISPLAY_NAME_MAX:
        errors["display_name"] = _l("Use at most %(max)d characters.", max=DISPLAY_NAME_MAX)
    if locale not in current_app.config["LANGUAGES"]:
        errors["locale"] = _l("Choose one of the offered languages.")
    district = None
    if district_code and not _plain_code(district_code):
        errors["district"] = _l("Unknown kelurahan code.")
    elif district_code:
        try:
            district = find_kelurahan(district_code)
        except ValidationFailed as error:
            errors.update(error.fields)
    elif user.role == Role.RESIDENT:
        errors["district"] = _l("Choose the kelurahan where you live.")
    if errors:
        raise ValidationFailed(fields=errors)
    if user.role == Role.DESK:
        district = user.district  # a desk officer's kelurahan is the desk they serve: set by admins only
    with transaction():
        user.display_name = display_name
        user.district = district
        user.locale = locale
    return user


# -- password ----------------------------------------------------------------
def change_password(actor, user, current_password, new_password):
    """Set a new password after checking the current one; end other sessions."""
    require(actor, "account.manage", user)
    _check_current_password(user, current_password, "current_password")
    problem = password_problem(new_password or "", user.email, user.display_name)
    if problem:
        raise ValidationFailed(fields={"new_password": problem})
    with transaction():
        user.set_password(new_password)
        user.rotate_session_token()
    security_event("password_changed", user=user)
    return user


# -- e-mail address ----------------------------------------------------------
def request_email_change(actor, user, new_email, current_password):
    """Mail a confirmation link to the new address and a notice to the old one.

    Nothing changes until the link is opened: the address must be proven
    reachable, and the old address learns of the request in case it was
    not its owner's.
    """
    require(actor, "account.manage", user)
    new_email = normalize_email(new_email)
    _check_current_password(user, current_password, "password")
    if "@" not in new_email or len(new_email) > EMAIL_MAX:
        raise ValidationFailed(fields={"email": _l("Enter a valid e-mail address.")})
    if new_email == normalize_email(user.email):
        raise ValidationFailed(fields={"email": _l("This is already your e-mail address.")})
    if email_taken(new_email, except_user=user):
        raise ValidationFailed(fields={"email": _l("An account with this e-mail address already exists.")})
    token = make_token(
        EMAIL_CHANGE_PURPOSE,
        {"user": user.id, "email": new_email, "fp": fingerprint(user.email)},
    )
    link = url_for("account.confirm_email_change", token=token, _external=True)
    max_age_days = current_app.config["TOKEN_MAX_AGE_VERIFY"].days
    _send(
        new_email,
        _("Confirm your new e-mail address for Musyawarah"),
        "mail/email_change_confirm.txt",
        user=user, link=link, days=max_age_days,
    )
    _send(
        user.email,
        _("A change of your Musyawarah e-mail address was requested"),
        "mail/email_change_notice.txt",
        user=user, new_email=new_email,
        password_link=url_for("account.change_password", _external=True),
    )
    security_event("email_change_requested", user=user)
    return new_email


def _send(to, subject, template, **context):
    from forum.mail import send_mail

    try:
        send_mail(to, subject, render_template(template, **context))
    except OSError:
        # SMTP trouble is not the user's fault: keep their input and say so.
        logger.exception("could not send the e-mail change mail")
        raise ValidationFailed(
            fields={"email": _l("We could not send mail right now. Please try again later.")}
        ) from None


def confirm_email_change(token):
    """Apply the change a link from `request_email_change` carries; return the user.

    The link is its own proof (signed, expiring, bound to the address it
    replaces), so it works in a browser where nobody is signed in.
    """
    try:
        payload = read_token(EMAIL_CHANGE_PURPOSE, token, current_app.config["TOKEN_MAX_AGE_VERIFY"])
    except TokenExpired:
        raise DomainError(
            _("This confirmation link has expired. Please request the change again from your profile."),
            code="token_expired",
        ) from None
    except ValidationFailed:
        raise _invalid_link() from None
    if not isinstance(payload, dict):
        raise _invalid_link()
    user = db.session.get(User, payload.get("user")) if isinstance(payload.get("user"), int) else None
    new_email = payload.get("email")
    if user is None or user.is_deleted or not isinstance(new_email, str):
        raise _invalid_link()
    if payload.get("fp") != fingerprint(user.email):  # used already, or the address changed since
        raise _invalid_link()
    if email_taken(new_email, except_user=user):
        raise _address_taken()
    try:
        with transaction():
            user.email = new_email
            user.email_verified_at = utcnow()
            user.rotate_session_token()
    except IntegrityError:
        # Another account took the address between the check and the commit.
        raise _address_taken() from None
    security_event("email_changed", user=user)
    return user


def _address_taken():
    return Conflict(
        _("Another account now uses this e-mail address, so it cannot be moved to yours."),
        code="email_taken",
    )


def _invalid_link():
    return DomainError(
        _("This confirmation link is not valid or has already been used."),
        code="token_invalid",
    )


# -- data export -------------------------------------------------------------
def account_fields(user):
    """The account as plain data, for its owner (API `/me`, data download)."""
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "agency": user.agency.code if user.agency else None,
        "district": user.district.code if user.district else None,
        "state": user.state,
        "locale": user.locale,
        "created_at": isoformat(user.created_at),
    }


def export_data(actor, user):
    """Everything stored about `user` and everything they wrote, as plain data.

    Secrets (password hash, session token, token digests) are never part of it.
    Content is read through the `Content` supertype so every kind is included.
    """
    require(actor, "account.manage", user)
    tokens = ApiToken.query.filter_by(user_id=user.id).order_by(ApiToken.id).all()
    contents = Content.query.filter_by(author_id=user.id).order_by(Content.id).all()
    return {
        "account": {
            **account_fields(user),
            "email_verified_at": isoformat(user.email_verified_at),
            "consent_at": isoformat(user.consent_at),
            "consent_version": user.consent_version,
            "last_login_at": isoformat(user.last_login_at),
        },
        "api_tokens": [
            {
                "name": token.name,
                "created_at": isoformat(token.created_at),
                "last_used_at": isoformat(token.last_used_at),
                "revoked_at": isoformat(token.revoked_at),
            }
            for token in tokens
        ],
        "content": [
            {
                "id": item.id,
                "kind": item.kind,
                "status": item.status,
                "body_source": item.body_source,
                "created_at": isoformat(item.created_at),
                "edited_at": isoformat(item.edited_at),
            }
            for item in contents
        ],
        "exported_at": isoformat(utcnow()),
    }


def data_file(actor, user):
    """`export_data` as the JSON file the account page sends."""
    name = f"musyawarah-data-{user.id}.json"
    content = json.dumps(export_data(actor, user), ensure_ascii=False, indent=2).encode("utf-8")
    # The name is plain ASCII, so the short form this download has always sent says all.
    return ExportFile(name, "application/json", content=content,
                      headers={"Content-Disposition": f"attachment; filename={name}"})


# -- deletion ----------------------------------------------------------------
def delete_account(actor, user, current_password, confirmed):
    """Anonymize the account for good; what it wrote stays, without a name."""
    require(actor, "account.manage", user)
    errors = {}
    if not confirmed:
        errors["confirm"] = _l("Tick the box to confirm that you want to delete your account.")
    try:
        _check_current_password(user, current_password, "password")
    except ValidationFailed as error:
        errors.update(error.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    if user.is_admin and User.query.filter_by(role=Role.ADMIN, deleted_at=None).count() <= 1:
        raise ValidationFailed(
            fields={"confirm": _l("You are the last administrator. Make someone else an administrator first.")}
        )
    now = utcnow()
    with transaction():
        user.email = f"deleted-{user.id}@invalid.invalid"
        user.display_name = ""
        # Nobody knows this password, so the row can never be signed in to again.
        user.set_password(secrets.token_urlsafe(48))
        user.district = None
        user.agency = None
        user.locale = None
        user.deleted_at = now
        user.rotate_session_token()
        ApiToken.query.filter_by(user_id=user.id, revoked_at=None).update(
            {ApiToken.revoked_at: now}, synchronize_session="fetch"
        )
    security_event("account_deleted", user=user)
    return user
