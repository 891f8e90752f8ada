"""Aspiration pages under load, on SQLite and PostgreSQL, against the ceiling app (as bench/consultations.py).

For each database: a fresh instance seeded with `seed-demo --size large`
(5,000+ aspirations), served by gunicorn with 2 workers and loaded with wrk
at concurrency 8 and 32: the public list filtered by kecamatan, and the page
of "[bench] Aspirasi dengan 20 komentar", anonymous. Then the statistics:
computed straight from the database (no cache) over every aspiration, the
median of 5 runs, and the statistics page itself under load (cached). Run
alone with `python -m bench.aspirations`, or by `make bench`.
`BENCH_DATABASES=sqlite` or `postgres` runs only one of them. PostgreSQL
uses its own throwaway database, `musyawarah_bench_aspirations`.
"""
import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager

from bench import ceiling
from bench.consultations import P99_TARGET_MS, SECONDS, _flask, _instance_dir, measure
from bench.load import gunicorn

CEILING_SHARE = 0.35
CEILING_ROW = "ceiling (50 rows)"
PG_DATABASE = "musyawarah_bench_aspirations"  # its own, so it never drops the consultation benchmark's
STATISTICS_TARGET_MS = 200

PROBE = """
import json, statistics, time
from run import app
from forum.extensions import db
from forum.models import Aspiration
from forum.services import aspiration_stats
from forum.demo.aspirations import BENCH_TITLE
from forum.timeutil import utcnow
with app.app_context():
    bench_id = Aspiration.query.filter_by(title=BENCH_TITLE).one().id
    total = db.session.query(Aspiration).count()
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        aspiration_stats.compute(utcnow())
        timings.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"bench_id": bench_id, "total": total, "statistics_ms": statistics.median(timings)}))
"""


@contextmanager
def postgres_database():
    """A throwaway PostgreSQL database for one run, dropped afterwards."""
    connection = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *connection, "--if-exists", PG_DATABASE], check=True)
    subprocess.run(["createdb", *connection, PG_DATABASE], check=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{PG_DATABASE}"
    finally:
        subprocess.run(["dropdb", *connection, "--if-exists", PG_DATABASE], check=False)


def prepare(env, label):
    _flask(env, "db", "upgrade", "heads")
    started = time.monotonic()
    _flask(env, "seed-demo", "--size", "large")
    print(f"{label}: seed-demo --size large took {time.monotonic() - started:.1f} s", flush=True)
    found = subprocess.run([sys.executable, "-c", PROBE], env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(found.strip().splitlines()[-1])


def load_database(label, env):
    probe = prepare(env, label)
    with gunicorn("run:app", env=env) as base:
        rows = [
            (label, "list, kecamatan", measure(f"{base}/aspirasi/?district=pondok-aren")),
            (label, "page, 20 comments", measure(f"{base}/aspirasi/{probe['bench_id']}")),
            (label, "statistics page", measure(f"{base}/aspirasi/statistik")),
        ]
    return probe, rows


def report(ceiling_figures, rows, probes):
    print(f"\nAspirations, gunicorn 2 workers, wrk {SECONDS}s per row")
    print(f"{'db':<10}{'page':<22}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'x ceiling':>11}"
          f"{'errors':>8}  target")
    for db_label, name, figures in [("-", CEILING_ROW, ceiling_figures), *rows]:
        for concurrency, result in figures.items():
            ceiling_rps = ceiling_figures[concurrency].requests_per_second
            share = result.requests_per_second / ceiling_rps
            target = "-"
            if name not in (CEILING_ROW, "statistics page"):
                checks = [share >= CEILING_SHARE] + ([result.p99_ms < P99_TARGET_MS] if concurrency == 8 else [])
                target = f">={CEILING_SHARE:.0%}" + (f" p99<{P99_TARGET_MS}" if concurrency == 8 else "") \
                    + (" ok" if all(checks) else " MISSED")
            print(f"{db_label:<10}{name:<22}{concurrency:>5}{result.requests_per_second:>9.0f}{result.p50_ms:>9.1f}"
                  f"{result.p99_ms:>9.1f}{share:>10.0%}{result.errors:>8}  {target}")
    print(f"\nStatistics computed from the database, no cache (median of 5; target < {STATISTICS_TARGET_MS} ms)")
    for db_label, probe in probes:
        verdict = "ok" if probe["statistics_ms"] < STATISTICS_TARGET_MS else "MISSED"
        print(f"{db_label:<10}{probe['total']} aspirations: {probe['statistics_ms']:.1f} ms  {verdict}")
    print()


def main(ceiling_figures=None):
    if ceiling_figures is None:
        ceiling.ensure_database()
        with gunicorn("bench.ceiling:app") as base:
            ceiling_figures = measure(base + "/")
    rows, probes = [], []
    databases = os.environ.get("BENCH_DATABASES", "sqlite,postgres").split(",")
    if "sqlite" in databases:
        with _instance_dir(None, "sqlite") as instance:
            env = {**os.environ, "MUSYAWARAH_INSTANCE_DIR": instance, "MUSYAWARAH_ENV": "development"}
            env.pop("DATABASE_URL", None)
            probe, found = load_database("sqlite", env)
            rows += found
            probes.append(("sqlite", probe))
    if "postgres" in databases:
        with postgres_database() as url, _instance_dir(None, "pg") as instance:
            env = {**os.environ, "MUSYAWARAH_INSTANCE_DIR": instance, "MUSYAWARAH_ENV": "development",
                   "DATABASE_URL": url}
            probe, found = load_database("postgres", env)
            rows += found
            probes.append(("postgres", probe))
    report(ceiling_figures, rows, probes)

if __name__ == "__main__":
    main()
