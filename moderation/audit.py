"""The append-only audit log: every screen decision, flag outcome, moderator action and sanction.

    audit.record("decision.remove", actor=moderator, content=comment, reason="...",
                 before=old_text, after=None, details={"item": 7})

adds an `AuditEntry` to the current session; the caller commits it with the
change it describes, so the log never holds a decision that did not happen.
The app has no update or delete path: a `before_flush` guard refuses any
change to or deletion of a stored entry. `record_apart` writes an entry in a
transaction of its own, for events whose own transaction is rolled back (a
submission the screen rejected).
"""
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.timeutil import utcnow
from moderation.models import AuditEntry

REASON_MAX = 1000


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


def _entry(action, actor, reason, content, subject_user, before, after, details, reason_code):
    return AuditEntry(
        action=action,
        actor_id=getattr(actor, "id", None),
        content_id=getattr(content, "id", None),
        subject_user_id=getattr(subject_user, "id", None),
        reason=(str(reason)[:REASON_MAX] if reason else None),
        reason_code=reason_code,
        before=before,
        after=after,
        details=details,
        created_at=utcnow(),
    )


def record(action, *, actor, reason=None, content=None, subject_user=None, before=None, after=None,
           details=None, reason_code=None):
    """Add one audit entry to the current session (no commit) and return it.

    `actor` is the person who acted (None for the system, e.g. auto-hiding);
    `content` and `subject_user` are what it concerns; `details` a JSON-able dict.
    """
    if content is not None and content.id is None:
        db.session.flush()
    entry = _entry(action, actor, reason, content, subject_user, before, after, details, reason_code)
    db.session.add(entry)
    return entry


def record_apart(action, *, actor, reason=None, subject_user=None, before=None, details=None, reason_code=None):
    """Write one audit entry in a transaction of its own (the caller's will be rolled back)."""
    with Session(db.engine) as session:
        session.add(_entry(action, actor, reason, None, subject_user, before, None, details, reason_code))
        session.commit()


@event.listens_for(Session, "before_flush")
def _refuse_changes(session, flush_context, instances):
    for row in session.dirty:
        if isinstance(row, AuditEntry) and session.is_modified(row):
            raise AuditLogIsAppendOnly("audit entries cannot be changed")
    for row in session.deleted:
        if isinstance(row, AuditEntry):
            raise AuditLogIsAppendOnly("audit entries cannot be deleted")
