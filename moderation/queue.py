"""The review queue: open items per content, and the desk's pages of them.

Every item is about one `content.id`, whatever its kind, so new kinds of
content plug in without a change here. `ensure_open_item` returns the one
open item of a content (creating it when there is none; the unique
`open_content_id` settles a race between two writers).
"""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import Content
from moderation.models import Queue, ReviewItem

TABS = ("pending", "flagged", "hidden", "appeals", "all")
TAB_QUEUES = {"pending": Queue.PENDING, "flagged": Queue.FLAGGED, "hidden": Queue.HIDDEN, "appeals": Queue.APPEAL}
SORTS = ("score", "age", "newest", "kind")
PAGE_SIZE = 25


def open_item(content_id, lock=False):
    """The undecided item about `content_id`, or None."""
    query = select(ReviewItem).where(ReviewItem.open_content_id == content_id)
    if lock:
        query = query.with_for_update()
    return db.session.scalars(query).first()


def ensure_open_item(content, queue, screen_reasons=None):
    """The open item about `content`, created in `queue` when there is none."""
    item = open_item(content.id, lock=True)
    if item is None:
        item = ReviewItem(content_id=content.id, open_content_id=content.id, queue=queue,
                          screen_reasons=screen_reasons, score=0.0, flag_count=0, version=1)
        try:
            with db.session.begin_nested():
                db.session.add(item)
        except IntegrityError:
            item = open_item(content.id, lock=True)
    elif screen_reasons:
        item.screen_reasons = list(item.screen_reasons or []) + list(screen_reasons)
        item.version = ReviewItem.version + 1
    return item


def latest_item(content_id):
    """The open item about `content_id`, else the last decided one, else None."""
    return db.session.scalars(
        select(ReviewItem).where(ReviewItem.content_id == content_id)
        .order_by(ReviewItem.decided_at.is_(None).desc(), ReviewItem.id.desc())
    ).first()


@dataclass
class QueuePage:
    items: list
    tab: str
    sort: str
    page: int
    per_page: int
    total: int
    counts: dict

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page * self.per_page < self.total


def _order(sort):
    if sort == "score":
        return (ReviewItem.score.desc(), ReviewItem.created_at, ReviewItem.id)
    if sort == "newest":
        return (ReviewItem.created_at.desc(), ReviewItem.id.desc())
    if sort == "kind":
        return (Content.kind, ReviewItem.created_at, ReviewItem.id)
    return (ReviewItem.created_at, ReviewItem.id)


def tab_counts():
    """Open items per tab (one grouped query)."""
    rows = db.session.execute(
        select(ReviewItem.queue, func.count()).where(ReviewItem.decided_at.is_(None)).group_by(ReviewItem.queue)
    ).all()
    by_queue = dict(rows)
    counts = {tab: by_queue.get(queue, 0) for tab, queue in TAB_QUEUES.items()}
    counts["all"] = sum(by_queue.values())
    return counts


def queue_page(tab="pending", sort="age", page=1, per_page=PAGE_SIZE):
    """One page of open items in `tab`, sorted by `sort` (score, age, newest, kind)."""
    tab = tab if tab in TABS else "pending"
    sort = sort if sort in SORTS else ("score" if tab in ("flagged", "hidden") else "age")
    page = page if isinstance(page, int) and 0 < page < 100_000 else 1
    conditions = [ReviewItem.decided_at.is_(None)]
    if tab in TAB_QUEUES:
        conditions.append(ReviewItem.queue == TAB_QUEUES[tab])
    counts = tab_counts()
    items = db.session.scalars(
        select(ReviewItem).join(Content, Content.id == ReviewItem.content_id).where(*conditions)
        .options(joinedload(ReviewItem.content).joinedload(Content.author), joinedload(ReviewItem.appeal))
        .order_by(*_order(sort)).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return QueuePage(items=items, tab=tab, sort=sort, page=page, per_page=per_page, total=counts[tab],
                     counts=counts)
