"""What the screen decided, written down: the audit log and the review queue.

Services screen a submission through `screen_or_refuse`, which logs and
raises a refusal (no content exists; the entry is written apart because the
service's transaction is rolled back), and call `record_screen` with the
verdict after adding the saved content (same transaction).
Held content opens an item in the pending tab and alerts moderators; a
screen flag opens one in the flagged tab; masking keeps the original text
in the audit entry only.
"""
from forum.errors import PostingLimited, ValidationFailed
from forum.services import notifications
from moderation import audit
from moderation.filters import FLAG, HOLD, PUBLISH
from moderation.models import Queue
from moderation.queue import ensure_open_item
from moderation.screen import screen


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


def screen_or_refuse(text, author, context, field):
    """Screen `text` and return the verdict; a refusal is logged and raised as the error of `field`.

    A refusal that waiting lifts (the posting rate) is `PostingLimited`,
    carrying the seconds to wait; any other is `ValidationFailed`.
    """
    verdict = screen(text, author, context)
    if not verdict.rejected:
        return verdict
    record_screen(verdict, author, context, original_text=text)
    fields = {field: " ".join(str(message) for message in verdict.author_messages())}
    if verdict.retry_after is not None:
        raise PostingLimited(fields=fields, retry_after=verdict.retry_after)
    raise ValidationFailed(fields=fields)
