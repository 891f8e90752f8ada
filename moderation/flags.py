"""Flags: people report content; a weighted score hides it at the threshold.

A flag weighs 1 by default. Once a flagger has three or more flags decided
by moderators, the weight follows their accuracy: from 0.5 (every flag
rejected) to 2.0 (every flag agreed with). A moderator's flag weighs the
whole threshold, so it hides at once. When the open review item's score
reaches `MODERATION_FLAG_THRESHOLD` the content is hidden pending review
(out of lists, search and exports, which all follow `Content.is_public`),
its author and the moderators are told. Officials' responses are never
hidden by residents' flags: they stay queued for a moderator.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum.errors import Conflict, Forbidden, NotFound, RateLimited, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.forms import clean_text
from forum.models import Content, ContentStatus
from forum.permissions import require
from forum.services import notifications, transaction
from forum.services.content import visible_content
from forum.timeutil import seconds_until, utcnow
from moderation import audit
from moderation.models import Flag, FlagOutcome, FlagReason, Queue
from moderation.queue import ensure_open_item
from moderation.transitions import set_status

REASON_LABELS = {
    FlagReason.SPAM: _l("Spam or advertising"),
    FlagReason.ABUSIVE: _l("Abusive or harassment"),
    FlagReason.SARA: _l("Hate against ethnicity, religion, race or group (SARA)"),
    FlagReason.HOAX: _l("Hoax or misinformation"),
    FlagReason.OFF_TOPIC: _l("Off topic"),
    FlagReason.PERSONAL_DATA: _l("Someone's personal data"),
    FlagReason.OTHER: _l("Something else (explain in the note)"),
}

MIN_DECIDED_FOR_REPUTATION = 3
LOWEST_WEIGHT, HIGHEST_WEIGHT = 0.5, 2.0
FLAG_WINDOW = timedelta(days=1)


def threshold():
    return float(current_app.config.get("MODERATION_FLAG_THRESHOLD", 3.0))


def flagger_weight(user):
    """How much a flag of `user` counts (see the module docstring)."""
    if user.is_moderator:
        return threshold()
    rows = dict(db.session.execute(
        select(Flag.outcome, func.count()).where(Flag.user_id == user.id, Flag.outcome.is_not(None))
        .group_by(Flag.outcome)
    ).all())
    agreed, rejected = rows.get(FlagOutcome.AGREED, 0), rows.get(FlagOutcome.REJECTED, 0)
    decided = agreed + rejected
    if decided < MIN_DECIDED_FOR_REPUTATION:
        return 1.0
    return round(LOWEST_WEIGHT + (HIGHEST_WEIGHT - LOWEST_WEIGHT) * agreed / decided, 2)


def is_official_response(content):
    """Content an official wrote for their agency: never hidden by residents' flags."""
    return bool(getattr(content, "is_official_response", False)) or (
        content.author is not None and content.author.is_official)


def _clean(reason, note):
    if reason not in FlagReason.ALL:
        raise ValidationFailed(fields={"reason": _l("Choose one of the reasons in the list.")})
    note = clean_text(note if isinstance(note, str) else "").strip() or None
    if note and len(note) > Flag.NOTE_MAX:
        raise ValidationFailed(fields={"note": _l("A note may have at most %(max)d characters.", max=Flag.NOTE_MAX)})
    if reason == FlagReason.OTHER and not note:
        raise ValidationFailed(fields={"note": _l("Tell the moderators what is wrong with it.")})
    return reason, note


def _removed_message():
    return _l("This post has been removed, so it can no longer be flagged.")


def content_to_flag(user, content_id):
    """The content `content_id` as `user` may flag it: NotFound when unseen or of a kind nobody flags
    (guides), Conflict when removed.

    A removed or deleted post keeps its place (a tombstone) where its thread
    is visible, so saying it was removed reveals nothing new.
    """
    content = db.session.get(Content, content_id) if 0 < content_id <= MAX_ID else None
    if content is not None and content.is_tombstone:
        target = getattr(content, "target", None)
        if target is None or target.is_visible_to(user):
            raise Conflict(_removed_message(), code="removed")
    content = visible_content(user, content_id)
    if not content.flaggable:
        raise NotFound()
    return content


