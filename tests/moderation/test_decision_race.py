"""Two moderators decide the same item at the same moment: one wins, the other is told (PostgreSQL only).

Eight threads, each with its own app context (own session and connection),
decide one flagged item at once with different actions. Exactly one
decision is applied and audited; every other thread gets 409
`already_decided`, and the counters match the rows.
"""
import threading

import pytest
from sqlalchemy import func, select

from forum.errors import Conflict
from forum.extensions import db
from forum.models import Role, User
from moderation import decisions, flags
from moderation.models import AuditEntry, ReviewItem
from tests.factories import counted_rows, make_comment, make_policy

THREADS = 8


@pytest.fixture
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL: set TEST_DATABASE_URL (CI does)")


def test_only_one_of_many_simultaneous_decisions_applies(postgres_only, app, agency, make_user):
    policy = make_policy(agency)
    comment = make_comment(policy, make_user(Role.RESIDENT), body="Komentar yang diperdebatkan.")
    flags.flag_content(make_user(Role.RESIDENT), comment, "spam")
    item_id = db.session.scalar(select(ReviewItem.id))
    moderator_ids = [make_user(Role.MODERATOR).id for _ in range(THREADS)]
    barrier, outcomes = threading.Barrier(THREADS), []

    def decide(moderator_id, action):
        with app.app_context():
            moderator = db.session.get(User, moderator_id)
            barrier.wait()
            try:
                decisions.decide(moderator, item_id, action, reason="Serentak")
                outcomes.append("done")
            except Conflict as error:
                outcomes.append(error.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=(moderator_id, ("remove", "hide")[n % 2]))
               for n, moderator_id in enumerate(moderator_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    assert outcomes.count("done") == 1 and outcomes.count("already_decided") == THREADS - 1
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action.like("decision.%"))) == 1
    assert counted_rows(policy)["comment_count"] == db.session.get(type(policy), policy.id).comment_count == 0
