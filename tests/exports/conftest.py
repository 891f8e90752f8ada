"""A consultation with known feedback, for the summary and export tests.

`consultation` builds one policy (two versions, three clauses) with comments
of every stance on several clauses, replies, an official response, one
comment in each non-public status, votes, and residents in two kecamatan;
`expected` says what the summary must count.
"""
from dataclasses import dataclass, field

import pytest

from forum.extensions import db
from forum.models import ContentStatus, District, PolicyPhase, Role, Vote
from tests.factories import make_comment, make_policy


@dataclass
class Consultation:
    policy: object
    residents: list
    official: object
    published: list = field(default_factory=list)
    hidden_texts: list = field(default_factory=list)


@pytest.fixture
def serpong_resident(make_user):
    return make_user(Role.RESIDENT, district=District.query.filter_by(code="serpong.ciater").one())


@pytest.fixture
def make_consultation(make_user, official, kelurahan, serpong_resident):
    def build(phase=PolicyPhase.OPEN):
        policy = make_policy(official.agency, phase=phase, sections=3, versions=2,
                             title="Rancangan Perwali Ruang Terbuka Hijau")
        residents = [make_user(Role.RESIDENT) for _ in range(3)] + [serpong_resident]
        unregistered = make_user(Role.RESIDENT, district=None)
        data = Consultation(policy=policy, residents=residents + [unregistered], official=official)
        first, second, third = policy.current_version.sections
        add = data.published.append
        strong = make_comment(policy, residents[0], section=first, stance="support",
                              body="Taman kota harus diperbanyak untuk anak-anak.")
        strong.up_count = 5
        add(strong)
        against = make_comment(policy, residents[1], section=first, stance="oppose",
                               body="Anggaran taman terlalu besar, perbaiki jalan dulu.")
        against.up_count = 3
        add(against)
        add(make_comment(policy, serpong_resident, section=first, stance="oppose",
                         body="Taman di Serpong belum terawat, perbaiki dulu."))
        add(make_comment(policy, residents[2], section=second, stance="neutral", body="Perlu penjelasan taman."))
        add(make_comment(policy, unregistered, stance="support", body="Setuju secara umum, taman penting."))
        add(make_comment(policy, residents[2], parent=against, stance=None, body="Saya setuju dengan jalan."))
        add(make_comment(policy, official, parent=strong, stance=None, official=True,
                         body="Terima kasih, kami akan menambah taman."))
        for status in (ContentStatus.PENDING, ContentStatus.HIDDEN, ContentStatus.REMOVED, ContentStatus.DELETED):
            text = f"Rahasia {status} jangan diekspor"
            comment = make_comment(policy, residents[3], section=third, stance="oppose", body=text, status=status)
            comment.status_reason = "spam" if status != ContentStatus.DELETED else None
            data.hidden_texts.append(text)
        for voter, value in ((residents[0], "support"), (residents[1], "oppose"), (residents[3], "support")):
            db.session.add(Vote(content_id=policy.id, user_id=voter.id, value=value))
        policy.up_count, policy.down_count = 2, 1
        db.session.commit()
        return data

    return build


@pytest.fixture
def consultation(make_consultation):
    return make_consultation()
