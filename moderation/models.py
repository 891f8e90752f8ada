"""Moderation tables: watched words and the screen's settings.

`WatchedWord` rows are the admin-editable lists (the shipped defaults are
loaded into them, see services.install_default_watched_words). Settings are
small key/value rows (JSON values): the pre-moderation switches and the
watched-words version that every worker compares on its next screen call.
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
