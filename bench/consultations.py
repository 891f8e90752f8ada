"""Consultation pages under load, on SQLite and on PostgreSQL, against the ceiling app.

For each database: a fresh instance seeded with `seed-demo --size large`
(the seeding time is printed), served by gunicorn with 2 workers, loaded
with wrk at concurrency 8 and 32 on the consultation list, a consultation
page (20 root comments and their replies) anonymous and signed in, and the
same page on a policy with 10,000 comments against one with 100. Every URL
(the ceiling's too) gets 20 requests before wrk starts, so the figures are
those of a page that has been served before. The
PostgreSQL database `musyawarah_bench` is created for the run and dropped
after it. Run alone with `python -m bench.consultations`, or by `make bench`.

While iterating, seeding can be skipped by reusing instances seeded before
(`seed-demo --size large` on an otherwise untouched database; the run says
so): `BENCH_SQLITE_INSTANCE=DIR` (an instance directory), `BENCH_PG_URL=URL`
(a database that is kept) with `BENCH_PG_INSTANCE=DIR` (the instance
directory it was seeded with: its search index); `BENCH_DATABASES=sqlite` or
`postgres` runs only one of them.
"""
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager

from bench import ceiling
from bench.load import gunicorn, wrk

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = (8, 32)
PG_DATABASE = "musyawarah_bench"
PG_URL = f"postgresql://postgres@127.0.0.1:5432/{PG_DATABASE}"
DEMO_LOGIN = ("warga1@demo.musyawarah.id", "musyawarah-demo")
P99_TARGET_MS = 100
SIZE_RATIO_TARGET = 1.3
# Page name -> the least share of the ceiling's requests/s it should reach.
CEILING_TARGETS = {"page, anonymous": 0.35, "page, signed in": 0.25}

FIND_POLICIES = """
import json
from run import app
from forum.models import Policy
from forum.demo.consultations import BENCH_TITLE_LARGE, BENCH_TITLE_SMALL
with app.app_context():
    ids = {title: Policy.query.filter_by(title=title).one().id for title in (BENCH_TITLE_LARGE, BENCH_TITLE_SMALL)}
    print(json.dumps({"large": ids[BENCH_TITLE_LARGE], "small": ids[BENCH_TITLE_SMALL]}))
"""


def _flask(env, *args):
    return subprocess.run([sys.executable, "-m", "flask", "--app", "run", *args],
                          env=env, check=True, capture_output=True, text=True)


def prepare(env, label, reuse=False):
    """Migrate and seed the large demo set (unless reused); print how long seeding took; return the bench policy ids."""
    _flask(env, "db", "upgrade", "heads")  # "heads": also while parallel work has several
    if reuse:
        print(f"{label}: reusing a database seeded before (BENCH_*_INSTANCE / BENCH_PG_URL)", flush=True)
    else:
        started = time.monotonic()
        _flask(env, "seed-demo", "--size", "large")
        print(f"{label}: seed-demo --size large took {time.monotonic() - started:.1f} s", flush=True)
    found = subprocess.run([sys.executable, "-c", FIND_POLICIES], env=env, check=True,
                           capture_output=True, text=True).stdout
    return json.loads(found.strip().splitlines()[-1])


@contextmanager
def postgres_database():
    """A throwaway PostgreSQL database for one run, dropped afterwards (or the reused `BENCH_PG_URL`)."""
    if os.environ.get("BENCH_PG_URL"):
        yield os.environ["BENCH_PG_URL"]
        return
    connection = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *connection, "--if-exists", PG_DATABASE], check=True)
    subprocess.run(["createdb", *connection, PG_DATABASE], check=True)
    try:
        yield PG_URL
    finally:
        subprocess.run(["dropdb", *connection, "--if-exists", PG_DATABASE], check=False)


