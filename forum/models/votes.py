"""Votes: one row per person per content, counted on the content in the same transaction.

`up`/`down` on comments (helpful / unhelpful) and `up` on aspirations
(dukung); `support`/`oppose` on a policy (the overall vote). The unique
indexes are what keep "one per person" (and one per organization, for a vote
cast as an organization) true under concurrency.
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
    organization_id = db.Column(db.Integer, db.ForeignKey("organization.id"), index=True)
    value = db.Column(db.String(8), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    __table_args__ = (
        db.Index("uq_vote_person", "content_id", "user_id", unique=True,
                 sqlite_where=db.text("organization_id IS NULL"),
                 postgresql_where=db.text("organization_id IS NULL")),
        db.Index("uq_vote_organization", "content_id", "organization_id", unique=True,
                 sqlite_where=db.text("organization_id IS NOT NULL"),
                 postgresql_where=db.text("organization_id IS NOT NULL")),
        db.CheckConstraint("value IN ('up', 'down', 'support', 'oppose')", name="value_known"),
    )
