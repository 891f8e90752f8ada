"""Activity revisions: a token per content that changes whenever what its page shows changes.

Rendered pages are cached per process under the token (forum/page_cache.py);
forum/activity.py replaces it in the same transaction as every change, so a
cached page is never served after its content changed. Row 0 stands for the
reference data every page shows (agency, category and district names);
negative rows stand for whole lists, whose revision changes with any of
their rows.
"""
from forum.extensions import db

EVERY_PAGE = 0  # the row whose change invalidates every cached page
ASPIRATION_LISTS = -1  # changes with any aspiration: lists and figures of aspirations, the home page
CONSULTATION_LISTS = -2  # changes with any policy: the consultation list, the home page


class ContentActivity(db.Model):
    """The current activity revision of one content (no row yet: never changed since the table existed)."""

    __tablename__ = "content_activity"

    # Not a foreign key: rows 0 and below name no content, and a revision
    # outliving its content is harmless.
    content_id = db.Column(db.Integer, primary_key=True, autoincrement=False)
    revision = db.Column(db.String(32), nullable=False)
