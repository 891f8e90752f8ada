"""Moderators' decisions on review items: approve, hide, remove, restore, ignore flags, edit and approve.

    decide(moderator, item_id, "remove", reason="Ujaran kebencian", version=3)

A decision first claims the item with one UPDATE that only matches while the
item is undecided (and, when the desk sent it, still at the `version` the
moderator saw). A second moderator's UPDATE matches nothing, so they are told
who decided first and nothing is applied twice. The content change, the
flags' outcome (which shapes the flaggers' weight), the appeal's outcome, the
audit entry and the author's notification go in the same transaction.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from forum.errors import Conflict, DomainError, NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.forms import clean_text
from forum.models import ContentStatus
from forum.permissions import require
from forum.services import notifications, transaction
from forum.text import normalize_text, render_markdown
from forum.timeutil import utcnow
from moderation import audit
from moderation.flags import settle_flags
from moderation.models import Flag, FlagOutcome, Queue, ReviewItem
from moderation.transitions import set_status

APPROVE, HIDE, REMOVE, RESTORE, IGNORE_FLAGS, EDIT_APPROVE, UPHOLD = ACTIONS = (
    "approve", "hide", "remove", "restore", "ignore_flags", "edit_approve", "uphold",
)
ACTION_LABELS = {
    APPROVE: _l("Approve"),
    HIDE: _l("Hide"),
    REMOVE: _l("Remove"),
    RESTORE: _l("Restore"),
    IGNORE_FLAGS: _l("Ignore flags"),
    EDIT_APPROVE: _l("Edit and approve"),
    UPHOLD: _l("Keep the decision"),
}
BULK_ACTIONS = (APPROVE, HIDE, REMOVE, RESTORE, IGNORE_FLAGS)
REASON_REQUIRED = (HIDE, REMOVE, EDIT_APPROVE, UPHOLD)
REASON_MAX = 1000
TEXT_MAX = 10_000
Event = notifications.Event

# action -> (statuses it applies to, the status it leaves, the flags' outcome, the author's event)
_RULES = {
    APPROVE: ((ContentStatus.PENDING, ContentStatus.HIDDEN, ContentStatus.PUBLISHED), ContentStatus.PUBLISHED,
              FlagOutcome.REJECTED, Event.CONTENT_APPROVED),
    HIDE: ((ContentStatus.PENDING, ContentStatus.PUBLISHED, ContentStatus.HIDDEN), ContentStatus.HIDDEN,
           FlagOutcome.AGREED, Event.CONTENT_HIDDEN),
    REMOVE: ((ContentStatus.PENDING, ContentStatus.PUBLISHED, ContentStatus.HIDDEN), ContentStatus.REMOVED,
             FlagOutcome.AGREED, Event.CONTENT_REMOVED),
    RESTORE: ((ContentStatus.HIDDEN, ContentStatus.REMOVED), ContentStatus.PUBLISHED,
              FlagOutcome.REJECTED, Event.CONTENT_RESTORED),
    IGNORE_FLAGS: ((ContentStatus.PUBLISHED, ContentStatus.HIDDEN), ContentStatus.PUBLISHED,
                   FlagOutcome.REJECTED, Event.CONTENT_RESTORED),
    EDIT_APPROVE: ((ContentStatus.PENDING, ContentStatus.PUBLISHED, ContentStatus.HIDDEN), ContentStatus.PUBLISHED,
                   FlagOutcome.AGREED, Event.CONTENT_EDITED),
    UPHOLD: ((ContentStatus.HIDDEN, ContentStatus.REMOVED), None, FlagOutcome.AGREED, None),
}
_GRANTS_APPEAL = (APPROVE, RESTORE, IGNORE_FLAGS, EDIT_APPROVE)


def get_item(item_id):
    item = db.session.get(ReviewItem, item_id) if isinstance(item_id, int) and 0 < item_id <= MAX_ID else None
    if item is None:
        raise NotFound(_l("This review item does not exist."))
    return item


def allowed_actions(item):
    """The actions that make sense for `item` now (what the desk offers)."""
    if not item.is_open:
        return ()
    status = item.content.status
    actions = [action for action, rule in _RULES.items() if status in rule[0]]
    if item.queue != Queue.APPEAL:
        actions = [action for action in actions if action != UPHOLD]
    if status == ContentStatus.PUBLISHED and item.flag_count == 0:
        actions = [action for action in actions if action != IGNORE_FLAGS]
    return tuple(actions)


def _clean_reason(action, reason, item):
    reason = clean_text(reason if isinstance(reason, str) else "").strip() or None
    if reason and len(reason) > REASON_MAX:
        raise ValidationFailed(fields={"reason": _l("A reason may have at most %(max)d characters.", max=REASON_MAX)})
    if not reason and (action in REASON_REQUIRED or item.queue == Queue.APPEAL):
        raise ValidationFailed(fields={"reason": _l("Give a reason: the author will read it.")})
    return reason


def _clean_text(text):
    text = normalize_text(text if isinstance(text, str) else "").strip()
    if not text:
        raise ValidationFailed(fields={"text": _l("Write the text to publish.")})
    if len(text) > TEXT_MAX:
        raise ValidationFailed(fields={"text": _l("The text may have at most %(max)d characters.", max=TEXT_MAX)})
    return text


def _already_decided(item_id):
    # The claim lost: end this attempt now (a decision is always a unit of its own, see
    # `decide_many`) so that the read below sees what the other moderator committed.
    db.session.rollback()
    item = db.session.get(ReviewItem, item_id)
    if item is not None and item.decided_at is not None:
        name = item.decided_by.display_name if item.decided_by else _l("another moderator")
        raise Conflict(_l("Already decided by %(name)s (%(decision)s). Nothing was changed.",
                          name=name, decision=ACTION_LABELS.get(item.decision, item.decision)),
                       code="already_decided")
    raise Conflict(_l("This item changed while you were looking at it. Please review it again."), code="stale")


def _claim(item, moderator, action, reason, version):
    """Mark the item decided, only if nobody did first; False when someone did."""
    statement = update(ReviewItem).where(ReviewItem.id == item.id, ReviewItem.decided_at.is_(None))
    if version is not None:
        statement = statement.where(ReviewItem.version == version)
    changed = db.session.execute(statement.values(
        decided_at=utcnow(), decided_by_id=moderator.id, decision=action, decision_reason=reason,
        open_content_id=None, version=ReviewItem.version + 1,
    ).execution_options(synchronize_session=False)).rowcount
    return changed == 1


def decide(moderator, item_id, action, reason=None, version=None, text=None):
    """Apply one decision to the review item `item_id`; returns the item. Commits.

    Conflict (409) when the item is already decided or changed since
    `version`; ValidationFailed for an action that does not fit the content
    now, a missing reason, or (edit and approve) a missing text.
    """
    with transaction():
        require(moderator, "moderation.decide")
        item = get_item(item_id)
        if not item.is_open:
            _already_decided(item.id)
        if action not in allowed_actions(item):
            raise ValidationFailed(fields={"action": _l("This action does not fit this item.")})
        reason = _clean_reason(action, reason, item)
        new_text = _clean_text(text) if action == EDIT_APPROVE else None
        if not _claim(item, moderator, action, reason, version):
            _already_decided(item.id)
        _apply(moderator, item, action, reason, new_text)
    db.session.refresh(item)
    return item


def _apply(moderator, item, action, reason, new_text):
    content = item.content
    statuses, new_status, flag_outcome, author_event = _RULES[action]
    before_status, before_text = content.status, content.body_source
    if new_status is not None:
        set_status(content, new_status, reason if new_status in (ContentStatus.HIDDEN, ContentStatus.REMOVED)
                   else None)
    if new_text is not None:
        content.body_source = new_text
        content.body_html = render_markdown(new_text)
    settle_flags(content.id, flag_outcome)
    if before_status == ContentStatus.PENDING and content.status == ContentStatus.PUBLISHED \
            and content.kind == "comment":
        notifications.comment_posted(content)  # a released reply reaches the parent's author now
    details = {"item": item.id, "queue": item.queue, "from": before_status, "to": content.status}
    audit.record(f"decision.{action}", actor=moderator, content=content, subject_user=content.author,
                 reason=reason, before=before_text if new_text is not None else None, after=new_text,
                 details=details, reason_code=_main_reason(item))
    if item.appeal is not None:
        _settle_appeal(moderator, item, action, reason)
    elif author_event is not None and content.author_id is not None:
        notifications.moderation_outcome(content.author_id, author_event, content, actor_id=moderator.id)


def _main_reason(item):
    """Why the item was queued, for the transparency figures: the commonest flag reason, else the screen's."""
    top = db.session.execute(
        select(Flag.reason).where(Flag.content_id == item.content_id).group_by(Flag.reason)
        .order_by(func.count().desc(), Flag.reason).limit(1)).scalar()
    if top:
        return top
    codes = [reason.get("code") for reason in item.screen_reasons or () if reason.get("code")]
    return codes[0][:40] if codes else None


