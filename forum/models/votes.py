"""Votes: one row per person per content, counted on the content in the same transaction.

`up`/`down` on comments (helpful / unhelpful) and `up` on aspirations
(dukung); `support`/`oppose` on a policy (the overall vote). The unique
constraint is what keeps "one per person" true under concurrency.
"""
from forum.extensions import db
from forum.timeutil import UTCDateTime, utcnow


class VoteValue:
    UP = "up"
    DOWN = "down"
    SUPPORT = "support"
    OPPOSE = "oppose"
    ALL = (UP, DOWN, SUPPORT, OPPOSE)


class Vote(db.Model):
    __tablename__ = "vote"

    id = db.Column(db.Integer, primary_key=True)
    content_id = db.Column(db.Integer, db.ForeignKey("content.id"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    value = db.Column(db.String(8), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    __table_args__ = (
        db.UniqueConstraint("content_id", "user_id"),
        db.CheckConstraint("value IN ('up', 'down', 'support', 'oppose')", name="value_known"),
    )