def session_cookie(base, email, password):
    """Sign in through the real form (CSRF token and all) and return the session cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/akun/masuk", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    opener.open(base + "/akun/masuk", data=form, timeout=10).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "session" not in cookies:
        raise RuntimeError("signing in for the benchmark failed")
    # The page itself must show the signed-in view, or the figures would be anonymous ones.
    if "/akun/keluar" not in opener.open(base + "/konsultasi/", timeout=10).read().decode():
        raise RuntimeError("the benchmark session is not signed in")
    return f"Cookie: session={cookies['session']}"


def warm_up(url, headers=(), requests=20):
    """A few requests first, as any served page has had: workers compile templates and fill caches once."""
    request = urllib.request.Request(url, headers=dict(header.split(": ", 1) for header in headers))
    for _ in range(requests):
        urllib.request.urlopen(request, timeout=30).read()


def measure(url, headers=()):
    warm_up(url, headers)
    return {c: wrk(url, connections=c, seconds=SECONDS, headers=headers) for c in CONCURRENCY}


def load_database(label, env, reuse=False):
    ids = prepare(env, label, reuse)
    with gunicorn("run:app", env=env) as base:
        cookie = session_cookie(base, *DEMO_LOGIN)
        small, large = f"{base}/konsultasi/{ids['small']}", f"{base}/konsultasi/{ids['large']}"
        return [
            (label, "consultation list", measure(f"{base}/konsultasi/")),
            (label, "page, anonymous", measure(small)),
            (label, "page, signed in", measure(small, headers=[cookie])),
            (label, "page, 10,000 comments", measure(large)),
        ]


def _target(name, concurrency, result, ceiling_rps):
    """What the row is held to, and whether it got there."""
    checks = []
    if name in CEILING_TARGETS:
        share = CEILING_TARGETS[name]
        checks.append((f">={share:.0%}", result.requests_per_second >= share * ceiling_rps))
    if concurrency == 8:
        checks.append((f"p99<{P99_TARGET_MS}", result.p99_ms < P99_TARGET_MS))
    if not checks:
        return "-"
    return " ".join(text for text, _ in checks) + (" ok" if all(met for _, met in checks) else " MISSED")


def report(ceiling_figures, rows):
    print(f"\nConsultations, gunicorn 2 workers, wrk {SECONDS}s per row"
          + ("" if SECONDS >= 10 else f" (BENCH_SECONDS={SECONDS}: shorter than the 10 s the issue asks)"))
    print(f"{'db':<10}{'page':<24}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'x ceiling':>11}"
          f"{'errors':>8}  target")
    for db_label, name, figures in [("sqlite", "ceiling (50 rows)", ceiling_figures)] + rows:
        for concurrency, result in figures.items():
            ceiling_rps = ceiling_figures[concurrency].requests_per_second
            target = "-" if name.startswith("ceiling") else _target(name, concurrency, result, ceiling_rps)
            print(f"{db_label:<10}{name:<24}{concurrency:>5}{result.requests_per_second:>9.0f}{result.p50_ms:>9.1f}"
                  f"{result.p99_ms:>9.1f}{result.requests_per_second / ceiling_rps:>10.0%}{result.errors:>8}  {target}")
    print(f"\n10,000-comment page vs 100-comment page (time per request; target <= {SIZE_RATIO_TARGET}x)")
    by_key = {(db_label, name): figures for db_label, name, figures in rows}
    for db_label in dict.fromkeys(label for label, _, _ in rows):
        small, large = by_key[(db_label, "page, anonymous")], by_key[(db_label, "page, 10,000 comments")]
        for concurrency in CONCURRENCY:
            ratio = small[concurrency].requests_per_second / max(large[concurrency].requests_per_second, 1e-9)
            p50_ratio = large[concurrency].p50_ms / max(small[concurrency].p50_ms, 1e-9)
            verdict = "ok" if ratio <= SIZE_RATIO_TARGET else "MISSED"
            print(f"{db_label:<10}c={concurrency:<4} {ratio:.2f}x by req/s, {p50_ratio:.2f}x by p50  {verdict}")
    print()


def main(ceiling_figures=None):
    """Run both databases; reuse the ceiling figures of `make bench` when given."""
    if ceiling_figures is None:
        ceiling.ensure_database()
        with gunicorn("bench.ceiling:app") as base:
            ceiling_figures = measure(base + "/")
    rows = []
    databases = os.environ.get("BENCH_DATABASES", "sqlite,postgres").split(",")
    if "sqlite" in databases:
        reused = os.environ.get("BENCH_SQLITE_INSTANCE")
        with _instance_dir(reused, "sqlite") as instance:
            env = {**os.environ, "MUSYAWARAH_INSTANCE_DIR": instance, "MUSYAWARAH_ENV": "development"}
            env.pop("DATABASE_URL", None)
            rows += load_database("sqlite", env, reuse=bool(reused))
    if "postgres" in databases:
        with postgres_database() as url, _instance_dir(os.environ.get("BENCH_PG_INSTANCE"), "pg") as instance:
            env = {**os.environ, "MUSYAWARAH_INSTANCE_DIR": instance, "MUSYAWARAH_ENV": "development",
                   "DATABASE_URL": url}
            rows += load_database("postgres", env, reuse=bool(os.environ.get("BENCH_PG_URL")))
    report(ceiling_figures, rows)


@contextmanager
def _instance_dir(reused, label):
    """The reused instance directory, or a throwaway one."""
    if reused:
        yield reused
        return
    with tempfile.TemporaryDirectory(prefix=f"musyawarah-bench-{label}-") as instance:
        yield instance


if __name__ == "__main__":
    main()
