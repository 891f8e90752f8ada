"""The public transparency figures: per month, what the screen and the moderators did, and why.

Counted from the audit log and the content table, grouped in SQL by month
in city time; no names, no texts, nothing personal leaves here. Measures:
published (submissions accepted without being held), held, rejected by the
screen, hidden by flags, removed by moderators, restored on appeal.
Reasons are grouped into families (watched words, personal data, links,
rate, pre-moderation, account state) and the flag reasons.
"""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal_column, select

from forum.extensions import db
from forum.models import Content
from forum.timeutil import to_city_time, utcnow
from moderation.flags import REASON_LABELS
from moderation.models import AuditEntry

MEASURES = ("published", "held", "rejected", "hidden_by_flags", "removed", "restored_on_appeal")
MEASURE_LABELS = {
    "published": _l("Published"),
    "held": _l("Held for review"),
    "rejected": _l("Rejected by the screen"),
    "hidden_by_flags": _l("Hidden by flags"),
    "removed": _l("Removed by moderators"),
    "restored_on_appeal": _l("Restored on appeal"),
}
_ACTION_MEASURE = {"screen.hold": "held", "screen.reject": "rejected", "content.auto_hidden": "hidden_by_flags",
                   "decision.remove": "removed", "appeal.granted": "restored_on_appeal"}
REASON_FAMILIES = {
    "watched": _l("Watched words"),
    "personal": _l("Personal data"),
    "links": _l("Links"),
    "rate": _l("Posting too fast"),
    "repeat": _l("Repeated text"),
    "premod": _l("Pre-moderation"),
    "account": _l("Account restricted"),
    **REASON_LABELS,
}
CITY_OFFSET_HOURS = 7  # Asia/Jakarta has no daylight saving time
SUBMISSION_KINDS_EXCLUDED = ("policy", "guide")


@dataclass
class Month:
    key: str  # YYYY-MM
    counts: dict = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    reasons: dict = field(default_factory=dict)  # family -> count

    @property
    def first_day(self):
        year, month = map(int, self.key.split("-"))
        return date(year, month, 1)


def _month_of(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column + literal_column(f"interval '{CITY_OFFSET_HOURS} hours'"), "YYYY-MM")
    return func.strftime("%Y-%m", column, f"+{CITY_OFFSET_HOURS} hours")


def _month_keys(count, today):
    keys, year, month = [], today.year, today.month
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys


def family(reason_code):
    """The family a reason code belongs to (`personal.nik` -> `personal`)."""
    return (reason_code or "").split(".")[0] or None


def monthly_figures(months=12):
    """The last `months` months (newest first), each with its counts and reasons."""
    today = to_city_time(utcnow()).date()
    keys = _month_keys(months, today)
    figures = {key: Month(key) for key in keys}
    oldest = figures[keys[-1]].first_day
    start = utcnow().replace(year=oldest.year, month=oldest.month, day=1, hour=0, minute=0, second=0,
                             microsecond=0)
    month = _month_of(Content.created_at)
    for key, count in db.session.execute(
            select(month, func.count()).where(Content.kind.not_in(SUBMISSION_KINDS_EXCLUDED),
                                              Content.created_at >= start).group_by(month)):
        if key in figures:
            figures[key].counts["published"] += count
    month = _month_of(AuditEntry.created_at)
    rows = db.session.execute(
        select(month, AuditEntry.action, AuditEntry.reason_code, func.count())
        .where(AuditEntry.action.in_(_ACTION_MEASURE), AuditEntry.created_at >= start)
        .group_by(month, AuditEntry.action, AuditEntry.reason_code))
    for key, action, reason_code, count in rows:
        if key not in figures:
            continue
        measure = _ACTION_MEASURE[action]
        figures[key].counts[measure] += count
        if measure == "held":
            figures[key].counts["published"] -= count
        reason = family(reason_code)
        if reason in REASON_FAMILIES and measure != "restored_on_appeal":
            figures[key].reasons[reason] = figures[key].reasons.get(reason, 0) + count
    for figure in figures.values():
        figure.counts["published"] = max(0, figure.counts["published"])
    return [figures[key] for key in keys]
