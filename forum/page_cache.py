"""Rendered pages, and parts of pages, kept per process under keys that say what they show.

A key names everything the HTML depends on: the content's activity revision
(forum/activity.py), the every-page revision, the language, the query
arguments and any time-dependent state. The revision must be read BEFORE
the rows the page is rendered from: a change committed in between then only
makes the stored HTML newer than its key, never older, and the next reader
sees the new revision anyway. Entries also expire after
`PAGE_CACHE_SECONDS`, which bounds how long anything outside the revisions
(the related-discussions list, say) can lag. `PAGE_CACHE_ENTRIES = 0` turns
the cache off. Each gunicorn worker keeps its own; nothing here is shared,
so nothing per visitor (CSRF tokens, flashed messages, own votes) may ever
be stored.

Whole pages for visitors go through `visitor_key` and `kept`: only GETs by
visitors (not signed in) with no flashed message waiting are kept, everyone
else gets a page rendered for them. The CSRF token of the header forms is
per visitor: the kept HTML holds a slot that is filled for each request.
"""
import threading
import time
from collections import OrderedDict

from flask import current_app, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

_EXTENSION = "page_cache"
CSRF_SLOT = "kept-page-csrf-slot"


class PageCache:
    """A least-recently-used map with an age limit, safe for threaded workers."""

    def __init__(self, max_entries, max_age_seconds):
        self.max_entries = max_entries
        self.max_age = max_age_seconds
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self):
        return self.max_entries > 0 and self.max_age > 0

    def get(self, key):
        """The value stored under `key`, or None when absent or too old."""
        if not self.enabled:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored_at, value = entry
            if time.monotonic() - stored_at > self.max_age:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key, value):
        if not self.enabled:
            return
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()


def page_cache():
    """This app's cache (one per app, so tests with fresh apps never share one)."""
    return current_app.extensions[_EXTENSION]


def init_app(app):
    app.extensions[_EXTENSION] = PageCache(app.config["PAGE_CACHE_ENTRIES"], app.config["PAGE_CACHE_SECONDS"])


def visitor_key(*parts):
    """The cache key of this request's page, or None when it must be rendered for this viewer.

    `parts` name what the page shows besides its path with the query and the
    language: revisions (read before the rows), time-dependent state.
    """
    if current_user.is_authenticated or request.method != "GET" or session.get("_flashes"):
        return None
    return ("visitor", request.full_path, str(get_locale()), *parts)


def kept(key, build):
    """The page for `key` from the cache, or `build()` -> (template, context) rendered (and kept unless key is None).

    The CSRF token is filled in per request: kept HTML holds a slot instead.
    """
    if key is None:
        template, context = build()
        return render_template(template, **context)
    cache = page_cache()
    html = cache.get(key)
    if html is None:
        template, context = build()
        html = render_template(template, **{**context, "csrf_token": lambda: CSRF_SLOT})
        cache.put(key, html)
    return html.replace(CSRF_SLOT, generate_csrf()) if CSRF_SLOT in html else html
