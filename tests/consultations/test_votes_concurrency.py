"""Counters stay equal to the rows they count when many people vote at once (PostgreSQL only).

Sixty threads, each with its own app context and so its own session and
connection, vote, change and clear their votes on one policy and one comment
at the same moment; two threads share each account, so the same person also
races with themselves into the unique constraint. Afterwards the counters on
both rows must equal the vote rows.
"""
import random
import threading

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Comment, Policy, User, Vote
from forum.services import votes as service
from forum.timeutil import utcnow
from tests.factories import make_comment, make_policy

PEOPLE = 30
THREADS_PER_PERSON = 2


@pytest.fixture
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks and real concurrency need PostgreSQL: set TEST_DATABASE_URL (CI does)")


def _voters(count):
    users = [
        User(email=f"voter{number}@example.test", display_name=f"Pemilih {number}", password_hash="-",
             email_verified_at=utcnow())
        for number in range(count)
    ]
    db.session.add_all(users)
    db.session.commit()
    return [user.id for user in users]


def _actions(seed):
    chance = random.Random(seed)
    return [
        ("policy", chance.choice(["support", "oppose"])),
        ("comment", chance.choice(["up", "down"])),
        ("policy", chance.choice(["support", "oppose", None])),
        ("comment", chance.choice(["up", "down", None])),
    ]


def _run(app, user_id, policy_id, comment_id, seed, barrier, errors):
    with app.app_context():
        try:
            # Wait before touching the database: a thread holding a pooled
            # connection at the barrier would starve the others of one.
            barrier.wait(timeout=30)
            user = db.session.get(User, user_id)
            for target, value in _actions(seed):
                content = db.session.get(Policy if target == "policy" else Comment,
                                         policy_id if target == "policy" else comment_id)
                if target == "policy":
                    service.vote_on_policy(user, content, value) if value else service.clear_policy_vote(user, content)
                else:
                    service.vote_on_content(user, content, value) if value else service.clear_content_vote(user, content)
        except Exception as error:  # noqa: BLE001  (reported by the test, not lost in a thread)
            errors.append(repr(error))
        finally:
            db.session.remove()


def _counts(content_id):
    up, down = db.session.execute(
        select(Policy.up_count, Policy.down_count).where(Policy.id == content_id)
    ).one() if db.session.get(Policy, content_id) else db.session.execute(
        select(Comment.up_count, Comment.down_count).where(Comment.id == content_id)
    ).one()
    rows = dict(db.session.execute(
        select(Vote.value, func.count()).where(Vote.content_id == content_id).group_by(Vote.value)
    ).all())
    return (up, down), rows


def test_concurrent_votes_keep_counters_true(app, postgres_only, agency, make_user):
    policy = make_policy(agency)
    comment = make_comment(policy, make_user())
    user_ids = _voters(PEOPLE)
    barrier = threading.Barrier(PEOPLE * THREADS_PER_PERSON)
    errors = []
    threads = [
        threading.Thread(target=_run, args=(app, user_id, policy.id, comment.id, seed, barrier, errors))
        for seed, user_id in enumerate(user_ids * THREADS_PER_PERSON)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    db.session.expire_all()
    (support, oppose), policy_rows = _counts(policy.id)
    assert (support, oppose) == (policy_rows.get("support", 0), policy_rows.get("oppose", 0))
    (up, down), comment_rows = _counts(comment.id)
    assert (up, down) == (comment_rows.get("up", 0), comment_rows.get("down", 0))
    # One row per person at most, and some people did vote.
    assert 0 < sum(policy_rows.values()) <= PEOPLE
    assert db.session.scalar(select(func.count(func.distinct(Vote.user_id))).where(
        Vote.content_id == policy.id)) == sum(policy_rows.values())