def _check_allowed(user, content):
    if content.author_id is not None and content.author_id == getattr(user, "id", None):
        raise Forbidden(_l("You cannot flag your own post."), code="own_content")
    require(user, "content.flag", content)
    if content.status in ContentStatus.TOMBSTONES:
        raise Conflict(_removed_message(), code="removed")
    if content.status != ContentStatus.PUBLISHED:
        raise Conflict(_l("This post is already waiting for a moderator."), code="under_review")
    if db.session.scalar(select(Flag.id).where(Flag.content_id == content.id, Flag.user_id == user.id)):
        raise Conflict(_l("You have already flagged this post."), code="already_flagged")
    now = utcnow()
    mine = (Flag.user_id == user.id, Flag.created_at > now - FLAG_WINDOW)
    given = db.session.scalar(select(func.count()).select_from(Flag).where(*mine))
    limit = current_app.config.get("MODERATION_FLAGS_PER_DAY", 20)
    if given >= limit:
        # Another flag is allowed once the one that brings the count under the limit leaves the window.
        leaving = db.session.scalar(
            select(Flag.created_at).where(*mine).order_by(Flag.created_at).offset(given - limit).limit(1))
        raise RateLimited(_l("You can flag at most %(num)d posts a day. Please try again tomorrow.", num=limit),
                          retry_after=seconds_until(leaving + FLAG_WINDOW, now))


def flag_content(user, content, reason, note=None):
    """`user` flags `content`; returns the Flag. Hides the content at the threshold. Commits."""
    try:
        with transaction():
            _check_allowed(user, content)
            reason, note = _clean(reason, note)
            weight = flagger_weight(user)
            flag = Flag(content_id=content.id, user_id=user.id, reason=reason, note=note, weight=weight)
            db.session.add(flag)
            db.session.flush()
            db.session.execute(Content.__table__.update().where(Content.id == content.id)
                               .values(flag_count=Content.flag_count + 1))
            item = ensure_open_item(content, Queue.FLAGGED)
            db.session.flush()
            db.session.execute(item.__table__.update().where(item.__table__.c.id == item.id).values(
                score=item.__table__.c.score + weight, flag_count=item.__table__.c.flag_count + 1,
                version=item.__table__.c.version + 1))
            db.session.refresh(item)
            audit.record("flag.created", actor=user, content=content, subject_user=content.author, reason=note,
                         reason_code=reason, details={"reason": reason, "weight": weight, "score": item.score})
            if item.score >= threshold() and (user.is_moderator or not is_official_response(content)):
                _auto_hide(content, item, reason)
            return flag
    except IntegrityError:
        raise Conflict(_l("You have already flagged this post."), code="already_flagged") from None


def _auto_hide(content, item, reason):
    set_status(content, ContentStatus.HIDDEN)
    if item.queue == Queue.FLAGGED:
        item.queue = Queue.HIDDEN
    audit.record("content.auto_hidden", actor=None, content=content, subject_user=content.author,
                 reason_code=reason, details={"score": item.score, "flags": item.flag_count})
    if content.author_id is not None:
        notifications.moderation_outcome(content.author_id, notifications.Event.CONTENT_AUTO_HIDDEN, content)
    notifications.moderators_alerted(notifications.Event.MODERATION_AUTO_HIDDEN, content)


def settle_flags(content_id, outcome):
    """Mark the undecided flags on a content agreed or rejected (they shape the flaggers' weight)."""
    db.session.execute(Flag.__table__.update().where(Flag.content_id == content_id, Flag.outcome.is_(None))
                       .values(outcome=outcome))