def _settle_appeal(moderator, item, action, reason):
    appeal, content = item.appeal, item.content
    appeal.decided_at = utcnow()
    appeal.outcome = "granted" if action in _GRANTS_APPEAL else "upheld"
    appeal.decision_reason = reason
    audit.record(f"appeal.{appeal.outcome}", actor=moderator, content=content, subject_user=content.author,
                 reason=reason, reason_code=appeal.outcome, details={"appeal": appeal.id, "item": item.id})
    notifications.moderation_outcome(appeal.user_id, Event.APPEAL_DECIDED, content, actor_id=moderator.id)


@dataclass
class BulkResult:
    done: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (item id, message)


def decide_many(moderator, item_ids, action, reason=None):
    """The same decision on several items, each in its own transaction; returns a BulkResult.

    A refused item is collected and the next one tried, so this never runs inside another transaction.
    """
    require(moderator, "moderation.decide")
    if action not in BULK_ACTIONS:
        raise ValidationFailed(fields={"action": _l("Choose an action for the selected items.")})
    if not item_ids:
        raise ValidationFailed(fields={"items": _l("Select at least one item.")})
    result = BulkResult()
    for item_id in item_ids:
        try:
            decide(moderator, item_id, action, reason=reason)
            result.done.append(item_id)
        except DomainError as error:
            message = error.message or " ".join(str(text) for text in error.fields.values())
            result.refused.append((item_id, message))
    return result
