"""Public figures on aspirations: counts by state, topic and kecamatan; agency response times;
counts per input channel (online, face to face, kelurahan service desk) per kecamatan and kelurahan.

One query reads every public aspiration (the same rule as the list:
confidential and unverified ones are not counted) with durations and
deadline flags the database computes; counts and medians are summed from
those rows, since medians need the individual durations anyway. The result is cached per process under the aspirations' activity
revision (`lists_revision`), which every write of an aspiration row
replaces in its own transaction, so every worker sees fresh figures at once
without a shared cache or invalidation calls. The public list pages are
kept under the same revision (forum/page_cache.py `visitor_key`).
"""
import statistics
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select

from forum import activity
from forum.extensions import db
from forum.models import Agency, Aspiration, AspirationState, Category, Channel, District
from forum.models.activity import ASPIRATION_LISTS
from forum.services.aspirations import close_expired

_cache = {}
_lock = threading.Lock()


@dataclass
class AgencyFigures:
    agency: Agency
    forwarded: int = 0
    overdue: int = 0
    median_days_to_verification: float = None
    median_days_to_first_response: float = None
    answered_in_time: int = 0
    answered_late: int = 0

    @property
    def share_in_time(self):
        """Share of first responses given within the deadline (None before any was due)."""
        total = self.answered_in_time + self.answered_late
        return self.answered_in_time / total if total else None


@dataclass
class AspirationStatistics:
    total: int = 0
    by_state: list = field(default_factory=list)      # (state, count) in workflow order
    by_category: list = field(default_factory=list)   # (Category, count), largest first
    by_kecamatan: list = field(default_factory=list)  # (District, count), largest first
    by_channel: list = field(default_factory=list)    # (channel, count) for every Channel.ALL
    # (District, [count per channel in Channel.ALL order]), by name: kecamatan, and kelurahan (where the matter is)
    kecamatan_channels: list = field(default_factory=list)
    kelurahan_channels: list = field(default_factory=list)
    agencies: list = field(default_factory=list)      # AgencyFigures, by name
    share_in_time: float = None


def lists_revision():
    """What lists and figures of public aspirations depend on: the aspirations' and every page's revisions.

    One indexed lookup. Every write of an aspiration row (a new one, each
    step, moderation, counters, supports) gives the first a new value in the
    same transaction, agency and category names the second (forum/activity.py).
    """
    return tuple(db.session.execute(select(*activity.revisions(ASPIRATION_LISTS))).one())


def _seconds(start, end):
    """`end - start` in seconds, in SQL (NULL when either is)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400


def _flag(condition):
    return case((condition, 1), else_=0)


def _overdue(now):
    """Waiting at the agency past the first-response deadline."""
    return and_(Aspiration.state.in_(AspirationState.AT_AGENCY), Aspiration.first_response_at.is_(None),
                Aspiration.response_due_at < now)


def _in_time():
    return Aspiration.first_response_at <= Aspiration.response_due_at


def _late(now):
    """Answered after the deadline, or not answered and past it."""
    return or_(Aspiration.first_response_at > Aspiration.response_due_at,
               and_(Aspiration.first_response_at.is_(None), Aspiration.response_due_at < now))


def _median(values):
    return round(statistics.median(values), 1) if values else None


def compute(now, scope=None):
    """The figures, straight from the database: one pass over the public aspirations (or those in `scope`).

    Each row brings its state, topic, kecamatan and agency, two durations in
    seconds and three deadline flags, all computed by the database (parsing
    thousands of timestamps in Python would cost more than the query).
    """
    rows = db.session.execute(
        select(Aspiration.state, Aspiration.category_id, Aspiration.kecamatan_id, Aspiration.agency_id,
               Aspiration.channel, Aspiration.district_id,
               _seconds(Aspiration.created_at, Aspiration.verified_at),
               _seconds(Aspiration.forwarded_at, Aspiration.first_response_at),
               _flag(_overdue(now)), _flag(_in_time()), _flag(_late(now)))
        .where(Aspiration.public_filter() if scope is None else scope)
    ).all()
    categories = {row.id: row for row in db.session.scalars(select(Category))}
    districts = {row.id: row for row in db.session.scalars(select(District))}
    agencies = {row.id: row for row in db.session.scalars(select(Agency))}
    states, by_category, by_kecamatan, by_channel = Counter(), Counter(), Counter(), Counter()
    channels_at = defaultdict(Counter)  # district id (kecamatan and kelurahan alike) -> channel -> count
    figures, to_verify, to_respond = {}, defaultdict(list), defaultdict(list)
    for (state, category_id, kecamatan_id, agency_id, channel, kelurahan_id, verify, respond, overdue, in_time,
         late) in rows:
        states[state] += 1
        by_category[category_id] += 1
        by_kecamatan[kecamatan_id] += 1
        by_channel[channel] += 1
        channels_at[kecamatan_id][channel] += 1
        channels_at[kelurahan_id][channel] += 1
        if agency_id is None:
            continue
        entry = figures.get(agency_id) or figures.setdefault(agency_id, AgencyFigures(agencies[agency_id]))
        entry.forwarded += 1
        entry.overdue += overdue
        entry.answered_in_time += in_time
        entry.answered_late += late
        if verify is not None:
            to_verify[agency_id].append(verify / 86400)
        if respond is not None:
            to_respond[agency_id].append(max(respond, 0) / 86400)
    result = AspirationStatistics(total=len(rows))
    result.by_state = [(state, states[state]) for state in AspirationState.ALL if states[state]]
    result.by_category = sorted(((categories[i], n) for i, n in by_category.items()),
                                key=lambda pair: (-pair[1], pair[0].name_id))
    result.by_kecamatan = sorted(((districts[i], n) for i, n in by_kecamatan.items()),
                                 key=lambda pair: (-pair[1], pair[0].name))
    result.by_channel = [(channel, by_channel[channel]) for channel in Channel.ALL]
    per_place = sorted(((districts[i], [counts[channel] for channel in Channel.ALL]) for i, counts in
                        channels_at.items()), key=lambda pair: pair[0].full_name)
    result.kecamatan_channels = [pair for pair in per_place if pair[0].parent_id is None]
    result.kelurahan_channels = [pair for pair in per_place if pair[0].parent_id is not None]
    for agency_id, entry in figures.items():
        entry.median_days_to_verification = _median(to_verify[agency_id])
        entry.median_days_to_first_response = _median(to_respond[agency_id])
    result.agencies = sorted(figures.values(), key=lambda entry: entry.agency.name)
    in_time = sum(entry.answered_in_time for entry in result.agencies)
    counted = in_time + sum(entry.answered_late for entry in result.agencies)
    result.share_in_time = in_time / counted if counted else None
    return result


def public_statistics(now=None):
    """The figures, from the per-process cache while the aspirations' revision is unchanged."""
    from forum.timeutil import utcnow

    close_expired()
    now = now or utcnow()
    key = (str(db.engine.url), lists_revision())
    with _lock:
        cached = _cache.get("statistics")
    if cached is not None and cached[0] == key and not _deadline_passed(cached, now):
        return cached[2]
    result = compute(now)
    with _lock:
        _cache["statistics"] = (key, now, result)
    return result


def _deadline_passed(cached, now):
    """Overdue counts change with the clock alone: recompute at least every ten minutes."""
    return (now - cached[1]).total_seconds() > 600
