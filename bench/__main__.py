"""`make bench`: every benchmark, each against the same machine's ceiling where it has one.

Builds a throwaway instance (SQLite, demo data), serves Musyawarah and the
ceiling app with gunicorn (2 workers), loads each page with wrk at
concurrency 8 and 32, and prints requests/s, p50/p99 latency and the ratio
to the ceiling; then, in order: the consultation pages on SQLite and
PostgreSQL (bench/consultations.py), the aspiration pages
(bench/aspirations.py), the search page (bench/search_page.py) and search on
100,000 documents (bench/search.py), the moderation screen's throughput
(bench/screen.py), feedback summaries and exports on 10,000 and 100,000
comments (bench/exports.py), the moderators' desk with 10,000 pending items
(bench/moderation_desk.py) and survey results with 50,000 responses
(bench/surveys.py). Later features add their pages to `PAGES` and their own
benchmark modules to `main()`.
"""
import os
import subprocess
import sys
import tempfile

from bench import aspirations, ceiling, consultations, exports, moderation_desk, screen, search, search_page, surveys
from bench.load import gunicorn, wrk

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = (8, 32)
PAGES = (
    ("home page", "/"),
    ("about page", "/tentang"),
    ("API: districts", "/api/v1/districts"),
)
# Page name -> the least share of the ceiling's requests/s it should reach at concurrency 8, anonymous.
CEILING_TARGETS = {"home page": 0.60}


def prepare_instance(directory):
    env = {**os.environ, "MUSYAWARAH_INSTANCE_DIR": directory, "MUSYAWARAH_ENV": "development"}
    flask = [sys.executable, "-m", "flask", "--app", "run"]
    subprocess.run(flask + ["db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(flask + ["init", "--demo-if-new"], env=env, check=True, capture_output=True)
    return env


def measure(base, path):
    return {c: wrk(base + path, connections=c, seconds=SECONDS) for c in CONCURRENCY}


def _target(name, concurrency, ratio):
    if name not in CEILING_TARGETS or concurrency != 8:
        return "-"
    share = CEILING_TARGETS[name]
    return f">={share:.0%} " + ("ok" if ratio >= share else "MISSED")


def page_throughput():
    """The ceiling, then each of `PAGES`, printed as one table; returns the ceiling's figures.

    Run alone with `python -c 'from bench.__main__ import page_throughput; page_throughput()'`.
    """
    ceiling.ensure_database()
    with tempfile.TemporaryDirectory(prefix="musyawarah-bench-") as instance:
        env = prepare_instance(instance)
        with gunicorn("bench.ceiling:app") as base:
            ceiling_figures = measure(base, "/")
        with gunicorn("run:app", env=env) as base:
            page_figures = [(name, measure(base, path)) for name, path in PAGES]

    print(f"\nPage throughput, gunicorn 2 workers, SQLite, wrk {SECONDS}s per row")
    print(f"{'page':<22}{'conc':>5}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'x ceiling':>11}{'errors':>8}  target")
    rows = [("ceiling (50 rows)", ceiling_figures)] + page_figures
    for name, figures in rows:
        for concurrency, result in figures.items():
            ratio = result.requests_per_second / ceiling_figures[concurrency].requests_per_second
            print(f"{name:<22}{concurrency:>5}{result.requests_per_second:>10.0f}{result.p50_ms:>9.1f}"
                  f"{result.p99_ms:>9.1f}{ratio:>10.0%}{result.errors:>8}  {_target(name, concurrency, ratio)}")
    print()
    return ceiling_figures


def main():
    ceiling_figures = page_throughput()
    consultations.main(ceiling_figures)
    aspirations.main(ceiling_figures)
    search_page.main(ceiling_figures)
    search.main()
    screen.main()
    exports.main()
    moderation_desk.main()
    surveys.main()


if __name__ == "__main__":
    main()
