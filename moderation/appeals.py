"""Appeals: the author of hidden or removed content asks, once, for another look.

The appeal opens (or moves) the content's review item into the appeals tab;
a moderator's decision there (decisions.py) settles the appeal and tells the
author the outcome with its reason.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.errors import Conflict, ValidationFailed
from forum.extensions import db
from forum.forms import clean_text
from forum.models import ContentStatus
from forum.permissions import require
from forum.services import transaction
from moderation import audit
from moderation.models import Appeal, Queue
from moderation.queue import ensure_open_item

APPEALABLE = (ContentStatus.HIDDEN, ContentStatus.REMOVED)


def appeal_of(content_id):
    return db.session.scalars(select(Appeal).where(Appeal.content_id == content_id)).first()


def may_appeal(user, content):
    """For templates: whether to offer the appeal form now."""
    return (content.status in APPEALABLE and getattr(user, "id", None) == content.author_id
            and appeal_of(content.id) is None)


def submit_appeal(user, content, note):
    """`user` appeals the hiding or removal of their `content`; returns the Appeal. Commits."""
    try:
        with transaction():
            require(user, "content.appeal", content)
            if content.status not in APPEALABLE:
                raise Conflict(_l("Only hidden or removed posts can be appealed."), code="not_appealable")
            if appeal_of(content.id) is not None:
                raise Conflict(_l("You have already appealed this decision."), code="already_appealed")
            note = clean_text(note if isinstance(note, str) else "").strip()
            if not note:
                raise ValidationFailed(fields={"note": _l("Tell the moderators why the decision should change.")})
            if len(note) > Appeal.NOTE_MAX:
                raise ValidationFailed(fields={"note": _l("An appeal may have at most %(max)d characters.",
                                                          max=Appeal.NOTE_MAX)})
            appeal = Appeal(content_id=content.id, user_id=user.id, note=note)
            db.session.add(appeal)
            db.session.flush()
            item = ensure_open_item(content, Queue.APPEAL)
            item.queue, item.appeal_id = Queue.APPEAL, appeal.id
            audit.record("appeal.submitted", actor=user, content=content, subject_user=user, reason=note,
                         details={"appeal": appeal.id})
            return appeal
    except IntegrityError:
        raise Conflict(_l("You have already appealed this decision."), code="already_appealed") from None
