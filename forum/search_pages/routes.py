"""`GET /cari`: search every public discussion; works without JavaScript.

Every argument is optional and forgiving: the engine reads a malformed query
as plain words, an unknown code matches nothing, and a date or page that
cannot be read is ignored (with a note for dates), so no input is an error.
When the index cannot be read the page still renders and says so.
`related_discussions` feeds the "Related discussions" list of a consultation.
"""
import time
from datetime import date
from types import SimpleNamespace
from urllib.parse import urlencode

from flask import current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum import search
from forum.extensions import db
from forum.models import Agency, District, PolicyPhase
from forum.services import reference
from forum.models.activity import EVERY_PAGE, ContentActivity
from forum.page_cache import page_cache
from forum.search.parser import clean
from forum.search_pages import bp

MAX_PAGE = 1_000_000
PER_PAGE = 20
FILTERS = ("kind", "category", "district", "agency", "status")
ARGS = ("q", *FILTERS, "from", "to", "sort")
FACETS = (("kind", "kind", _l("Kind")), ("category", "category", _l("Category")),
          ("kecamatan", "district", _l("Kecamatan")))
KIND_LABELS = {"policy": _l("Consultation"), "comment": _l("Comment"), "aspiration": _l("Aspiration"),
               "guide": _l("Guide")}
STATUS_LABELS = {PolicyPhase.OPEN: _l("Open"), PolicyPhase.CLOSED: _l("Closed"),
                 PolicyPhase.FINAL: _l("Outcome published"), "official": _l("Official response")}
SORT_LABELS = {"relevance": _l("Best match"), "newest": _l("Newest")}


def _page_number():
    raw = request.args.get("page", "")
    return min(int(raw), MAX_PAGE) if raw.isascii() and raw.isdigit() and int(raw) > 0 else 1


def _day(name):
    """(value as typed, date or None, whether it was unreadable)."""
    raw = request.args.get(name, "").strip()[:20]
    try:
        return raw, (date.fromisoformat(raw) if raw else None), False
    except ValueError:
        return raw, None, True


def _choices():
    """Labels for the filter menus and the facet counts: {facet: {code: label}}.

    Kept in the page cache under the every-page revision (which changes with
    agencies and categories) and the language: one small query instead of
    three and some forty rows on every search.
    """
    locale = str(get_locale() or "id")
    every_page = db.session.scalar(select(ContentActivity.revision).where(ContentActivity.content_id == EVERY_PAGE))
    key = ("search-choices", locale, every_page)
    choices = page_cache().get(key)
    if choices is None:
        choices = _load_choices(locale)
        page_cache().put(key, choices)
    return choices


def _load_choices(locale):
    categories = reference.categories()
    agencies = db.session.scalars(select(Agency).order_by(Agency.short_name)).all()
    kecamatan = db.session.scalars(
        select(District).where(District.level == District.KECAMATAN).order_by(District.name)).all()
    return {
        "kind": {code: str(label) for code, label in KIND_LABELS.items()},
        "category": {row.code: row.localized_name(locale) for row in categories},
        "agency": {row.code: row.short_name for row in agencies},
        "kecamatan": {row.code: row.name for row in kecamatan},
        "status": {code: str(label) for code, label in STATUS_LABELS.items()},
        "sort": {code: str(label) for code, label in SORT_LABELS.items()},
    }


def _pager(results):
    """The shape macros/pagination.html reads."""
    return SimpleNamespace(page=results.page, pages=results.pages, has_prev=results.has_previous,
                           has_next=results.has_next, prev_num=results.page - 1, next_num=results.page + 1)


def _link(**changes):
    """This search with some arguments changed (a changed filter starts again at page 1)."""
    values = {name: request.args.get(name, "") for name in ARGS}
    values.update(changes)
    return url_for("search_pages.results") + "?" + urlencode({k: v for k, v in values.items() if v})


def _facets(found, choices):
    """[(title, [(label, count, link, active)])] for the facets the engine counted."""
    facets = []
    for name, argument, title in FACETS:
        counts = found.facets.get(name) or {}
        labels = choices[name]
        current = request.args.get(argument, "")
        entries = [(labels.get(code, code), count, _link(**{argument: "" if code == current else code}),
                    code == current)
                   for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
        if entries:
            facets.append((title, entries))
    return facets


_related_cache = {}


#: content kind -> the kinds its "related discussions" list shows
RELATED_KINDS = {"policy": ("policy",), "aspiration": ("aspiration", "policy")}


@bp.app_template_global()
def related_discussions(content, limit=5):
    """Other public discussions about the same things as `content`; [] when search is down.

    A consultation lists related consultations; an aspiration lists related
    aspirations and consultations. A similarity query costs about as much as
    the rest of the page, and the answer changes only when discussions are
    added, so each process keeps it for `SEARCH_RELATED_CACHE_SECONDS` per
    text (0: no cache).
    """
    kinds = RELATED_KINDS.get(content.kind)
    if kinds is None or not content.is_public:
        return []
    text = f"{content.title}\n{getattr(content, 'summary', None) or content.body_source}"
    key = (content.id, limit, hash(text))
    now = time.monotonic()
    ttl = current_app.config["SEARCH_RELATED_CACHE_SECONDS"]
    cached = _related_cache.get(key)
    if cached is not None and now - cached[0] < ttl:
        return cached[1]
    hits = search.related(text, kind=list(kinds), exclude_id=content.id, limit=limit)
    if len(_related_cache) > 1000:
        _related_cache.clear()
    _related_cache[key] = (now, hits)
    return hits


@bp.get("/cari")
def results():
    args = request.args
    q = clean(args.get("q", ""))  # as the engine reads it: no control characters, bounded
    typed_from, date_from, bad_from = _day("from")
    typed_to, date_to, bad_to = _day("to")
    form = {name: args.get(name, "")[:100] for name in (*FILTERS, "sort")}
    asked = bool(q) or any(form[name] for name in FILTERS) or bool(date_from or date_to)
    found = None
    if asked:
        found = search.search(q, kind=form["kind"] or None, category=form["category"], district=form["district"],
                              agency=form["agency"], status=form["status"], date_from=date_from, date_to=date_to,
                              sort=form["sort"] or "relevance", page=_page_number(), per_page=PER_PAGE,
                              facets=True)
    choices = _choices()
    return render_template(
        "search/results.html", q=q, form=form, found=found, choices=choices,
        pager=_pager(found) if found else None, facets=_facets(found, choices) if found else [],
        suggestion_link=_link(q=found.suggestion) if found and found.suggestion else None,
        date_from=typed_from, date_to=typed_to, bad_dates=bad_from or bad_to,
    )
