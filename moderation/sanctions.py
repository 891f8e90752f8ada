"""Sanctions on accounts: warn, silence, suspend, ban; the suggested next step; lifting.

A warning changes nothing but must be acknowledged (the account sees it on
its next page, moderation/desk/people.py). Silence makes the account read
only for 1, 3, 7 or 30 days or until lifted; suspension stops logging in;
a ban is for good. The account's `state` follows the strongest sanction in
force; a silence or suspension ends by itself at its end time (the screen,
`may_write` and the login check compare the time), and `expire_for` writes
that down on the person's next request. Every sanction and lifting is in
the audit log and told to the person with its reason.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.errors import Conflict, NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.forms import clean_text
from forum.models import AccountState, User
from forum.permissions import require
from forum.services import notifications, transaction
from forum.timeutil import utcnow
from moderation import audit
from moderation.models import Sanction, SanctionKind

DURATIONS = (1, 3, 7, 30)  # days; None is "until lifted"
REASON_MAX = 500
KIND_LABELS = {
    SanctionKind.WARN: _l("Warning"),
    SanctionKind.SILENCE: _l("Silence (read only)"),
    SanctionKind.SUSPEND: _l("Suspension (cannot log in)"),
    SanctionKind.BAN: _l("Ban"),
}
_STATE_OF = {SanctionKind.SILENCE: AccountState.SILENCED, SanctionKind.SUSPEND: AccountState.SUSPENDED,
             SanctionKind.BAN: AccountState.BANNED}
_STRENGTH = {AccountState.ACTIVE: 0, AccountState.SILENCED: 1, AccountState.SUSPENDED: 2, AccountState.BANNED: 3}
# The ladder a suggestion climbs: one step per sanction already given in the last year.
LADDER = ((SanctionKind.WARN, None), (SanctionKind.SILENCE, 1), (SanctionKind.SILENCE, 3),
          (SanctionKind.SILENCE, 7), (SanctionKind.SILENCE, 30), (SanctionKind.SUSPEND, None),
          (SanctionKind.BAN, None))
HISTORY_WINDOW = timedelta(days=365)


def history(user):
    """Every sanction of `user`, newest first."""
    return db.session.scalars(select(Sanction).where(Sanction.user_id == user.id)
                              .order_by(Sanction.id.desc())).all()


def suggestion(user):
    """(kind, days) suggested for the next sanction of `user`, from their history."""
    earlier = db.session.scalar(select(func.count()).select_from(Sanction).where(
        Sanction.user_id == user.id, Sanction.starts_at > utcnow() - HISTORY_WINDOW,
        Sanction.lifted_at.is_(None)))
    return LADDER[min(earlier, len(LADDER) - 1)]


def _clean(kind, days, reason):
    problems = {}
    if kind not in SanctionKind.ALL:
        problems["kind"] = _l("Choose one of the measures in the list.")
    if days in ("", None):
        days = None
    else:
        try:
            days = int(days)
        except (TypeError, ValueError):
            days = -1
        if days not in DURATIONS:
            problems["days"] = _l("Choose 1, 3, 7 or 30 days, or until lifted.")
    reason = clean_text(reason if isinstance(reason, str) else "").strip()
    if not reason:
        problems["reason"] = _l("Give a reason: the person will read it.")
    elif len(reason) > REASON_MAX:
        problems["reason"] = _l("A reason may have at most %(max)d characters.", max=REASON_MAX)
    if problems:
        raise ValidationFailed(fields=problems)
    if kind in (SanctionKind.WARN, SanctionKind.BAN):
        days = None
    return kind, days, reason


@transaction()
def impose(moderator, user, kind, reason, days=None, content=None):
    """Sanction `user`; returns the Sanction. Commits."""
    require(moderator, "moderation.sanction", user)
    kind, days, reason = _clean(kind, days, reason)
    now = utcnow()
    sanction = Sanction(user_id=user.id, kind=kind, reason=reason, starts_at=now,
                        ends_at=now + timedelta(days=days) if days else None, created_by_id=moderator.id,
                        content_id=getattr(content, "id", None))
    db.session.add(sanction)
    db.session.flush()
    before = user.state
    _apply_state(user, now)
    if user.state in (AccountState.SUSPENDED, AccountState.BANNED):
        user.rotate_session_token()  # ends every session at once
    audit.record(f"sanction.{kind}", actor=moderator, subject_user=user, content=content, reason=reason,
                 reason_code=kind, details={"sanction": sanction.id, "days": days, "state_before": before,
                                            "state_after": user.state})
    notifications.moderation_outcome(user.id, notifications.Event.SANCTIONED, content, actor_id=moderator.id)
    return sanction


def _in_force(user, now):
    return [s for s in history(user) if s.kind != SanctionKind.WARN and s.is_active(now)]


def _apply_state(user, now):
    """Set the account's state from the strongest sanction in force (active when none is)."""
    strongest = None
    for sanction in _in_force(user, now):
        state = _STATE_OF[sanction.kind]
        if strongest is None or _STRENGTH[state] > _STRENGTH[_STATE_OF[strongest.kind]] or (
                state == _STATE_OF[strongest.kind] and _ends_later(sanction, strongest)):
            strongest = sanction
    if strongest is None:
        user.state, user.state_until, user.state_reason = AccountState.ACTIVE, None, None
    else:
        user.state, user.state_until = _STATE_OF[strongest.kind], strongest.ends_at
        user.state_reason = strongest.reason


