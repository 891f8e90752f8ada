"""Policies and comments in the search index: what they hold, when they change.

Goes through the real services (publish, new version, post, hide) so the test
fails if a change does not write the search outbox in its transaction.
"""
from datetime import timedelta

import pytest

from forum import search
from forum.extensions import db
from forum.models import Comment, ContentStatus, Policy, PolicyPhase
from forum.services import comments, policies
from forum.timeutil import utcnow
from tests.factories import make_comment, make_policy, no_post_rate  # noqa: F401 (fixture)


def _draft(official, title="Rancangan Perwali Penataan Drainase Perkotaan"):
    now = utcnow()
    return policies.create_policy(
        official, title=title, summary="Ringkasan tentang saluran air hujan.",
        sections=[{"heading": "Ketentuan Retribusi", "body": "Isi pasal tentang pemeliharaan gorong-gorong."}],
        category_code="infrastruktur", opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=14))


def _hits(q, **filters):
    results = search.search(q, per_page=100, **filters)
    assert results.available
    return results.items


def test_draft_is_not_indexed_and_publishing_makes_it_findable(official):
    policy = _draft(official)
    assert _hits("drainase") == []
    policies.publish_policy(official, policy)
    [hit] = _hits("drainase")
    assert (hit.kind, hit.id, hit.url, hit.status) == ("policy", policy.id, f"/konsultasi/{policy.id}", "open")
    assert hit.category == "infrastruktur" and hit.agency == official.agency.code
    # summary, clause heading and clause body are all indexed
    assert [h.id for h in _hits("retribusi")] == [policy.id]
    assert [h.id for h in _hits("gorong-gorong")] == [policy.id]
    assert [h.id for h in _hits("saluran")] == [policy.id]
    assert [h.id for h in _hits("", kind="policy", status="open")] == [policy.id]


def test_new_version_and_closing_reach_the_index(official):
    policy = _draft(official)
    policies.publish_policy(official, policy)
    policies.publish_new_version(official, policy, change_note="Perubahan",
                                 sections=[{"heading": "Ketentuan Sanksi", "body": "Denda bagi pelanggar."}])
    assert [h.id for h in _hits("sanksi denda")] == [policy.id]
    assert _hits("retribusi") == []  # only the current version is indexed
    policies.close_policy(official, policy)
    assert [h.id for h in _hits("sanksi", status="closed")] == [policy.id]


@pytest.mark.usefixtures("no_post_rate")
def test_a_new_comment_is_findable_when_post_returns_and_gone_when_hidden(official, resident):
    policy = make_policy(official.agency)
    section = policy.current_version.sections[0]
    comment = comments.post_comment(resident, policy, body="Trotoar di depan sekolah rusak parah.",
                                    stance="oppose", section_id=section.id)
    [hit] = _hits("trotoar")
    assert (hit.kind, hit.id, hit.stance) == ("comment", comment.id, "oppose")
    assert hit.url == f"/konsultasi/{policy.id}#comment-{comment.id}"
    assert hit.author == resident.display_name
    assert hit.category == policy.category.code and hit.agency == policy.agency.code
    assert [h.id for h in _hits(section.heading.split()[0], kind="comment")] == [comment.id]
    comment.status = ContentStatus.HIDDEN
    db.session.commit()
    assert _hits("trotoar") == []


def test_official_responses_are_marked(official, resident):
    policy = make_policy(official.agency)
    comment = make_comment(policy, official, body="Tanggapan resmi dinas.", stance=None, official=True)
    assert [h.id for h in _hits("tanggapan", status="official")] == [comment.id]


def test_hiding_a_policy_takes_its_comments_out(official, resident):
    policy = make_policy(official.agency)
    comment = make_comment(policy, resident, body="Lampu jalan mati sejak bulan lalu.")
    assert [h.id for h in _hits("lampu")] == [comment.id]
    policy.status = ContentStatus.HIDDEN
    db.session.commit()
    assert _hits("lampu") == []
    policy.status = ContentStatus.PUBLISHED
    db.session.commit()
    assert [h.id for h in _hits("lampu")] == [comment.id]


def test_comment_visibility_follows_its_policy_in_sql_and_python(official, resident):
    shown = make_policy(official.agency)
    hidden = make_policy(official.agency)
    draft = make_policy(official.agency, phase=PolicyPhase.DRAFT)
    visible = make_comment(shown, resident)
    make_comment(hidden, resident)
    make_comment(draft, resident)
    hidden.status = ContentStatus.HIDDEN
    db.session.commit()
    db.session.expire_all()
    from_sql = set(db.session.scalars(db.select(Comment.id).where(Comment.public_filter())))
    from_python = {row.id for row in db.session.scalars(db.select(Comment)) if row.is_public}
    assert from_sql == from_python == {visible.id}
    assert {row.id for row in db.session.scalars(db.select(Policy).where(Policy.public_filter()))} == {shown.id}


def test_verify_passes_after_policy_and_comment_changes(official, resident):
    policy = make_policy(official.agency)
    make_comment(policy, resident, body="Setuju dengan rancangan ini.")
    policy.title = "Judul baru rancangan"
    db.session.commit()
    assert [h.id for h in _hits("judul")] == [policy.id]
    result = search.verify()
    assert (result.missing, result.extra, result.stale, result.pending) == ([], [], [], 0)


def test_closing_on_time_reaches_the_index(official):
    policy = make_policy(official.agency)
    policy.opens_at, policy.closes_at = utcnow() - timedelta(days=10), utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert [h.id for h in _hits("", status="open")] == [policy.id]
    assert policies.refresh_phases() == [policy.id]
    assert [h.id for h in _hits("", status="closed")] == [policy.id]
