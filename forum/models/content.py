"""The Content supertype: everything people write, and the one visibility rule.

Policies, aspirations and comments extend `Content` through joined-table
inheritance. Votes, flags, review items, notifications and the search outbox
point at `content.id`. Whether content may be shown to the public is decided
here and nowhere else: `Content.is_public` for one row, `public_filter()` for a
query. Subclasses narrow the rule by overriding `_public_extra()` and
`_is_public_extra()` (a draft policy or a confidential aspiration).
"""
from sqlalchemy import and_, true
from sqlalchemy.orm import relationship

from forum.extensions import db
from forum.timeutil import UTCDateTime, utcnow


class ContentStatus:
    """Lifecycle of any piece of content (see DESIGN.md)."""

    PENDING = "pending"      # held by the screen: author and moderators only
    PUBLISHED = "published"
    HIDDEN = "hidden"        # by flags or a moderator; reversible
    REMOVED = "removed"      # by a moderator; tombstone with a reason
    DELETED = "deleted"      # by its author; tombstone

    ALL = (PENDING, PUBLISHED, HIDDEN, REMOVED, DELETED)
    TOMBSTONES = (REMOVED, DELETED)


class Content(db.Model):
    """One row per piece of content, whatever its kind."""

    __tablename__ = "content"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(32), nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"), index=True)
    body_source = db.Column(db.Text, nullable=False, default="")
    body_html = db.Column(db.Text, nullable=False, default="")
    status = db.Column(db.String(16), nullable=False, default=ContentStatus.PUBLISHED, index=True)
    status_reason = db.Column(db.String(500))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    edited_at = db.Column(UTCDateTime)
    up_count = db.Column(db.Integer, nullable=False, default=0)
    down_count = db.Column(db.Integer, nullable=False, default=0)
    reply_count = db.Column(db.Integer, nullable=False, default=0)
    flag_count = db.Column(db.Integer, nullable=False, default=0)

    author = relationship("User", back_populates="contents")

    __table_args__ = (
        db.CheckConstraint(
            "status IN ('pending', 'published', 'hidden', 'removed', 'deleted')",
            name="status_known",
        ),
    )
    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "content"}

    # -- the one visibility rule -------------------------------------------
    @property
    def is_public(self):
        """True when anyone, signed in or not, may read this content."""
        return self.status == ContentStatus.PUBLISHED and self._is_public_extra()

    def _is_public_extra(self):
        return True

    @classmethod
    def _public_extra(cls):
        return true()

    @classmethod
    def public_filter(cls):
        """SQL condition matching exactly the rows for which `is_public` holds."""
        return and_(cls.status == ContentStatus.PUBLISHED, cls._public_extra())

    def is_visible_to(self, user):
        """Whether `user` (None or anonymous for a visitor) may read the full text.

        Public content is visible to all. Otherwise the author keeps sight of
        their own pending and hidden content, and moderators see everything.
        Tombstones (removed, deleted) show no text to anyone but moderators.
        """
        if self.is_public:
            return True
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if user.is_moderator:
            return True
        if self.status in ContentStatus.TOMBSTONES:
            return False
        return self.author_id == user.id and self._visible_to_author_extra(user)

    def _visible_to_author_extra(self, user):
        return True

    @property
    def is_tombstone(self):
        return self.status in ContentStatus.TOMBSTONES

    def __repr__(self):
        return f"<{type(self).__name__} {self.id} {self.status}>"
