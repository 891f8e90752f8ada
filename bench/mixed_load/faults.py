"""The faults injected while the mixed load runs, and the probe that watches the app through them.

Each fault acts in a thread beside Locust (`act`), may restore what it
broke once Locust has stopped (`restore`), and says what it did, what it
allows (503 while the database is away, connections dropped by a killed
worker) and whether the app came back. The same checks follow every fault
(checks.py).
"""
import os
import random
import shutil
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.mixed_load.client import call, describe
from bench.mixed_load.services import REPO, flask_command

PG_DOWN_SECONDS = 5.0
RECOVERY_LIMIT = 15.0  # seconds within which the app must answer again once a service is back


@dataclass
class Outcome:
    notes: list = field(default_factory=list)
    ok: bool = True
    allow_503: bool = False
    allow_dropped: int = 0
    created: list = field(default_factory=list)  # [kind, id] written by the fault itself, for the checks
    figure: float = None                          # the fault's own measure, if it has one


class Probe(threading.Thread):
    """GET /api/v1/me every 0.2 s with a token: a read that reaches the database on every call."""

    def __init__(self, base, token):
        super().__init__(daemon=True)
        self.base, self.token = base, token
        self.samples = []  # (monotonic time, status: client.py's 0 and TIMEOUT when there was no answer)
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            status, _answer = call(self.base, "/api/v1/me", self.token, source="127.0.8.1")
            self.samples.append((time.monotonic(), status))
            self._halt.wait(0.2)

    def stop(self):
        self._halt.set()
        self.join(timeout=15)

    def statuses(self, since=float("-inf"), until=float("inf")):
        return Counter(status for moment, status in self.samples if since <= moment <= until)

    def first_ok_after(self, moment):
        return next((t - moment for t, status in self.samples if t >= moment and status == 200), None)


def describe_statuses(counts):
    return ", ".join(f"{describe(status)}×{n}" for status, n in sorted(counts.items())) or "none"


class Fault:
    """A fault: `prepare`, then `act` beside the load for `seconds`, `restore` after it, `finish` after the checks."""

    name = ""

    def prepare(self, run):
        """Set up; return the search index directories the checks verify."""
        return [run.node.index_dir]

    def act(self, run, seconds, probe, outcome):
        raise NotImplementedError

    def restore(self, run, outcome):
        pass

    def finish(self, run):
        pass


class KillWorkers(Fault):
    """`kill -9` one gunicorn worker at a quarter, half and three quarters of the phase."""

    name = "kill -9 a worker (3x)"
    KILLS = 3

    def act(self, run, seconds, probe, outcome):
        killed = []
        for _ in range(self.KILLS):
            time.sleep(seconds / (self.KILLS + 1))
            workers = run.node.worker_pids()
            if workers:
                pid = random.choice(workers)
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
        outcome.allow_dropped = len(killed)  # a sync worker has at most one request in flight
        outcome.notes.append(f"killed workers {', '.join(map(str, killed))}")

    def restore(self, run, outcome):
        workers = run.node.worker_pids()
        outcome.notes.append(f"{len(workers)} of {run.node.workers} workers running afterwards")
        outcome.ok = outcome.ok and len(workers) == run.node.workers


class RestartPostgres(Fault):
    """Stop PostgreSQL (fast: open transactions roll back) for 5 s a third into the phase, then start it."""

    name = "PostgreSQL restart"

    def act(self, run, seconds, probe, outcome):
        time.sleep(seconds / 3)
        down = time.monotonic()
        run.pg.stop()
        time.sleep(PG_DOWN_SECONDS)
        run.pg.start()
        up = time.monotonic()
        time.sleep(min(RECOVERY_LIMIT, max(seconds * 2 / 3 - PG_DOWN_SECONDS, 1.0)))
        recovered = probe.first_ok_after(up)
        outcome.allow_503 = True
        outcome.notes.append(f"down {up - down:.1f} s; probe while down: {describe_statuses(probe.statuses(down, up))}, "
                             f"after: {describe_statuses(probe.statuses(up))}")
        if recovered is None or recovered > RECOVERY_LIMIT:
            outcome.ok = False
            outcome.notes.append("the app did not answer 200 again after PostgreSQL came back")
        else:
            outcome.notes.append(f"first 200 {recovered:.1f} s after PostgreSQL was back")
        statuses = probe.statuses(down)
        outcome.ok = outcome.ok and not any(status >= 500 and status != 503 for status in statuses)


class StopRedis(Fault):
    """Stop Redis a third into the phase; start it again after the phase."""

    name = "Redis stopped"

    def act(self, run, seconds, probe, outcome):
        time.sleep(seconds / 3)
        run.redis.stop()
        outcome.allow_503 = True  # failing closed is allowed; a 500 is not
        outcome.notes.append(f"Redis stopped for the last {seconds * 2 / 3:.0f} s of the load")

    def restore(self, run, outcome):
        # The next phase meets a Redis that came back: a 500 from a lost connection would show there.
        run.redis.start()
        outcome.notes.append("Redis started again after the load")


class DeleteIndex(Fault):
    """Delete the search index directory a third into the phase; `search rebuild` after it."""

    name = "search index deleted"

    def act(self, run, seconds, probe, outcome):
        time.sleep(seconds / 3)
        shutil.rmtree(run.node.index_dir, ignore_errors=True)
        outcome.notes.append(f"index directory deleted {seconds / 3:.0f} s into the load")

    def restore(self, run, outcome):
        started = time.monotonic()
        result = subprocess.run(flask_command("search", "rebuild"), env={**os.environ, **run.node.env}, cwd=REPO,
                                capture_output=True, text=True, timeout=600)
        last = (result.stdout.strip().splitlines() or [""])[-1]
        outcome.notes.append(f"`search rebuild` {time.monotonic() - started:.1f} s: {last}")
        outcome.ok = outcome.ok and result.returncode == 0


FAULTS = (KillWorkers, RestartPostgres, StopRedis, DeleteIndex)
