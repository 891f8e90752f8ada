"""Follows and in-app notifications, shared by consultations and aspirations."""
from sqlalchemy.orm import relationship

from forum.extensions import db
from forum.timeutil import UTCDateTime, utcnow


class Follow(db.Model):
    """A user follows a piece of content (a policy, an aspiration)."""

    __tablename__ = "follow"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    content_id = db.Column(db.Integer, db.ForeignKey("content.id"), nullable=False, index=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    __table_args__ = (db.UniqueConstraint("user_id", "content_id"),)


class Notification(db.Model):
    """Something that happened which a user should know about."""

    __tablename__ = "notification"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    event = db.Column(db.String(40), nullable=False)
    content_id = db.Column(db.Integer, db.ForeignKey("content.id"), index=True)
    # About an event (a seat offered, a reminder, a cancellation) rather than content.
    event_id = db.Column(db.Integer, db.ForeignKey("event.id"), index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    read_at = db.Column(UTCDateTime)
    emailed_at = db.Column(UTCDateTime)

    content = relationship("Content")
    scheduled_event = relationship("Event")
    actor = relationship("User", foreign_keys=[actor_id])

    __table_args__ = (db.Index("ix_notification_user_unread", "user_id", "read_at"),)
