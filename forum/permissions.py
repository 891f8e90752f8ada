"""Who may do what: one helper that every service calls.

A permission is a name mapped to a rule `(user, obj) -> bool`. Services call
`require(user, "permission", obj)`, which raises `Forbidden` (and logs a
security event); templates and views may call `can()` to decide what to show.
Later features register their own rules with `@rule("name")`.
"""
from forum.errors import Forbidden
from forum.models.people import AccountState, Role
from forum.security_log import security_event

_RULES = {}


def rule(name):
    """Register the function deciding permission `name`."""

    def register(func):
        if name in _RULES:
            raise ValueError(f"permission {name!r} registered twice")
        _RULES[name] = func
        return func

    return register


def _signed_in(user):
    return user is not None and getattr(user, "is_authenticated", False) and not user.is_deleted


def can(user, permission, obj=None):
    """True when `user` (None for a visitor) holds `permission` on `obj`."""
    try:
        decide = _RULES[permission]
    except KeyError:
        raise LookupError(f"unknown permission {permission!r}") from None
    return bool(decide(user, obj))


def require(user, permission, obj=None):
    """Raise `Forbidden` unless `can(user, permission, obj)`."""
    if not can(user, permission, obj):
        security_event(
            "permission_refused",
            user=user if _signed_in(user) else None,
            permission=permission,
            target=getattr(obj, "id", None),
        )
        raise Forbidden(code="forbidden")


def has_role(user, *roles):
    return _signed_in(user) and user.role in roles


def may_write(user):
    """Signed in, verified and neither silenced, suspended nor banned."""
    return _signed_in(user) and user.is_verified and user.state == AccountState.ACTIVE


@rule("admin.users")
def _admin_users(user, obj):
    return has_role(user, Role.ADMIN)


@rule("admin.reference")
def _admin_reference(user, obj):
    return has_role(user, Role.ADMIN)


@rule("moderation.desk")
def _moderation_desk(user, obj):
    return has_role(user, Role.MODERATOR, Role.ADMIN)


@rule("moderation.configure")
def _moderation_configure(user, obj):
    """Watched words and pre-moderation switches."""
    return has_role(user, Role.ADMIN)


@rule("account.manage")
def _account_manage(user, obj):
    """A user manages their own account; admins manage anyone's."""
    return _signed_in(user) and (obj is None or obj.id == user.id or user.is_admin)


@rule("content.write")
def _content_write(user, obj):
    return may_write(user)


# -- consultations: comments and votes ---------------------------------------------
COMMENT_EDIT_WINDOW_MINUTES = 15


@rule("comment.edit")
def _comment_edit(user, comment):
    """The author, while still allowed to write, within 15 minutes of posting."""
    from datetime import timedelta

    from forum.timeutil import utcnow

    return (
        may_write(user) and comment is not None and comment.author_id == user.id
        and not comment.is_tombstone
        and utcnow() - comment.created_at <= timedelta(minutes=COMMENT_EDIT_WINDOW_MINUTES)
    )


@rule("comment.delete")
def _comment_delete(user, comment):
    return _signed_in(user) and comment is not None and comment.author_id == user.id and not comment.is_tombstone


@rule("comment.respond")
def _comment_respond(user, policy):
    """Officials answer for their own agency's consultations."""
    return may_write(user) and user.is_official and policy is not None and user.agency_id == policy.agency_id


@rule("vote.cast")
def _vote_cast(user, content):
    """Residents vote; officials respond but do not vote (least of all on their own draft).

    Nobody rates their own comment.
    """
    if not may_write(user) or user.is_official:
        return False
    return content is None or content.kind == "policy" or content.author_id != user.id


def _agency_official(user):
    return may_write(user) and user.is_official and user.agency_id is not None


@rule("policy.create")
def _policy_create(user, obj):
    """A policy belongs to an agency, so only an official with one may start it."""
    return _agency_official(user)


@rule("policy.manage")
def _policy_manage(user, obj):
    """The officials' consultation tools: agency officials and admins."""
    return _agency_official(user) or (may_write(user) and user.is_admin)


@rule("policy.draft")
def _policy_draft(user, obj):
    """Edit, publish, version, close or conclude one policy: its agency's officials, or admins."""
    if not may_write(user):
        return False
    return user.is_admin or (_agency_official(user) and obj is not None and obj.agency_id == user.agency_id)