def _ends_later(one, other):
    return other.ends_at is not None and (one.ends_at is None or one.ends_at > other.ends_at)


def get_sanction(sanction_id):
    sanction = db.session.get(Sanction, sanction_id) if isinstance(sanction_id, int) and 0 < sanction_id <= MAX_ID \
        else None
    if sanction is None:
        raise NotFound(_l("This sanction does not exist."))
    return sanction


@transaction()
def lift(moderator, sanction_id, reason):
    """End a sanction before its time; the account's state follows what is left. Commits."""
    sanction = get_sanction(sanction_id)
    user = db.session.get(User, sanction.user_id)
    require(moderator, "moderation.sanction", user)
    now = utcnow()
    if not sanction.is_active(now):
        raise Conflict(_l("This sanction is no longer in force."), code="not_in_force")
    reason = clean_text(reason if isinstance(reason, str) else "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed(fields={"reason": _l("Give a reason of at most %(max)d characters.",
                                                    max=REASON_MAX)})
    sanction.lifted_at, sanction.lifted_by_id, sanction.lift_reason = now, moderator.id, reason
    db.session.flush()
    _apply_state(user, now)
    audit.record("sanction.lifted", actor=moderator, subject_user=user, reason=reason, reason_code=sanction.kind,
                 details={"sanction": sanction.id, "state_after": user.state})
    notifications.moderation_outcome(user.id, notifications.Event.SANCTION_LIFTED, actor_id=moderator.id)
    return sanction


def unacknowledged_warning(user):
    """The oldest warning `user` has not acknowledged yet, or None."""
    return db.session.scalars(select(Sanction).where(
        Sanction.user_id == user.id, Sanction.kind == SanctionKind.WARN, Sanction.acknowledged_at.is_(None),
        Sanction.lifted_at.is_(None)).order_by(Sanction.id)).first()


def acknowledge(user, sanction_id):
    """`user` confirms they read a warning. Commits."""
    sanction = get_sanction(sanction_id)
    if sanction.user_id != user.id or sanction.kind != SanctionKind.WARN:
        raise NotFound(_l("This sanction does not exist."))
    if sanction.acknowledged_at is None:
        with transaction():
            sanction.acknowledged_at = utcnow()
            audit.record("sanction.acknowledged", actor=user, subject_user=user, details={"sanction": sanction.id})
    return sanction


def expire_for(user):
    """Write down that a silence or suspension of `user` has run out (state back to what is in force)."""
    now = utcnow()
    if user.state in (AccountState.SILENCED, AccountState.SUSPENDED) and user.state_until is not None \
            and user.state_until <= now:
        with transaction():
            before = user.state
            _apply_state(user, now)
            audit.record("sanction.expired", actor=None, subject_user=user,
                         details={"state_before": before, "state_after": user.state})
