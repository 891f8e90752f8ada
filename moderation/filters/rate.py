"""Rate and repetition, read from the author's earlier `Content` rows.

For residents only (see `Submission.is_resident`), and not for edits:

* at most one post per `interval` and `daily` posts in 24 hours: stricter for
  accounts younger than `NEW_ACCOUNT_AGE` -> reject, saying when to retry
  (and in `Reason.retry_after`, the seconds to wait);
* the same text (normalized, compared by `Content.body_hash`) from the same
  account within `SAME_AUTHOR_WINDOW` -> reject;
* the same text from `COORDINATED_ACCOUNTS` or more accounts within
  `COORDINATED_WINDOW` -> hold (coordinated posting).

Everything is read in one aggregate query on indexed columns; the post
times for the messages only when refusing.
"""
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, text

from forum.extensions import db
from forum.models import Content
from forum.models.content import body_hash
from forum.timeutil import UTCDateTime, seconds_until
from moderation.filters import HOLD, REJECT, Reason, city_time_text


@dataclass(frozen=True)
class RateLimit:
    interval: timedelta
    daily: int


NEW_ACCOUNT_AGE = timedelta(days=7)
NEW_ACCOUNT_LIMIT = RateLimit(interval=timedelta(seconds=10), daily=30)
ESTABLISHED_LIMIT = RateLimit(interval=timedelta(seconds=3), daily=200)
DAY = timedelta(days=1)
SAME_AUTHOR_WINDOW = timedelta(minutes=10)
COORDINATED_WINDOW = timedelta(hours=1)
COORDINATED_ACCOUNTS = 3


@dataclass(frozen=True)
class History:
    posts_today: int
    posts_in_interval: int
    same_text_mine: int
    same_text_others: int


# Plain SQL that SQLite and PostgreSQL read alike: it runs on every submission,
# and a text statement costs SQLAlchemy less per call than the same select
# built from column expressions.
HISTORY_QUERY = text("""
SELECT
  count(CASE WHEN author_id = :author_id AND created_at >= :day_ago THEN 1 END),
  count(CASE WHEN author_id = :author_id AND created_at >= :interval_ago THEN 1 END),
  count(CASE WHEN author_id = :author_id AND body_hash = :text_hash AND created_at >= :minutes_ago THEN 1 END),
  count(DISTINCT CASE WHEN body_hash = :text_hash AND created_at >= :hour_ago AND author_id != :author_id
                      THEN author_id END)
FROM content
WHERE (author_id = :author_id AND created_at >= :day_ago) OR (body_hash = :text_hash AND created_at >= :hour_ago)
""").bindparams(*(bindparam(name, type_=UTCDateTime) for name in ("day_ago", "interval_ago", "minutes_ago", "hour_ago")))


def author_history(author_id, text_hash, now, interval):
    """Counts of the author's recent posts, and of other accounts that posted the same text lately."""
    row = db.session.connection().execute(HISTORY_QUERY, {
        "author_id": author_id,
        "text_hash": text_hash,
        "day_ago": now - DAY,
        "interval_ago": now - interval,
        "hour_ago": now - COORDINATED_WINDOW,
        "minutes_ago": now - SAME_AUTHOR_WINDOW,
    }).one()
    return History(*row)


# The two post times below are only asked when refusing.
_AUTHOR, _CREATED = Content.__table__.c.author_id, Content.__table__.c.created_at


def _last_post_time(author_id, since):
    return db.session.scalar(select(func.max(_CREATED)).where(_AUTHOR == author_id, _CREATED >= since))


def _daily_cap_frees_at(author_id, now, over):
    """A day after the post whose leaving the 24 hours brings the author under the cap (`over` posts above it)."""
    leaving = db.session.scalar(
        select(_CREATED).where(_AUTHOR == author_id, _CREATED >= now - DAY).order_by(_CREATED).offset(over).limit(1)
    )
    return leaving + DAY


def _limit_for(submission):
    return NEW_ACCOUNT_LIMIT if submission.account_age < NEW_ACCOUNT_AGE else ESTABLISHED_LIMIT


def rate_and_repetition(submission):
    """Reject posting too fast or twice; hold the same text from many accounts."""
    if not submission.is_resident or submission.context.is_edit:
        return
    now = submission.now
    author_id, limit = submission.author.id, _limit_for(submission)
    history = author_history(author_id, body_hash(submission.text), now, limit.interval)
    if history.posts_in_interval:
        last_post = _last_post_time(author_id, now - limit.interval)
        wait = seconds_until(last_post + limit.interval, now)
        yield Reason(
            REJECT, "rate.interval",
            _l("You are posting too quickly. Please wait %(seconds)d seconds and try again.", seconds=wait),
            rule=f"{int(limit.interval.total_seconds())}s", retry_after=wait,
        )
    if history.posts_today >= limit.daily:
        frees_at = _daily_cap_frees_at(author_id, now, history.posts_today - limit.daily)
        yield Reason(
            REJECT, "rate.daily",
            _l("You have reached the limit of %(limit)d posts a day. You can post again after %(time)s.",
               limit=limit.daily, time=city_time_text(frees_at)),
            rule=f"{limit.daily}/day", retry_after=seconds_until(frees_at, now),
        )
    if history.same_text_mine:
        yield Reason(
            REJECT, "repeat.self",
            _l("You posted the same text a few minutes ago. Please do not post it twice."),
        )
    if history.same_text_others + 1 >= COORDINATED_ACCOUNTS:
        yield Reason(
            HOLD, "repeat.coordinated",
            _l("Your post will appear after a moderator has checked it."),
            detail=f"{history.same_text_others} other accounts posted the same text within the hour",
        )
