"""What the screen decided, written down: the audit log and the review queue.

Services that screen a submission call `record_screen` once with the
verdict: right after the screen for a rejected text (no content exists; the
entry is written apart because the service's transaction is rolled back),
and after adding the saved content for everything else (same transaction).
Held content opens an item in the pending tab and alerts moderators; a
screen flag opens one in the flagged tab; masking keeps the original text
in the audit entry only.
"""
from forum.services import notifications
from moderation import audit
from moderation.filters import FLAG, HOLD, PUBLISH
from moderation.models import Queue
from moderation.queue import ensure_open_item


def _reasons(verdict):
    return [reason.to_dict() for reason in verdict.reasons]


def _main_code(verdict):
    """The code of the first reason with the verdict's own action (for the transparency figures)."""
    for reason in verdict.reasons:
        if reason.action == verdict.action:
            return reason.code[:40]
    return None


def record_screen(verdict, author, context, content=None, original_text=None):
    """Log the verdict on a submission and queue it when a moderator must look.

    `content` is None for a rejected submission; `original_text` is what the
    author wrote, kept in the log when the verdict masked part of it.
    """
    details = {"kind": context.kind, "policy_id": context.policy_id, "is_edit": context.is_edit,
               "reasons": _reasons(verdict)}
    if verdict.rejected:
        audit.record_apart("screen.reject", actor=author, subject_user=author, details=details,
                           before=original_text, reason_code=_main_code(verdict))
        return
    if verdict.action == PUBLISH:
        return
    audit.record(
        f"screen.{verdict.action}", actor=author, subject_user=author, content=content, details=details,
        before=original_text if verdict.masked else None, after=verdict.text if verdict.masked else None,
        reason_code=_main_code(verdict),
    )
    if verdict.action == HOLD:
        ensure_open_item(content, Queue.PENDING, screen_reasons=_reasons(verdict))
        notifications.moderators_alerted(notifications.Event.MODERATION_HELD, content)
    elif any(reason.action == FLAG for reason in verdict.reasons):
        ensure_open_item(content, Queue.FLAGGED, screen_reasons=_reasons(verdict))
