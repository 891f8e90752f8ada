"""Moderation tables: watched words, the screen's settings, and what follows the screen.

`WatchedWord` rows are the admin-editable lists (the shipped defaults are
loaded into them, see services.install_default_watched_words). Settings are
small key/value rows (JSON values): the pre-moderation switches and the
watched-words version that every worker compares on its next screen call.

After the screen: `AuditEntry` (append-only log), `Flag` (people's reports),
`ReviewItem` (the desk's queue), `Sanction` and `Appeal`. Every one of them
points at `content.id`, whatever the kind of content.
"""
import json

from sqlalchemy.orm import relationship

from forum.extensions import db
from forum.timeutil import UTCDateTime, utcnow
from moderation.filters import WATCHED_ACTIONS


class WatchedWord(db.Model):
    """A word, phrase or (admins') regular expression with the action it triggers."""

    __tablename__ = "watched_word"
    PATTERN_MAX = 200
    NOTE_MAX = 200

    id = db.Column(db.Integer, primary_key=True)
    pattern = db.Column(db.String(PATTERN_MAX), nullable=False)
    action = db.Column(db.String(8), nullable=False)
    is_regex = db.Column(db.Boolean, nullable=False, default=False)
    note = db.Column(db.String(NOTE_MAX))
    created_by_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    created_by = relationship("User")

    __table_args__ = (
        db.UniqueConstraint("pattern", "is_regex"),
        db.CheckConstraint(
            "action IN (" + ", ".join(f"'{action}'" for action in WATCHED_ACTIONS) + ")",
            name="action_known",
        ),
    )

    def __repr__(self):
        return f"<WatchedWord {self.id} {self.action} {self.pattern!r}>"


class ModerationSetting(db.Model):
    """One setting of the screen; the value is JSON."""

    __tablename__ = "moderation_setting"

    WATCHED_WORDS_VERSION = "watched_words_version"
    HOLD_NEW_ACCOUNTS = "hold_new_accounts"
    HOLD_ALL = "hold_all"
    HOLD_POLICY_IDS = "hold_policy_ids"

    key = db.Column(db.String(64), primary_key=True)
    value = db.Column(db.Text, nullable=False)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    @classmethod
    def read_all(cls):
        """Every setting as a dict of decoded values (one query)."""
        return {key: json.loads(value) for key, value in db.session.execute(db.select(cls.key, cls.value))}

    @classmethod
    def put(cls, key, value):
        """Set `key` to `value` in the current transaction."""
        row = db.session.get(cls, key)
        if row is None:
            db.session.add(cls(key=key, value=json.dumps(value)))
        else:
            row.value = json.dumps(value)

    @classmethod
    def bump_watched_words_version(cls):
        """Add one to the watched-words version, locking the row (PostgreSQL) against lost updates."""
        row = db.session.execute(
            db.select(cls).where(cls.key == cls.WATCHED_WORDS_VERSION).with_for_update()
        ).scalar_one_or_none()
        if row is None:
            db.session.add(cls(key=cls.WATCHED_WORDS_VERSION, value="1"))
            return 1
        version = int(json.loads(row.value)) + 1
        row.value = json.dumps(version)
        return version


