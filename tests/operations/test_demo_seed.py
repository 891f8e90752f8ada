"""Demo consultations: every phase is there, counters equal the rows, seeding twice adds nothing.

The large set is run at a reduced scale (fewer residents and comments) so
the bulk-insert path is exercised in seconds.
"""
import pytest
from sqlalchemy import func, select

from forum import demo
from forum.demo import consultations as demo_consultations
from forum.demo.consultations import (
    BENCH_TITLE_LARGE,
    BENCH_TITLE_SMALL,
    stories,
)
from forum.extensions import db
from forum.models import (
    Comment,
    Content,
    ContentStatus,
    Follow,
    Policy,
    PolicyPhase,
    PolicyVersion,
    Section,
    User,
    Vote,
)


def _counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Policy, PolicyVersion, Section, Comment, Vote, Follow, User)}


def _grouped(column, *conditions):
    """{value of column: COUNT(*)} over published comments matching `conditions`."""
    rows = db.session.execute(
        select(column, func.count()).select_from(Comment)
        .where(Comment.status == ContentStatus.PUBLISHED, *conditions).group_by(column)
    )
    return dict(rows.all())


def _votes(values):
    rows = db.session.execute(
        select(Vote.content_id, func.count()).where(Vote.value.in_(values)).group_by(Vote.content_id)
    )
    return dict(rows.all())


def assert_counters_match_rows():
    db.session.expire_all()
    per_policy = _grouped(Comment.target_id)
    per_section = _grouped(Comment.section_id)
    stances = {stance: _grouped(Comment.section_id, Comment.stance == stance)
               for stance in ("support", "oppose", "neutral")}
    replies = _grouped(Comment.parent_id)
    ups, downs = _votes(("up", "support")), _votes(("down", "oppose"))
    for policy in Policy.query:
        assert policy.comment_count == per_policy.get(policy.id, 0), policy.title
    for section in Section.query:
        assert section.comment_count == per_section.get(section.id, 0)
        assert section.support_count == stances["support"].get(section.id, 0)
        assert section.oppose_count == stances["oppose"].get(section.id, 0)
        assert section.neutral_count == stances["neutral"].get(section.id, 0)
    for content in Content.query.filter(Content.kind.in_(("policy", "comment"))):
        assert content.up_count == ups.get(content.id, 0)
        assert content.down_count == downs.get(content.id, 0)
        if content.kind == "comment":
            assert content.reply_count == replies.get(content.id, 0)


def _story(phase):
    return next(spec for spec in stories() if spec["phase"] == phase)


def _policy(title):
    return Policy.query.filter_by(title=title).one()


def test_small_seed_has_a_consultation_in_every_phase(app):
    demo.seed("small")
    open_policy = _policy(_story("open")["title"])
    assert open_policy.accepts_input()
    upcoming = _policy(_story("upcoming")["title"])
    assert upcoming.is_upcoming() and upcoming.comment_count == 0
    assert _policy(_story("closed")["title"]).phase == PolicyPhase.CLOSED
    final = _policy(_story("final")["title"])
    assert final.phase == PolicyPhase.FINAL and "312 warga" in final.outcome_html
    assert any(section.outcome_note for section in final.current_version.sections)
    policies = Policy.query.all()
    assert len(policies) == len(stories())
    assert all(4 <= len(version.sections) <= 8 for policy in policies for version in policy.versions)
    revised = [policy for policy in policies if len(policy.versions) == 2]
    assert len(revised) == 1
    written_on = {comment.version.number for comment in Comment.query.filter_by(target_id=revised[0].id)}
    assert written_on == {1, 2}


def test_small_seed_comments_look_like_a_real_discussion(app):
    demo.seed("small")
    comments = Comment.query.all()
    assert {comment.stance for comment in comments if comment.depth == 0} >= {"support", "oppose", "neutral"}
    assert {comment.depth for comment in comments} == {0, 1, 2}
    responses = [comment for comment in comments if comment.is_official_response]
    assert responses and all(comment.agency_id == comment.author.agency_id for comment in responses)
    assert all(comment.root_id is not None for comment in comments if comment.depth > 0)
    # Desk comments (forum/demo/desk.py) have no author account: their place is their input kelurahan.
    kecamatan = {comment.author.district.kecamatan.code for comment in comments
                 if comment.author is not None and comment.author.district}
    assert len(kecamatan) >= 4
    assert Follow.query.count() > 0
    assert any(comment.up_count for comment in comments)


def test_small_seed_counters_equal_rows_and_seeding_twice_adds_nothing(app):
    demo.seed("small")
    assert_counters_match_rows()
    first = _counts()
    demo.seed("small")
    assert _counts() == first
    assert_counters_match_rows()


def test_seeded_consultations_render(app, client):
    demo.seed("small")
    final = _policy(_story("final")["title"])
    page = client.get(f"/konsultasi/{final.id}")
    assert page.status_code == 200
    assert "Pondok Maharta" in page.get_data(as_text=True)
    assert client.get("/konsultasi/").status_code == 200


@pytest.fixture
def smaller_large_set(monkeypatch):
    monkeypatch.setattr(demo, "LARGE_RESIDENTS", 60)
    monkeypatch.setattr(demo_consultations, "BENCH_COMMENTS", (120, 10))
    monkeypatch.setattr(demo_consultations, "GENERATED_POLICIES", 3)
    monkeypatch.setattr(demo_consultations, "GENERATED_COMMENTS", 25)
    monkeypatch.setattr(demo_consultations, "BATCH", 40)  # several batches per policy


def test_large_seed_bulk_rows_are_whole_and_counted(app, smaller_large_set):
    demo.seed("large")
    assert Policy.query.count() == len(stories()) + 5
    assert _policy(BENCH_TITLE_LARGE).comment_count == 120
    assert _policy(BENCH_TITLE_SMALL).comment_count == 10
    # Joined inheritance: every comment row has its content row, of the right kind.
    content, comment = Content.__table__, Comment.__table__
    joined = db.session.scalar(select(func.count()).select_from(
        comment.join(content, content.c.id == comment.c.id)).where(content.c.kind == "comment"))
    assert joined == db.session.scalar(select(func.count()).select_from(comment)) == db.session.scalar(
        select(func.count()).select_from(content).where(content.c.kind == "comment"))
    for reply in Comment.query.filter(Comment.parent_id.isnot(None)):
        assert reply.parent.target_id == reply.target_id
        assert reply.root_id == (reply.parent.root_id or reply.parent_id)
        assert reply.depth == reply.parent.depth + 1
    assert_counters_match_rows()
    first = _counts()
    demo.seed("large")
    assert _counts() == first
