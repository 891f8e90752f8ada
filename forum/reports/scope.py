"""Which comments a feedback summary or export covers, and the SQL pieces every query shares.

`SummaryFilters` narrows a policy's feedback to one version, a date range
(city dates, both ends included) or one kecamatan (where the input came
from: the commenter's registered area, or a meeting's or desk's kelurahan).
`comment_conditions()` turns it into SQL conditions; only
published comments ever count, so hidden, removed, deleted and pending
content never reaches a summary or an export (the policy itself is checked
not to be a draft by the service, which makes `status = published` the
whole of `Comment.public_filter()` here).
"""
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import Date, cast, func, literal_column, select

from forum.extensions import db
from forum.models import Comment, ContentStatus, District, PolicyVersion, User
from forum.timeutil import CITY_ZONE

CITY_OFFSET_HOURS = 7  # Asia/Jakarta has no daylight saving time
PSEUDONYM_LENGTH = 10


@dataclass(frozen=True)
class SummaryFilters:
    """Optional narrowing of a summary; every field None means the whole consultation."""

    version: int | None = None      # a version number of the policy
    since: date | None = None       # city date, included
    until: date | None = None       # city date, included
    kecamatan: str | None = None    # a kecamatan code, e.g. "pondok-aren"

    @property
    def active(self):
        return any(value is not None for value in (self.version, self.since, self.until, self.kecamatan))

    def as_dict(self):
        return {
            "version": self.version,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "kecamatan": self.kecamatan,
        }


def city_midnight_utc(day):
    """The UTC instant at which city date `day` begins."""
    return datetime.combine(day, time(0), tzinfo=CITY_ZONE)


def kecamatan_district_ids(code):
    """A select of the kecamatan's id and its kelurahan ids."""
    kecamatan = select(District.id).where(District.code == code, District.level == District.KECAMATAN)
    return select(District.id).where((District.id.in_(kecamatan)) | (District.parent_id.in_(kecamatan)))


def version_id(policy, filters):
    """The id of the filtered version, or None when no version is chosen."""
    if filters.version is None:
        return None
    return db.session.scalar(select(PolicyVersion.id).where(
        PolicyVersion.policy_id == policy.id, PolicyVersion.number == filters.version))


def comment_conditions(policy, filters, comment=Comment, published_only=True):
    """SQL conditions selecting the published comments of `policy` within `filters`.

    `published_only=False` is for the moderation figures alone: they count
    what was held or taken down, and never quote it.
    """
    conditions = [comment.target_id == policy.id]
    if published_only:
        conditions.append(comment.status == ContentStatus.PUBLISHED)
    if filters.version is not None:
        conditions.append(comment.version_id == version_id(policy, filters))
    # Offline input (a meeting, a desk) is placed where it came from, online input by its author's area.
    home = select(User.district_id).where(User.id == comment.author_id).correlate(comment).scalar_subquery()
    conditions.extend(_time_and_area(comment.created_at, comment.author_id, filters,
                                     area=func.coalesce(comment.input_district_id, home)))
    return conditions


def _time_and_area(created_at, author_id, filters, area=None):
    conditions = []
    if filters.since is not None:
        conditions.append(created_at >= city_midnight_utc(filters.since))
    if filters.until is not None:
        conditions.append(created_at < city_midnight_utc(filters.until + timedelta(days=1)))
    if filters.kecamatan is not None:
        districts = kecamatan_district_ids(filters.kecamatan)
        conditions.append(area.in_(districts) if area is not None else author_id.in_(
            select(User.id).where(User.district_id.in_(districts))))
    return conditions


def vote_conditions(vote, policy, filters):
    """Conditions on policy votes within the date range and kecamatan (votes have no version)."""
    return [vote.content_id == policy.id, *_time_and_area(vote.updated_at, vote.user_id, filters)]


def city_day(column):
    """SQL for the city date of a UTC timestamp column, on SQLite and PostgreSQL."""
    if db.engine.dialect.name == "sqlite":
        return func.date(column, f"+{CITY_OFFSET_HOURS} hours")
    return cast(column + literal_column(f"interval '{CITY_OFFSET_HOURS} hours'"), Date)


def as_date(value):
    """A city date from `city_day()`'s result (SQLite answers text, PostgreSQL a date)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def pseudonym(policy_id, user_id):
    """A stable pseudonymous author id for one policy: HMAC(secret, policy, user), truncated.

    The same person has the same id throughout one policy's exports and a
    different one on every other policy, so exports cannot be joined up to
    follow a resident across consultations.
    """
    if user_id is None:
        return None
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    digest = hmac.new(key, f"policy:{policy_id}:user:{user_id}".encode(), hashlib.sha256).hexdigest()
    return "W-" + digest[:PSEUDONYM_LENGTH]