# -- what happens after the screen: audit, flags, the review queue, sanctions, appeals --
class AuditEntry(db.Model):
    """One line of the append-only audit log (see moderation/audit.py).

    `before`/`after` keep texts a decision changed (the original of masked
    personal data is only ever here); `details` is a JSON dict; `reason_code`
    is the main reason in a machine form for the transparency figures.
    """

    __tablename__ = "audit_entry"

    id = db.Column(db.Integer, primary_key=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    action = db.Column(db.String(40), nullable=False, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("user.id"), index=True)
    content_id = db.Column(db.Integer, db.ForeignKey("content.id"), index=True)
    subject_user_id = db.Column(db.Integer, db.ForeignKey("user.id"), index=True)
    reason = db.Column(db.String(1000))
    reason_code = db.Column(db.String(40))
    before = db.Column(db.Text)
    after = db.Column(db.Text)
    details = db.Column(db.JSON)

    actor = relationship("User", foreign_keys=[actor_id])
    subject_user = relationship("User", foreign_keys=[subject_user_id])
    content = relationship("Content")


class FlagReason:
    SPAM = "spam"
    ABUSIVE = "abusive"
    SARA = "sara"
    HOAX = "hoax"
    OFF_TOPIC = "off_topic"
    PERSONAL_DATA = "personal_data"
    OTHER = "other"
    ALL = (SPAM, ABUSIVE, SARA, HOAX, OFF_TOPIC, PERSONAL_DATA, OTHER)


class FlagOutcome:
    AGREED = "agreed"      # a moderator hid or removed the content
    REJECTED = "rejected"  # a moderator kept it
    ALL = (AGREED, REJECTED)


class Flag(db.Model):
    """A person's report on a piece of content, with the weight it counted for."""

    __tablename__ = "flag"
    NOTE_MAX = 500

    id = db.Column(db.Integer, primary_key=True)
    content_id = db.Column(db.Integer, db.ForeignKey("content.id"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    reason = db.Column(db.String(16), nullable=False)
    note = db.Column(db.String(NOTE_MAX))
    weight = db.Column(db.Float, nullable=False)
    outcome = db.Column(db.String(16))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)

    user = relationship("User")
    content = relationship("Content")

    __table_args__ = (
        db.UniqueConstraint("content_id", "user_id"),
        db.CheckConstraint(
            "reason IN (" + ", ".join(f"'{reason}'" for reason in FlagReason.ALL) + ")", name="reason_known"),
        db.CheckConstraint("outcome IS NULL OR outcome IN ('agreed', 'rejected')", name="outcome_known"),
    )


class Queue:
    """The desk's tabs an open review item sits in."""

    PENDING = "pending"    # held by the screen
    FLAGGED = "flagged"    # published, flagged by people or the screen
    HIDDEN = "hidden"      # hidden by flags, waiting for a moderator
    APPEAL = "appeal"      # the author appealed a hide or removal
    ALL = (PENDING, FLAGGED, HIDDEN, APPEAL)


class ReviewItem(db.Model):
    """Something a moderator should look at, about one piece of content.

    At most one item per content is open: `open_content_id` equals
    `content_id` while the item is undecided and is NULL afterwards, and is
    unique. `version` grows with every change; a decision is an UPDATE that
    only succeeds on an undecided item (optimistic locking, decisions.py).
    """

    __tablename__ = "review_item"

    id = db.Column(db.Integer, primary_key=True)
    content_id = db.Column(db.Integer, db.ForeignKey("content.id"), nullable=False, index=True)
    open_content_id = db.Column(db.Integer, unique=True)
    queue = db.Column(db.String(16), nullable=False)
    score = db.Column(db.Float, nullable=False, default=0.0)
    flag_count = db.Column(db.Integer, nullable=False, default=0)
    screen_reasons = db.Column(db.JSON)
    appeal_id = db.Column(db.Integer, db.ForeignKey("appeal.id"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    version = db.Column(db.Integer, nullable=False, default=1)
    decided_at = db.Column(UTCDateTime)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    decision = db.Column(db.String(16))
    decision_reason = db.Column(db.String(1000))

    content = relationship("Content")
    decided_by = relationship("User")
    appeal = relationship("Appeal")

    __table_args__ = (
        db.CheckConstraint("queue IN ('pending', 'flagged', 'hidden', 'appeal')", name="queue_known"),
        db.Index("ix_review_item_open_queue", "decided_at", "queue", "created_at"),
    )

    @property
    def is_open(self):
        return self.decided_at is None


class SanctionKind:
    WARN = "warn"
    SILENCE = "silence"
    SUSPEND = "suspend"
    BAN = "ban"
    ALL = (WARN, SILENCE, SUSPEND, BAN)


class Sanction(db.Model):
    """A measure against an account, with the reason the person is shown."""

    __tablename__ = "sanction"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    kind = db.Column(db.String(16), nullable=False)
    reason = db.Column(db.String(500), nullable=False)
    content_id = db.Column(db.Integer, db.ForeignKey("content.id"))
    starts_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    ends_at = db.Column(UTCDateTime)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    acknowledged_at = db.Column(UTCDateTime)
    lifted_at = db.Column(UTCDateTime)
    lifted_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    lift_reason = db.Column(db.String(500))

    user = relationship("User", foreign_keys=[user_id])
    created_by = relationship("User", foreign_keys=[created_by_id])

    __table_args__ = (
        db.CheckConstraint("kind IN ('warn', 'silence', 'suspend', 'ban')", name="kind_known"),
    )

    def is_active(self, now):
        return self.lifted_at is None and (self.ends_at is None or self.ends_at > now)


class Appeal(db.Model):
    """The author's one appeal against hiding or removing their content."""

    __tablename__ = "appeal"
    NOTE_MAX = 1000

    id = db.Column(db.Integer, primary_key=True)
    content_id = db.Column(db.Integer, db.ForeignKey("content.id"), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    note = db.Column(db.String(NOTE_MAX), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    decided_at = db.Column(UTCDateTime)
    outcome = db.Column(db.String(16))
    decision_reason = db.Column(db.String(1000))

    content = relationship("Content")
    user = relationship("User")

    __table_args__ = (
        db.CheckConstraint("outcome IS NULL OR outcome IN ('granted', 'upheld')", name="outcome_known"),
    )
