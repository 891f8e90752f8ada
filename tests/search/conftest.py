"""Fixtures for the search tests: writing content, finding it, reading the outbox."""
import pytest

from forum import search
from forum.extensions import db
from forum.models import Content, ContentStatus, SearchOutbox
from forum.text import render_markdown


@pytest.fixture
def write(app, resident):
    """Create published (or `status`) content with a Markdown body; commit."""

    def create(body, status=ContentStatus.PUBLISHED, author=None, commit=True, **fields):
        content = Content(author=author or resident, body_source=body, body_html=render_markdown(body),
                          status=status, **fields)
        db.session.add(content)
        if commit:
            db.session.commit()
        return content

    return create


@pytest.fixture
def write_filed(write, monkeypatch, request):
    """`write`, with document fields base Content lacks (title, category, districts, ...).

    Policies and aspirations will provide these through their own
    `search_document()`; until they exist, this stands in for such a kind.
    The documents are fakes, so the database cannot be compared with them
    after the test.
    """
    request.applymarker(pytest.mark.no_search_verify)
    extra = {}
    original = Content.search_document

    def search_document(self):
        document = original(self)
        document.update(extra.get(self.id, {}))
        return document

    monkeypatch.setattr(Content, "search_document", search_document)

    def create(body, status=ContentStatus.PUBLISHED, created_at=None, **document):
        content = write(body, status=status, commit=False, **({"created_at": created_at} if created_at else {}))
        db.session.flush()
        extra[content.id] = document
        db.session.commit()
        return content

    return create


@pytest.fixture
def find(app):
    """Ids of the content a query finds (all pages), in result order."""

    def ids(q="", **options):
        results = search.search(q, per_page=100, **options)
        assert results.available
        return [hit.id for hit in results.items]

    return ids


@pytest.fixture
def outbox_rows(app):
    def rows():
        return db.session.query(SearchOutbox).order_by(SearchOutbox.id).all()

    return rows
