"""What a search returns, and the filters it accepts.

Filters are forgiving: codes are cleaned and lower-cased, a kind may be a
list or a comma-separated string, dates may be `date` objects or
`YYYY-MM-DD` strings (days in the city's time zone, both ends included), and
a value that cannot be read is ignored rather than an error. An unknown code
simply matches nothing.
"""
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from whoosh import query as wq

from forum.timeutil import CITY_ZONE

MAX_CODE = 100
_CODE_UNWANTED = re.compile(r"[^\w.\-]+")
_EPOCH_MAX = 2**32 - 1


def _code(value):
    code = _CODE_UNWANTED.sub("", str(value or "")).lower()[:MAX_CODE]
    return code or None


def _codes(value):
    if value is None:
        return ()
    values = value if isinstance(value, (list, tuple, set, frozenset)) else str(value).split(",")
    return tuple(sorted({code for code in map(_code, values) if code}))


def _day(value):
    if isinstance(value, datetime):
        return value.astimezone(CITY_ZONE).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10]) if value else None
    except ValueError:
        return None


def _epoch(day):
    moment = datetime.combine(day, time.min, tzinfo=CITY_ZONE).timestamp()
    return min(max(int(moment), 0), _EPOCH_MAX)


@dataclass(frozen=True)
class Filters:
    kinds: tuple = ()
    category: str = None
    agency: str = None
    district: str = None
    status: str = None
    date_from: date = None
    date_to: date = None

    @classmethod
    def read(cls, kind=None, category=None, agency=None, district=None, status=None,
             date_from=None, date_to=None):
        return cls(_codes(kind), _code(category), _code(agency), _code(district), _code(status),
                   _day(date_from), _day(date_to))

    def query(self):
        """The Whoosh query all results must match, or None."""
        parts = []
        if self.kinds:
            parts.append(wq.Or([wq.Term("kind", kind) for kind in self.kinds]))
        for name in ("category", "agency", "district", "status"):
            if getattr(self, name):
                parts.append(wq.Term(name, getattr(self, name)))
        if self.date_from or self.date_to:
            start = _epoch(self.date_from) if self.date_from else None
            end = _epoch(self.date_to + timedelta(days=1)) - 1 if self.date_to else None
            parts.append(wq.NumericRange("created", start, end))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.And(parts)


@dataclass
class SearchHit:
    """One result; `title_html` and `excerpt_html` are escaped with `<mark>` only."""

    kind: str
    id: int
    title: str
    title_html: str
    excerpt_html: str
    url: str
    created_at: datetime
    author: str = None
    category: str = None
    agency: str = None
    districts: list = field(default_factory=list)
    status: str = None
    stance: str = None
    score: float = 0.0

    @classmethod
    def from_stored(cls, stored, title_html, excerpt_html, score):
        def value(name):
            return stored.get(name) or None

        return cls(
            kind=stored["kind"], id=int(stored["id"]), title=stored.get("title", ""),
            title_html=title_html, excerpt_html=excerpt_html, url=value("url"),
            created_at=datetime.fromtimestamp(stored.get("created", 0), timezone.utc),
            author=value("author"), category=value("category"), agency=value("agency"),
            districts=[code for code in (stored.get("districts") or "").split(",") if code],
            status=value("status"), stance=value("stance"), score=score,
        )


@dataclass
class SearchResults:
    """A page of results. `available` is False when the index cannot be read."""

    query: str = ""
    items: list = field(default_factory=list)
    total: int = 0
    total_exact: bool = True        # False: `total` is an estimate (more matched than were counted)
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"
    available: bool = True
    suggestion: str = None          # "did you mean": the query with a word corrected
    facets: dict = field(default_factory=dict)  # kind / category / kecamatan -> {code: count}
    max_results: int = 1000          # results beyond this are not paged through

    @property
    def pages(self):
        return math.ceil(min(self.total, self.max_results) / self.per_page) if self.total else 0

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages
