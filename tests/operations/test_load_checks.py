"""`make load`'s own logic: the checks find what they claim to find, the table judges phases as documented.

The load run itself needs minutes and its own services; what decides its
verdict is tested here, on the suite's database (SQLite, or PostgreSQL with
TEST_DATABASE_URL): the lost-write, counter and half-written-row queries of
bench/mixed_load/checks.py, and the pass rules of bench/mixed_load/report.py.
"""
from collections import Counter

import pytest
from sqlalchemy import text

from bench.mixed_load import checks
from bench.mixed_load.faults import Outcome
from bench.mixed_load.population import population
from bench.mixed_load.report import WRONG, PhaseResult, exceptions
from forum.extensions import db
from forum.services import votes
from tests.factories import make_comment, make_policy


@pytest.fixture
def discussion(app, agency, resident, make_user):
    """An open policy with a comment and a reply by `resident`, rated and voted on by another resident."""
    policy = make_policy(agency)
    section = policy.current_version.sections[0]
    comment = make_comment(policy, resident, section=section, stance="oppose")
    reply = make_comment(policy, resident, parent=comment, stance=None)
    voter = make_user(email="pemilih@example.id")
    votes.vote_on_content(voter, comment, "up")
    votes.vote_on_policy(voter, policy, "support")
    return {"policy": policy, "section": section, "comment": comment, "reply": reply, "voter": voter}


def findings_for(records):
    db.session.commit()
    with db.engine.connect() as connection:
        return checks.database_findings(connection, records)


def records(created=(), votes=None, decisions=()):
    record = checks.Records()
    record.add({"created": list(created), "votes": votes or {}, "decisions": list(decisions)})
    return record


def test_rows_as_the_services_left_them_pass(discussion):
    voter, comment, policy = discussion["voter"], discussion["comment"], discussion["policy"]
    found = findings_for(records(
        created=[["comment", comment.id], ["comment", discussion["reply"].id]],
        votes={f"{voter.id}:{comment.id}": "up", f"{voter.id}:{policy.id}": "support"}))

    assert found.lost == []
    assert found.counters == {}
    assert found.half_written == []


def test_every_counter_that_drifts_from_its_rows_is_named(discussion):
    comment, policy, section = discussion["comment"], discussion["policy"], discussion["section"]
    db.session.execute(text("UPDATE content SET up_count = up_count + 1, reply_count = 0 WHERE id = :id"),
                       {"id": comment.id})
    db.session.execute(text("UPDATE policy SET comment_count = comment_count + 5 WHERE id = :id"), {"id": policy.id})
    db.session.execute(text("UPDATE section SET oppose_count = 0 WHERE id = :id"), {"id": section.id})

    found = findings_for(checks.Records())

    assert found.counters == {"votes": [comment.id], "reply_count": [comment.id],
                              "comment_count": [policy.id], "clause counters": [section.id]}


def test_a_confirmed_write_missing_from_the_database_is_lost(discussion):
    voter, comment = discussion["voter"], discussion["comment"]
    found = findings_for(records(
        created=[["comment", comment.id], ["aspiration", 2_000_000], ["flag", 2_000_001]],
        votes={f"{voter.id}:{comment.id}": "down"},       # the app confirmed "down"; the row says "up"
        decisions=[2_000_002]))

    assert found.lost == ["aspiration 2000000", "flag 2000001", "decision on item 2000002",
                          f"vote of {voter.id} on {comment.id}: down, found up"]


def test_a_vote_whose_answer_was_lost_is_not_judged(discussion):
    voter, comment = discussion["voter"], discussion["comment"]
    later = checks.Records()
    later.add({"created": [], "votes": {f"{voter.id}:{comment.id}": "down"}, "decisions": []})
    later.add({"created": [], "votes": {f"{voter.id}:{comment.id}": None}, "decisions": []})  # a later phase

    assert findings_for(later).lost == []


@pytest.mark.no_search_verify  # the row is broken on purpose: the index cannot hold it
def test_a_content_row_without_its_kind_is_half_written(app):
    db.session.execute(text("INSERT INTO content (id, kind, body_source, body_html, status, created_at, up_count, "
                            "down_count, reply_count, flag_count) VALUES (3000000, 'comment', '', '', 'published', "
                            "CURRENT_TIMESTAMP, 0, 0, 0, 0)"))

    assert findings_for(checks.Records()).half_written == [3000000]


def _phase(statuses, outcome=None, findings_ok=True):
    findings = checks.Findings(search_ok=findings_ok)
    return PhaseResult(name="phase", users=1, seconds=1, stats={}, statuses={"GET /": Counter(statuses)},
                       samples=[], writes=0, findings=findings, outcome=outcome or Outcome())


def test_answers_pass_and_errors_fail_a_phase():
    assert _phase({200: 10, 302: 3, 409: 2, 422: 1, 429: 5}).ok
    assert not _phase({200: 10, 500: 1}).ok
    assert not _phase({200: 10, 404: 1}).ok
    assert not _phase({200: 10, WRONG: 1}).ok          # e.g. a form post sent to the login page
    assert not _phase({200: 10}, findings_ok=False).ok  # search verify found a difference


def test_a_fault_allows_only_what_it_says():
    assert not _phase({200: 10, 503: 4}).ok
    assert _phase({200: 10, 503: 4}, Outcome(allow_503=True)).ok
    assert _phase({200: 10, 0: 3}, Outcome(allow_dropped=3)).ok
    assert not _phase({200: 10, 0: 4}, Outcome(allow_dropped=3)).ok
    assert not _phase({200: 10}, Outcome(ok=False)).ok  # e.g. the app did not answer again after a restart


def test_population_gives_every_kind_and_adds_up():
    for users in (5, 20, 200, 333):
        counts = population(users)
        assert sum(counts.values()) == users
        assert min(counts.values()) >= 1
    assert population(200) == {"api_resident": 50, "browser_resident": 30, "official": 15, "moderator": 15,
                               "visitor": 90}


def test_app_log_exceptions_are_told_with_what_the_app_said():
    log = "\n".join([
        "[2026-12-06 21:00:47 +0000] ERROR in app: Exception on /konsultasi/12 [GET]",
        "Traceback (most recent call last):",
        '  File "x.py", line 1, in f',
        "psycopg2.OperationalError: connection refused",
        "",
        "The above exception was the direct cause of the following exception:",
        "",
        "Traceback (most recent call last):",
        '  File "y.py", line 2, in g',
        "sqlalchemy.exc.OperationalError: connection refused",
        "event='login_ok' user_id=3",
        "[2026-12-06 21:00:48 +0000] ERROR in app: Exception on /konsultasi/34 [GET]",
        "Traceback (most recent call last):",
        "psycopg2.OperationalError: connection refused",
    ])

    assert exceptions(log) == Counter(
        {"ERROR in app: Exception on /konsultasi/N [GET]: psycopg2.OperationalError: connection refused": 2})
