"""`make load`: the mixed load and the faults, on a private PostgreSQL, Redis and gunicorn; one table.

    python -m bench.mixed_load          (the app's virtualenv; Locust from .venv-load)

Settings (environment): LOAD_USERS (200), LOAD_SECONDS (300, the mixed
load), LOAD_FAULT_SECONDS (60, each fault and the two-node phase),
LOAD_NODE_WRITES (50, writes timed across two nodes), LOAD_SPAWN_RATE (20
users a second), LOAD_WORKERS (4 gunicorn workers), LOAD_KEEP=1 keeps the
run's folder (logs, Locust's CSV, the PostgreSQL log) for a look afterwards.

Phases, each a fresh headless Locust run followed by the same checks
(checks.py): the mixed load; kill -9 of workers; PostgreSQL restarted;
Redis stopped; the search index deleted (faults.py); two nodes
(two_nodes.py). Exit status 1 when any phase fails.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench.mixed_load import checks, report
from bench.mixed_load.faults import FAULTS, Outcome, Probe, describe_statuses
from bench.mixed_load.services import REPO, Node, PrivatePostgres, PrivateRedis, app_env, flask_command
from bench.mixed_load.two_nodes import TwoNodes

LOCUST = os.environ.get("LOCUST", str(REPO / ".venv-load" / "bin" / "locust"))
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
WRITERS = 20  # accounts for the two-node writes, apart from the load's: each posts every 20th write


def _setting(name, default):
    return int(os.environ.get(name, default))


class Run:
    """The run's folder and services; `close()` stops everything and removes the folder."""

    def __init__(self):
        self.users = _setting("LOAD_USERS", 200)
        self.seconds = _setting("LOAD_SECONDS", 300)
        self.fault_seconds = _setting("LOAD_FAULT_SECONDS", 60)
        self.node_writes = _setting("LOAD_NODE_WRITES", 50)
        self.spawn_rate = _setting("LOAD_SPAWN_RATE", 20)
        self.workers = _setting("LOAD_WORKERS", 4)
        self.keep = os.environ.get("LOAD_KEEP") == "1"
        self.dir = Path(tempfile.mkdtemp(prefix="musyawarah-load-"))
        self.dir.chmod(0o755)  # the cluster's own folder inside belongs to the postgres account
        self.pg, self.redis = PrivatePostgres(self.dir), PrivateRedis(self.dir)
        self.env = self.node = self.accounts = None
        self.records = checks.Records()
        self.started = time.monotonic()

    def elapsed(self):
        return time.monotonic() - self.started

    def flask(self, *args, env=None):
        result = subprocess.run(flask_command(*args), env={**os.environ, **(env or self.node.env)}, cwd=REPO,
                                capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def prepare(self):
        """Services up, schema, reference and demo data, the load's accounts, the search index, node A."""
        print(f"Preparing in {self.dir}: PostgreSQL on {self.pg.port}, Redis on {self.redis.port} ...", flush=True)
        self.pg.start()
        self.redis.start()
        self.env = app_env(self.dir, self.pg.url, self.redis.url)
        self.node = Node("a", self.env, self.workers, self.dir)
        self.flask("db", "upgrade")
        self.flask("init", "--demo-if-new")
        accounts_path = self.dir / "accounts.json"
        subprocess.run([sys.executable, "-m", "bench.mixed_load.accounts", str(self.users), str(WRITERS),
                        str(accounts_path)], env={**os.environ, **self.node.env}, cwd=REPO, check=True)
        self.accounts = json.loads(accounts_path.read_text())
        self.flask("search", "rebuild")
        self.node.start()

    def close(self):
        print(f"[{self.elapsed():4.0f} s] Stopping the services ...", flush=True)
        for stop in (lambda: self.node and self.node.stop(), self.redis.stop, self.pg.stop):
            try:
                stop()
            except Exception as error:  # keep stopping the rest
                print(f"while stopping: {error}", file=sys.stderr)
        print(f"[{self.elapsed():4.0f} s] Stopped.", flush=True)
        if self.keep:
            print(f"Kept the run's folder: {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def _locust(run, slug, users, seconds, host):
    """Start Locust headless; its CSV prefix and record path."""
    prefix, record = run.dir / slug, run.dir / f"{slug}-record.json"
    env = {**os.environ, "LOAD_USERS": str(users), "LOAD_ACCOUNTS": str(run.dir / "accounts.json"),
           "LOAD_RECORD": str(record)}
    with open(run.dir / f"locust-{slug}.log", "w") as log:
        process = subprocess.Popen(
            [LOCUST, "-f", str(LOCUSTFILE), "--headless", "-u", str(users), "-r", str(run.spawn_rate),
             "-t", f"{seconds}s", "--host", host, "--csv", str(prefix), "--only-summary", "--exit-code-on-error",
             "0", "--stop-timeout", "10", "--loglevel", "WARNING"],
            env=env, cwd=run.dir, stdout=log, stderr=subprocess.STDOUT)
    return process, prefix, record


def run_phase(run, name, users, seconds, fault=None):
    print(f"[{run.elapsed():4.0f} s] Phase: {name} ({users} users, {seconds} s) ...", flush=True)
    slug = "".join(c if c.isalnum() else "-" for c in name.lower())
    outcome = Outcome()
    index_dirs = fault.prepare(run) if fault else [run.node.index_dir]
    pg_mark, app_mark = len(run.pg.log_text()), len(run.node.log_text())
    probe = Probe(run.node.base, run.accounts["moderator"][0]["token"])
    probe.start()
    process, prefix, record_path = _locust(run, slug, users, seconds, run.node.base)
    actor = threading.Thread(target=fault.act, args=(run, seconds, probe, outcome), daemon=True) if fault else None
    try:
        if actor:
            actor.start()
        process.wait(timeout=seconds + 180)
        if actor:
            actor.join(timeout=seconds + 180)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
        probe.stop()
    if fault:
        fault.restore(run, outcome)
    notes = []
    record = json.loads(record_path.read_text()) if record_path.exists() else None
    if record is None:
        record = {"statuses": {}, "samples": [], "created": [], "votes": {}, "decisions": []}
        outcome.ok = False
        notes.append(f"Locust wrote no record: see {run.dir}/locust-{slug}.log")
    record["created"] += outcome.created
    run.records.add(record)
    odd = {status: n for status, n in probe.statuses().items() if status != 200}
    if odd:
        notes.append(f"probe (GET /api/v1/me every 0.2 s) also saw {describe_statuses(odd)}")
    notes.append(f"machine load average {os.getloadavg()[0]:.1f} at the end")
    findings = checks.check(run.pg.url, run.records, run.node.env, index_dirs, run.pg.log_text()[pg_mark:])
    if findings.lock_waits:
        notes.append(f"PostgreSQL logged {findings.lock_waits} lock waits over 1 s")
    if fault:
        fault.finish(run)
    return report.PhaseResult(
        name=name, users=users, seconds=seconds, stats=report.read_stats(prefix),
        statuses={kind: Counter({int(s): n for s, n in counts.items()}) for kind, counts in record["statuses"].items()},
        samples=record["samples"],
        writes=len(record["created"]) + len(record["votes"]) + len(record["decisions"]),
        findings=findings, outcome=outcome, app_log=run.node.log_text()[app_mark:], notes=notes)


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def main():
    signal.signal(signal.SIGTERM, _interrupted)
    if not os.path.exists(LOCUST):
        sys.exit(f"Locust is not installed at {LOCUST}: `make load` creates .venv-load with requirements-load.txt")
    machine_line = report.machine()
    run = Run()
    results, phases = [], 2 + len(FAULTS)
    try:
        run.prepare()
        results.append(run_phase(run, "mixed load", run.users, run.seconds))
        for fault in FAULTS:
            results.append(run_phase(run, fault.name, run.users, run.fault_seconds, fault()))
        # A lighter load here: the delay measured includes the search answers' own time.
        results.append(run_phase(run, "two nodes", max(run.users // 4, 6), run.fault_seconds,
                                 TwoNodes(run.node_writes)))
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
    finally:
        run.close()
        if results:
            report.print_report(results, f"{run.users} users, mixed load {run.seconds} s, faults "
                                         f"{run.fault_seconds} s each, gunicorn {run.workers} workers, "
                                         f"PostgreSQL, Redis", machine_line, phases)
    sys.exit(0 if len(results) == phases and all(result.ok for result in results) else 1)


if __name__ == "__main__":
    main()
