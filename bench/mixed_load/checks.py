"""The checks after every phase: nothing lost, counters true, no half-written rows, search in step, no deadlock.

* Lost writes: every id the users got a 201 for (comments, replies,
  official responses, aspirations, flags) is a row; every decision answered
  200 is decided; every vote the app confirmed is the account's vote now
  (votes whose answer was lost are skipped: their outcome is unknown).
* Counters: each content's `up_count`/`down_count` equals its vote rows
  (votes, helpful ratings, support); each policy's and aspiration's
  `comment_count`, each comment's `reply_count` and each clause's comment and
  stance counters equal their published comments.
* Half-written rows: a content row without its kind's row, an aspiration
  without its timeline's first event.
* Search: `search sync`, then `search verify` finds no difference, for
  every node's index directory (search_check.py: the same functions as the
  `flask search` commands, in one process).
* Deadlocks: "deadlock detected" in the PostgreSQL log.
"""
import os
import subprocess
import sys
from dataclasses import dataclass, field

from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.pool import NullPool

from bench.mixed_load.services import REPO

ROW_TABLES = {"comment": "comment", "aspiration": "aspiration", "flag": "flag"}

CLAUSE_COUNTERS = (("comment_count", ""), ("support_count", "AND m.stance = 'support'"),
                   ("oppose_count", "AND m.stance = 'oppose'"), ("neutral_count", "AND m.stance = 'neutral'"))
# Plain SQL that PostgreSQL and SQLite read alike (the checks have tests on both).
COUNTER_QUERIES = {
    "votes": """
        SELECT c.id FROM content c
        WHERE c.up_count <> (SELECT count(*) FROM vote v WHERE v.content_id = c.id AND v.value IN ('up', 'support'))
           OR c.down_count <> (SELECT count(*) FROM vote v
                               WHERE v.content_id = c.id AND v.value IN ('down', 'oppose'))""",
    "comment_count": """
        SELECT t.id FROM (SELECT id, comment_count FROM policy
                          UNION ALL SELECT id, comment_count FROM aspiration) t
        WHERE t.comment_count <> (SELECT count(*) FROM comment m JOIN content c ON c.id = m.id
                                  WHERE m.target_id = t.id AND c.status = 'published')""",
    "reply_count": """
        SELECT c.id FROM content c JOIN comment m ON m.id = c.id
        WHERE c.reply_count <> (SELECT count(*) FROM comment r JOIN content rc ON rc.id = r.id
                                WHERE r.parent_id = c.id AND rc.status = 'published')""",
    "clause counters": " UNION ".join(f"""
        SELECT s.id FROM section s
        WHERE s.{column} <> (SELECT count(*) FROM comment m JOIN content c ON c.id = m.id
                             WHERE m.section_id = s.id AND c.status = 'published' {condition})"""
                                      for column, condition in CLAUSE_COUNTERS),
}

HALF_WRITTEN = """
    SELECT c.id FROM content c
    WHERE (c.kind = 'comment' AND NOT EXISTS (SELECT 1 FROM comment x WHERE x.id = c.id))
       OR (c.kind = 'aspiration' AND NOT EXISTS (SELECT 1 FROM aspiration x WHERE x.id = c.id))
       OR (c.kind = 'policy' AND NOT EXISTS (SELECT 1 FROM policy x WHERE x.id = c.id))
    UNION ALL
    SELECT a.id FROM aspiration a WHERE NOT EXISTS (SELECT 1 FROM aspiration_event e WHERE e.aspiration_id = a.id)
"""


def _in(query):
    """`query` with its `:ids` or `:users` list bound as an IN list."""
    statement = text(query)
    names = [name for name in ("ids", "users") if f":{name}" in query]
    return statement.bindparams(*(bindparam(name, expanding=True) for name in names))


@dataclass
class Records:
    """Everything the users were told was written, over all phases so far."""

    created: dict = field(default_factory=lambda: {kind: set() for kind in ROW_TABLES})
    votes: dict = field(default_factory=dict)     # (user id, content id) -> value or None (unknown)
    decisions: set = field(default_factory=set)

    def add(self, record):
        for kind, content_id in record["created"]:
            self.created[kind].add(content_id)
        for key, value in record["votes"].items():
            user_id, content_id = map(int, key.split(":"))
            self.votes[(user_id, content_id)] = value
        self.decisions.update(record["decisions"])

    @property
    def writes(self):
        return sum(len(ids) for ids in self.created.values()) + len(self.votes) + len(self.decisions)


@dataclass
class Findings:
    lost: list = field(default_factory=list)          # descriptions of writes not found
    counters: dict = field(default_factory=dict)      # counter -> ids that disagree
    half_written: list = field(default_factory=list)
    search_ok: bool = False
    search_output: str = ""
    deadlocks: int = 0
    lock_waits: int = 0                               # waits over 1 s logged (log_lock_waits): contention

    @property
    def counter_mismatches(self):
        return sum(len(ids) for ids in self.counters.values())

    @property
    def ok(self):
        return not (self.lost or self.counter_mismatches or self.half_written or self.deadlocks) and self.search_ok


def _lost_writes(connection, records):
    lost = []
    for kind, table in ROW_TABLES.items():
        ids = sorted(records.created[kind])
        if ids:
            found = set(connection.execute(_in(f"SELECT id FROM {table} WHERE id IN :ids"), {"ids": ids}).scalars())
            lost += [f"{kind} {i}" for i in ids if i not in found]
    if records.decisions:
        ids = sorted(records.decisions)
        found = set(connection.execute(_in("SELECT id FROM review_item WHERE id IN :ids AND decided_at IS NOT NULL"),
                                       {"ids": ids}).scalars())
        lost += [f"decision on item {i}" for i in ids if i not in found]
    confirmed = {key: value for key, value in records.votes.items() if value is not None}
    if confirmed:
        users = sorted({user_id for user_id, _ in confirmed})
        now = {(user_id, content_id): value for user_id, content_id, value in connection.execute(
            _in("SELECT user_id, content_id, value FROM vote WHERE user_id IN :users"), {"users": users})}
        lost += [f"vote of {user} on {content}: {value}, found {now.get((user, content))}"
                 for (user, content), value in sorted(confirmed.items()) if now.get((user, content)) != value]
    return lost


def search_in_step(env, index_dirs):
    """Sync, then verify each of `index_dirs`: (ok, what was found)."""
    result = subprocess.run([sys.executable, "-m", "bench.mixed_load.search_check", *map(str, index_dirs)],
                            env={**os.environ, **env}, cwd=REPO, capture_output=True, text=True, timeout=900)
    return result.returncode == 0, f"{result.stdout.strip()}\n{result.stderr.strip()[-2000:]}".strip()


def database_findings(connection, records):
    """What the database says about `records`: lost writes, counters that disagree, half-written rows."""
    findings = Findings()
    findings.lost = _lost_writes(connection, records)
    for name, query in COUNTER_QUERIES.items():
        ids = sorted(connection.execute(text(query)).scalars())
        if ids:
            findings.counters[name] = ids
    findings.half_written = sorted(connection.execute(text(HALF_WRITTEN)).scalars())
    return findings


def check(database_url, records, env, index_dirs, pg_log):
    """Run every check; `index_dirs` are the nodes' search index directories."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            findings = database_findings(connection, records)
    finally:
        engine.dispose()
    findings.search_ok, findings.search_output = search_in_step(env, index_dirs)
    findings.deadlocks = pg_log.count("deadlock detected")
    findings.lock_waits = pg_log.count("still waiting for")
    return findings
