"""Visitors' aspiration pages, kept per process (forum/page_cache.py) under keys that say what they show.

Only GETs by visitors (not signed in) with no flashed message waiting are
kept; everyone else gets a page rendered for them. The key holds what the
page depends on, read BEFORE the rows it is rendered from: the aspiration's
activity revision (forum/activity.py) for its page, the list fingerprint
(forum/services/aspiration_stats.py) for lists and figures, plus the
language, the full path with its query and the time-dependent overdue state.
The CSRF token of the header forms is per visitor: the kept HTML holds a
slot that is filled for each request.
"""
from flask import render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from forum.page_cache import page_cache

CSRF_SLOT = "aspiration-csrf-token-slot"


def visitor_key(*parts):
    """The cache key of this request's page, or None when it must be rendered for this viewer."""
    if current_user.is_authenticated or request.method != "GET" or session.get("_flashes"):
        return None
    return ("aspirations", request.full_path, str(get_locale()), *parts)


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
