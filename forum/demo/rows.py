"""Bulk comment rows for the large demo: Core inserts past the ORM, `content` then `comment`."""
from sqlalchemy import insert

from forum.extensions import db
from forum.models import Comment, Content

_content, _comment = Content.__table__, Comment.__table__


def insert_comments(rows, batch_size):
    """Insert comments in batches: `content` rows first, then `comment` rows with the same ids."""
    ids = []
    for start in range(0, len(rows), batch_size):
        batch = rows[start:start + batch_size]
        content_rows = [{key: row[key] for key in _CONTENT_KEYS} for row in batch]
        new_ids = db.session.execute(
            insert(_content).returning(_content.c.id, sort_by_parameter_order=True), content_rows
        ).scalars().all()
        comment_rows = [{"id": new_id, **{key: row[key] for key in _COMMENT_KEYS}}
                        for new_id, row in zip(new_ids, batch)]
        db.session.execute(insert(_comment), comment_rows)
        ids.extend(new_ids)
    return ids


_CONTENT_KEYS = ("kind", "author_id", "body_source", "body_html", "body_hash", "status", "created_at")
_COMMENT_KEYS = ("target_id", "version_id", "section_id", "parent_id", "root_id", "depth", "stance",
                 "is_official_response", "agency_id")
