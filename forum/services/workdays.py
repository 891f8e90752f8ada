"""Working days for service-level deadlines: Monday to Friday, national holidays skipped.

Holidays come from `app.config["ASPIRATION_HOLIDAYS"]` (a list of ISO dates)
when set, otherwise from forum/data/holidays-id.csv (the 2026-2027 national
holidays, with its source in the file). Days are counted in the city's
calendar: a deadline of N working days ends at the close of the N-th working
day after the day the clock started (an aspiration sent on Friday evening
with 3 days to go is due at the end of Wednesday).
"""
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from flask import current_app

from forum.timeutil import CITY_ZONE, to_city_time

HOLIDAY_FILE = Path(__file__).resolve().parent.parent / "data" / "holidays-id.csv"


@lru_cache(maxsize=1)
def _default_holidays():
    days = set()
    for line in HOLIDAY_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            days.add(date.fromisoformat(line.split(",", 1)[0]))
    return frozenset(days)


def holidays():
    """The configured holidays as a frozenset of dates."""
    configured = current_app.config.get("ASPIRATION_HOLIDAYS")
    if configured is None:
        return _default_holidays()
    return frozenset(date.fromisoformat(str(day)) for day in configured)


def is_working_day(day, off_days):
    return day.weekday() < 5 and day not in off_days


def add_working_days(start, days, off_days=None):
    """The end (23:59:59.999999 city time, as aware UTC) of the `days`-th working day after `start`."""
    off_days = holidays() if off_days is None else off_days
    day = to_city_time(start).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, off_days):
            counted += 1
    end = datetime.combine(day, time.max, tzinfo=CITY_ZONE)
    return end.astimezone(timezone.utc)

