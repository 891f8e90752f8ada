"""Time helpers: the database keeps UTC, people see Asia/Jakarta."""
import math
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy.types import DateTime, TypeDecorator

CITY_ZONE = ZoneInfo("Asia/Jakarta")


def utcnow():
    """The current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def seconds_until(moment, now):
    """Whole seconds from `now` until `moment`, at least 1: a limit's `Retry-After` and its message."""
    return max(math.ceil((moment - now).total_seconds()), 1)


def to_city_time(moment):
    """Convert an aware datetime to the city's zone (naive values are UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(CITY_ZONE)


def isoformat(moment):
    """ISO 8601 with the city's offset, as the API promises; None stays None."""
    return to_city_time(moment).isoformat() if moment is not None else None


class UTCDateTime(TypeDecorator):
    """Store naive UTC, return aware UTC, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)
