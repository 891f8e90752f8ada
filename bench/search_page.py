"""The search page's throughput: `/cari` under gunicorn (2 workers) against the ceiling app.

A throwaway SQLite instance seeded with `seed-demo --size small`, its index
rebuilt with `search rebuild`, then wrk on a few typical searches (one word,
two words, a filter, a phrase) and the JSON API. The issue's target: at least
25% of the ceiling app's requests/s. Each row also says how many results the
query found, so a fast row cannot be an empty page in disguise.
"""
import json
import os
import tempfile
import urllib.parse
import urllib.request

from bench import ceiling
from bench.consultations import _flask
from bench.load import gunicorn, wrk

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = (8, 32)
CEILING_SHARE = 0.25
SEED_SIZE = "small"
QUERIES = (
    ("one word", {"q": "jalan"}),
    ("two words", {"q": "jalan rusak"}),
    ("word + kind filter", {"q": "warga", "kind": "comment"}),
    ("phrase", {"q": '"ruang terbuka"'}),
    ("prefix", {"q": "bangun*"}),
)


def _found(base, args):
    url = f"{base}/api/v1/search?{urllib.parse.urlencode(args)}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)["total"]


def measure(url):
    return {c: wrk(url, connections=c, seconds=SECONDS) for c in CONCURRENCY}


def main(ceiling_figures=None):
    """Print the table; reuse the ceiling figures of `make bench` when given."""
    if ceiling_figures is None:
        ceiling.ensure_database()
        with gunicorn("bench.ceiling:app") as base:
            ceiling_figures = measure(base + "/")
    with tempfile.TemporaryDirectory(prefix="musyawarah-bench-search-") as instance:
        env = {**os.environ, "MUSYAWARAH_INSTANCE_DIR": instance, "MUSYAWARAH_ENV": "development"}
        env.pop("DATABASE_URL", None)
        env.pop("SEARCH_INDEX_DIR", None)
        _flask(env, "db", "upgrade")
        _flask(env, "seed-demo", "--size", SEED_SIZE)
        _flask(env, "search", "rebuild")
        with gunicorn("run:app", env=env) as base:
            rows = [(name, _found(base, args), measure(f"{base}/cari?{urllib.parse.urlencode(args)}"))
                    for name, args in QUERIES]
            api_args = dict(QUERIES[0][1])
            rows.append(("API, one word", _found(base, api_args),
                         measure(f"{base}/api/v1/search?{urllib.parse.urlencode(api_args)}")))
    print(f"\nSearch page /cari, gunicorn 2 workers, SQLite, seed-demo --size {SEED_SIZE}, wrk {SECONDS}s per row"
          + ("" if SECONDS >= 10 else f" (BENCH_SECONDS={SECONDS})"))
    print(f"{'search':<22}{'found':>7}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'x ceiling':>11}"
          f"{'errors':>8}  target")
    for concurrency, result in ceiling_figures.items():
        print(f"{'ceiling (50 rows)':<22}{'-':>7}{concurrency:>5}{result.requests_per_second:>9.0f}"
              f"{result.p50_ms:>9.1f}{result.p99_ms:>9.1f}{'100%':>11}{result.errors:>8}  -")
    for name, found, figures in rows:
        for concurrency, result in figures.items():
            share = result.requests_per_second / ceiling_figures[concurrency].requests_per_second
            verdict = f">={CEILING_SHARE:.0%} " + ("ok" if share >= CEILING_SHARE else "MISSED")
            print(f"{name:<22}{found:>7}{concurrency:>5}{result.requests_per_second:>9.0f}{result.p50_ms:>9.1f}"
                  f"{result.p99_ms:>9.1f}{share:>10.0%}{result.errors:>8}  {verdict}")
    print()


if __name__ == "__main__":
    main()
