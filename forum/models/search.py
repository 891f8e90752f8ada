"""The search outbox: one row per content change the search index must apply.

Rows are written by the session hook in forum/search/outbox.py in the same
transaction as the change, and read in id order by every index (each web node
may keep its own) which remembers how far it got. Applying consumes no row, so
several indexes can follow the same outbox; `search prune` deletes old rows
that the local index has applied (forum/search/indexer.py). `content_id` is a
real foreign key without cascade: content is never hard-deleted (DESIGN.md),
and an attempt to do so fails instead of silently leaving a document in the
index.
"""
from forum.extensions import db
from forum.timeutil import UTCDateTime, utcnow


class SearchOutbox(db.Model):
    """Content `content_id` changed; `op` is what its writer saw (the indexer re-reads)."""

    __tablename__ = "search_outbox"
    UPSERT = "upsert"
    DELETE = "delete"

    id = db.Column(db.Integer, primary_key=True)
    content_id = db.Column(db.Integer, db.ForeignKey("content.id"), nullable=False)
    op = db.Column(db.String(8), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    __table_args__ = (
        db.CheckConstraint("op IN ('upsert', 'delete')", name="op_known"),
        # Never reuse an id, even the highest one after a delete: indexes
        # remember the last id they applied.
        {"sqlite_autoincrement": True},
    )

    def __repr__(self):
        return f"<SearchOutbox {self.id} {self.op} content={self.content_id}>"
