"""Search: every public discussion in one Whoosh index, in step with the database.

The database is the truth; the index under `SEARCH_INDEX_DIR` is derived and
can always be rebuilt. The app uses these functions only:

* `search(q, ...)`: a page of highlighted results (`SearchResults`); when the
  index is missing or damaged it returns `available=False` instead of raising.
* `related(text, ...)`: content about the same things ("similar aspirations").
* `index_after_commit(app)`: apply pending outbox rows if the writer lock is
  free (the session hook calls it after every commit that wrote some).
* `rebuild()`, `sync()`, `verify()`, `prune()`: the `flask search ...` commands.

How content gets in: each Content kind declares `search_fields` and
`search_document()` (forum/models/content.py); forum/search/outbox.py writes
an outbox row in the same transaction as every change; indexer.py applies the
rows with one writer. Only `is_public` content is ever indexed.

Running it:

* One machine, several gunicorn workers: they share `SEARCH_INDEX_DIR`. After
  each commit a worker applies pending rows if Whoosh's writer lock is free;
  if not, the worker holding it picks them up (it looks again after
  releasing the lock), so nothing waits and nothing is lost.
* Several machines, no shared disk: each keeps a local `SEARCH_INDEX_DIR`
  and runs `flask --app run search sync --follow` beside its workers; all
  tail the same outbox in the shared PostgreSQL, and each index records
  its own position. Applying never consumes outbox rows; `search prune`
  (daily, from cron) deletes those older than SEARCH_OUTBOX_KEEP_DAYS that
  the local index has applied; a node further behind than that rebuilds.
* After deploying a new kind, or when `search verify` reports a difference:
  `flask --app run search rebuild` (the old index answers until the swap).
"""
import logging
from datetime import timedelta

from flask import current_app

from forum.extensions import db
from forum.search import indexer, outbox, queries, store
from forum.search.parser import clean
from forum.search.results import Filters, SearchHit, SearchResults
from forum.search.store import IndexUnavailable
from forum.timeutil import utcnow

__all__ = ["IndexUnavailable", "SearchHit", "SearchResults", "index_after_commit", "init_app", "prune",
           "rebuild", "related", "search", "sync", "verify"]

log = logging.getLogger(__name__)

SORTS = ("relevance", "newest")
MAX_PER_PAGE = 100
MAX_RELATED = 20


def init_app(app):
    """Install the session hook that writes the outbox (idempotent)."""
    outbox.install()


def _root(index_dir=None):
    return index_dir or current_app.config["SEARCH_INDEX_DIR"]


def _int(value, default, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


def search(q="", *, kind=None, category=None, agency=None, district=None, status=None,
           date_from=None, date_to=None, sort="relevance", page=1, per_page=20, facets=False,
           index_dir=None):
    """Search public content. Never raises for any input or index state.

    `q` uses the language of forum/search/parser.py. Filters take codes
    (kind may be several); dates are days (`date` or `YYYY-MM-DD`). `sort` is
    "relevance" or "newest"; `facets=True` adds counts per kind, category
    and kecamatan over the matches (all of them unless very many match:
    then `total_exact` is False and both are estimates).
    """
    page = _int(page, 1, 1, 1_000_000)
    per_page = _int(per_page, 20, 1, MAX_PER_PAGE)
    sort = sort if sort in SORTS else "relevance"
    filters = Filters.read(kind, category, agency, district, status, date_from, date_to)
    try:
        return queries.run(_root(index_dir), q, filters, sort, page, per_page, facets)
    except store.IndexUnavailable as error:
        log.warning("search unavailable: %s", error)
    except Exception:  # a damaged segment can fail anywhere inside Whoosh
        log.exception("search failed; reporting the index as unavailable")
    return SearchResults(query=clean(q), page=page, per_page=per_page, sort=sort, available=False)


def related(text, *, kind=None, exclude_id=None, limit=5, index_dir=None):
    """Up to `limit` hits similar to `text`; [] when the index is unavailable."""
    try:
        return queries.related(_root(index_dir), text, Filters.read(kind=kind).kinds, exclude_id,
                               _int(limit, 5, 1, MAX_RELATED))
    except store.IndexUnavailable as error:
        log.warning("related search unavailable: %s", error)
    except Exception:
        log.exception("related search failed")
    return []


def index_after_commit(app):
    """Apply pending rows without waiting for the lock; log, never raise."""
    if not app.config["SEARCH_APPLY_AFTER_COMMIT"]:
        return None
    try:
        return indexer.apply_pending(app.config["SEARCH_INDEX_DIR"], db.engine)
    except store.IndexUnavailable as error:  # an operator's matter, reported once per write without a traceback
        log.warning("search: %s; the outbox rows wait for `search rebuild`", error)
    except Exception:  # the index is derived: never fail the request for it
        log.exception("search: applying the outbox after commit failed; `search sync` will retry")
    return None


def rebuild(on_progress=None, index_dir=None):
    """Rebuild the index from the database into a new generation; swap it in."""
    return indexer.rebuild(_root(index_dir), db.engine, on_progress,
                           procs=current_app.config["SEARCH_REBUILD_PROCS"])


def sync(follow_seconds=None, wait=10.0, index_dir=None, on_rebuild=None):
    """Apply pending outbox rows (waiting up to `wait` s for the lock).

    A missing or unreadable index is rebuilt first. With `follow_seconds`,
    keep tailing the outbox that long (a node keeping its own index).
    Returns the number of rows applied.
    """
    root = _root(index_dir)
    try:
        store.open_index(root)
    except store.IndexUnavailable:
        if on_rebuild:
            on_rebuild()
        rebuild(index_dir=root)
    if follow_seconds:
        return indexer.follow(root, db.engine, follow_seconds).rows
    return indexer.apply_pending(root, db.engine, wait=wait).rows


def verify(index_dir=None):
    """Compare index and database (raises store.IndexUnavailable)."""
    return indexer.verify(_root(index_dir), db.engine)


def prune(keep_days=None, index_dir=None):
    """Delete applied outbox rows older than `keep_days` (SEARCH_OUTBOX_KEEP_DAYS); the count.

    Raises store.IndexUnavailable when there is no index to say what it applied.
    """
    days = current_app.config["SEARCH_OUTBOX_KEEP_DAYS"] if keep_days is None else keep_days
    return indexer.prune(_root(index_dir), db.engine, utcnow() - timedelta(days=days))
