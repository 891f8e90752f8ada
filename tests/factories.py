"""Rows for consultation tests, built directly (not through the services under test).

`make_policy` creates a Policy with a first version and numbered sections;
`make_comment` adds a comment row with its thread fields and counters set the
way the service would; `make_organization` an organization (verified by
default) with its members. All commit.
"""
from datetime import timedelta
from itertools import count

import pytest

from forum.extensions import db
from forum.models import (
    Category,
    Comment,
    ContentStatus,
    MemberRole,
    Organization,
    OrganizationMember,
    OrganizationStatus,
    Policy,
    PolicyPhase,
    PolicyVersion,
    Section,
)
from forum.text import render_markdown
from forum.timeutil import utcnow

_numbers = count(1)


@pytest.fixture
def no_post_rate(monkeypatch):
    """Let one person post several times a second (the rate filter has its own tests)."""
    from moderation import screen
    from moderation.filters.rate import rate_and_repetition

    monkeypatch.setattr(screen, "ACCOUNT_FILTERS", tuple(
        check for check in screen.ACCOUNT_FILTERS if check is not rate_and_repetition))


def make_policy(agency, *, phase=PolicyPhase.OPEN, sections=3, opens_at=None, closes_at=None,
                title=None, category=None, author=None, versions=1):
    """A policy of `agency` in `phase`; open policies accept input now unless times say otherwise."""
    now = utcnow()
    number = next(_numbers)
    policy = Policy(
        title=title or f"Rancangan Perwali Nomor {number}",
        summary="Ringkasan rancangan.", summary_html="<p>Ringkasan rancangan.</p>",
        body_source="", body_html="",
        category=category or db.session.scalars(db.select(Category).order_by(Category.id)).first(),
        agency=agency, author=author, phase=phase,
        opens_at=opens_at or now - timedelta(days=1),
        closes_at=closes_at or now + timedelta(days=13),
        published_at=None if phase == PolicyPhase.DRAFT else now - timedelta(days=1),
    )
    db.session.add(policy)
    for version_number in range(1, versions + 1):
        version = PolicyVersion(policy=policy, number=version_number, change_note=f"Versi {version_number}")
        for index in range(1, sections + 1):
            body = f"Isi pasal {index} versi {version_number}."
            version.sections.append(Section(
                clause_key=f"c{index}", number=index, heading=f"Pasal {index}",
                body_source=body, body_html=render_markdown(body),
            ))
        db.session.add(version)
    db.session.commit()
    return policy


def make_comment(policy, author, *, body="Komentar warga.", stance="support", parent=None, section=None,
                 status=ContentStatus.PUBLISHED, official=False, created_at=None):
    """A comment row as post_comment would leave it, counters included."""
    if parent is not None:
        thread = {"parent_id": parent.id, "root_id": parent.root_id or parent.id, "depth": parent.depth + 1,
                  "version_id": parent.version_id, "section_id": parent.section_id}
    else:
        thread = {"version_id": policy.current_version.id, "section_id": section.id if section else None}
    comment = Comment(
        author=author, target_id=policy.id, body_source=body, body_html=render_markdown(body),
        status=status, stance=stance, is_official_response=official,
        agency_id=author.agency_id if official else None, created_at=created_at or utcnow(), **thread,
    )
    db.session.add(comment)
    if status == ContentStatus.PUBLISHED:
        policy.comment_count = Policy.comment_count + 1
        if parent is not None:
            parent.reply_count = Comment.reply_count + 1
        if comment.section_id is not None:
            target = db.session.get(Section, comment.section_id)
            target.comment_count = Section.comment_count + 1
            if stance:
                name = f"{stance}_count"
                setattr(target, name, getattr(Section, name) + 1)
    db.session.commit()
    return comment


def counted_rows(policy):
    """What the counters of `policy` and its clauses should say, recounted from the rows."""
    from sqlalchemy import func, select

    from forum.models import Vote

    published = Comment.status == ContentStatus.PUBLISHED
    truth = {"comment_count": db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.target_id == policy.id, published))}
    for value in ("support", "oppose"):
        truth[value] = db.session.scalar(
            select(func.count()).select_from(Vote).where(Vote.content_id == policy.id, Vote.value == value))
    sections = {}
    for version in policy.versions:
        for section in version.sections:
            rows = db.session.execute(
                select(Comment.stance, func.count()).where(Comment.section_id == section.id, published)
                .group_by(Comment.stance)
            ).all()
            by_stance = dict(rows)
            sections[section.id] = (sum(by_stance.values()), by_stance.get("support", 0),
                                    by_stance.get("oppose", 0), by_stance.get("neutral", 0))
    truth["sections"] = sections
    return truth


def counters(policy):
    """What the counters of `policy` and its clauses say now."""
    db.session.expire_all()
    policy = db.session.get(Policy, policy.id)
    return {
        "comment_count": policy.comment_count, "support": policy.up_count, "oppose": policy.down_count,
        "sections": {
            section.id: (section.comment_count, section.support_count, section.oppose_count, section.neutral_count)
            for version in policy.versions for section in version.sections
        },
    }


def make_organization(*, members=(), admins=(), status=OrganizationStatus.VERIFIED, name=None, kind="community",
                      district=None):
    """An organization in `status` with `members` and `admins` (User rows), as organizations.py would leave it."""
    number = next(_numbers)
    organization = Organization(
        name=name or f"Komunitas Warga {number}", slug=f"komunitas-warga-{number}", kind=kind,
        district=district, description="Komunitas warga.", description_html="<p>Komunitas warga.</p>",
        status=status, status_reason="Ditangguhkan." if status == OrganizationStatus.SUSPENDED else None,
        requested_by=(list(admins) + list(members) or [None])[0],
    )
    for user in admins:
        organization.members.append(OrganizationMember(user=user, role=MemberRole.ADMIN))
    for user in members:
        organization.members.append(OrganizationMember(user=user, role=MemberRole.MEMBER))
    db.session.add(organization)
    db.session.commit()
    return organization
