"""Personal API tokens: issue (shown once), list, revoke, resolve a bearer token."""
from flask_babel import lazy_gettext as _l

from forum.errors import NotFound, ValidationFailed
from forum.extensions import db
from forum.models import ApiToken
from forum.permissions import require
from forum.services import transaction
from forum.timeutil import utcnow

MAX_ACTIVE_TOKENS = 20


def create_token(actor, user, name):
    """Issue a token for `user`; return (row, raw token). Only its hash is kept."""
    require(actor, "account.manage", user)
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationFailed(fields={"name": _l("Give the token a name of at most 80 characters.")})
    active = ApiToken.query.filter_by(user_id=user.id, revoked_at=None).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationFailed(
            fields={"name": _l("You have %(count)d active tokens; revoke one first.", count=active)}
        )
    row, raw = ApiToken.issue(user, name)
    with transaction():
        db.session.add(row)
    return row, raw


def active_tokens(user):
    return ApiToken.query.filter_by(user_id=user.id, revoked_at=None).order_by(ApiToken.created_at.desc()).all()


def revoke_token(actor, user, token_id):
    require(actor, "account.manage", user)
    row = ApiToken.query.filter_by(id=token_id, user_id=user.id, revoked_at=None).one_or_none()
    if row is None:
        raise NotFound()
    with transaction():
        row.revoked_at = utcnow()
    return row


def user_for_token(raw_token):
    """Return the active user a bearer token belongs to, or None."""
    if not raw_token or not raw_token.startswith(ApiToken.PREFIX) or len(raw_token) > 200:
        return None
    row = ApiToken.query.filter_by(token_hash=ApiToken.digest(raw_token), revoked_at=None).one_or_none()
    if row is None:
        return None
    with transaction():
        row.last_used_at = utcnow()
    return row.user
