"""The one visibility rule of forum/models/content.py, for every status and viewer.

`Content.is_public` (Python), `Content.public_filter()` (SQL) and
`Content.is_visible_to(user)` must agree with the table in DESIGN.md: public
content for everyone; pending and hidden content for its author and
moderators; tombstones (removed, deleted) show their text to moderators only.
"""
import pytest
from flask_login import AnonymousUserMixin

from forum.extensions import db
from forum.models import Content, ContentStatus, Role

# status -> the viewers who may read the full text
VISIBLE_TO = {
    ContentStatus.PUBLISHED: {"visitor", "anonymous", "author", "other_resident", "official", "moderator", "admin"},
    ContentStatus.PENDING: {"author", "moderator", "admin"},
    ContentStatus.HIDDEN: {"author", "moderator", "admin"},
    ContentStatus.REMOVED: {"moderator", "admin"},
    ContentStatus.DELETED: {"moderator", "admin"},
}
VIEWERS = ("visitor", "anonymous", "author", "other_resident", "official", "moderator", "admin")


@pytest.fixture
def author(make_user):
    return make_user(Role.RESIDENT)


@pytest.fixture
def viewers(author, make_user):
    return {
        "visitor": None,
        "anonymous": AnonymousUserMixin(),
        "author": author,
        "other_resident": make_user(Role.RESIDENT),
        "official": make_user(Role.OFFICIAL),
        "moderator": make_user(Role.MODERATOR),
        "admin": make_user(Role.ADMIN),
    }


@pytest.fixture
def contents(author):
    """One plain `Content` row (kind "content") per status, all by `author`."""
    rows = {
        status: Content(author=author, body_source=status, body_html=f"<p>{status}</p>", status=status)
        for status in ContentStatus.ALL
    }
    db.session.add_all(rows.values())
    db.session.commit()
    return rows


def test_every_status_is_covered():
    assert set(VISIBLE_TO) == set(ContentStatus.ALL)


@pytest.mark.parametrize("status", ContentStatus.ALL)
def test_only_published_content_is_public(contents, status):
    assert contents[status].is_public is (status == ContentStatus.PUBLISHED)


def test_public_filter_matches_is_public(contents):
    from_sql = {row.id for row in Content.query.filter(Content.public_filter())}
    from_python = {row.id for row in Content.query if row.is_public}
    assert from_sql == from_python == {contents[ContentStatus.PUBLISHED].id}


def test_public_filter_matches_is_public_after_status_changes(contents):
    published = contents[ContentStatus.PUBLISHED]
    pending = contents[ContentStatus.PENDING]
    published.status = ContentStatus.HIDDEN
    pending.status = ContentStatus.PUBLISHED
    db.session.commit()
    from_sql = {row.id for row in Content.query.filter(Content.public_filter())}
    assert from_sql == {row.id for row in Content.query if row.is_public} == {pending.id}


def test_rows_are_plain_content(contents):
    assert {row.kind for row in Content.query} == {"content"}
    assert all(type(row) is Content for row in Content.query)


def test_visibility_for_every_status_and_viewer(contents, viewers):
    """One comparison of the whole matrix, so a failure lists every wrong cell."""
    actual = {
        (status, viewer): contents[status].is_visible_to(viewers[viewer])
        for status in ContentStatus.ALL
        for viewer in VIEWERS
    }
    expected = {
        (status, viewer): viewer in VISIBLE_TO[status]
        for status in ContentStatus.ALL
        for viewer in VIEWERS
    }
    assert actual == expected


def test_an_official_author_follows_the_same_rule(make_user):
    official = make_user(Role.OFFICIAL)
    other_official = make_user(Role.OFFICIAL)
    content = Content(author=official, status=ContentStatus.PENDING)
    db.session.add(content)
    db.session.commit()
    assert content.is_visible_to(official)
    assert not content.is_visible_to(other_official)
    content.status = ContentStatus.DELETED
    db.session.commit()
    assert not content.is_visible_to(official)
