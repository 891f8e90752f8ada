"""An organization's public activity: its comments, aspirations, supports and votes, newest first.

`organization_activity(organization, page)` is what the organization's
profile page (`/organisasi/<slug>`) lists. Only what the public may see is
listed (the one visibility rule, `public_filter()`): comments on public
consultations and aspirations, public aspirations, and the organization's
supports of public aspirations and votes on public consultations. One UNION
query pages the activity and one query per kind loads what is on the page.
The member who wrote an item is given only to moderators and the
organization's admins (`written_by`).
"""
from dataclasses import dataclass, field

from sqlalchemy import func, literal, select, union_all

from forum.extensions import db
from forum.models import Aspiration, Comment, Content, Policy, Vote, VoteValue
from forum.services.organization_voice import writer_visible_to

PAGE_SIZE = 20


@dataclass
class ActivityItem:
    """One entry: `kind` comment | aspiration | support | vote; `content` what it is (or is about)."""

    kind: str
    at: object
    content: object
    value: str | None = None      # a vote's value (support / oppose on a policy, up on an aspiration)
    written_by: object = None     # the member, for moderators and the organization's admins only


@dataclass
class ActivityPage:
    """One page, shaped like Flask-SQLAlchemy's `Pagination` for templates/macros/pagination.html."""

    items: list = field(default_factory=list)
    page: int = 1
    per_page: int = PAGE_SIZE
    total: int = 0

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page * self.per_page < self.total

    @property
    def prev_num(self):
        return self.page - 1

    @property
    def next_num(self):
        return self.page + 1


def _entries(organization_id):
    """(kind, id, at) of every public item: a vote's id is its row's, the others their content's."""
    public_targets = select(Aspiration.id).where(Aspiration.public_filter()).union(
        select(Policy.id).where(Policy.public_filter()))
    return union_all(
        select(literal("comment").label("kind"), Comment.id.label("id"), Comment.created_at.label("at"))
        .where(Comment.organization_id == organization_id, Comment.public_filter()),
        select(literal("aspiration"), Aspiration.id, Aspiration.created_at)
        .where(Aspiration.organization_id == organization_id, Aspiration.public_filter()),
        select(literal("vote"), Vote.id, Vote.updated_at)
        .where(Vote.organization_id == organization_id, Vote.value != VoteValue.DOWN,
               Vote.content_id.in_(public_targets)),
    ).subquery()


def organization_activity(organization, page=1, *, per_page=PAGE_SIZE, viewer=None):
    """One page (`ActivityPage`) of the organization's public activity, newest first."""
    page = page if isinstance(page, int) and 0 < page < 100000 else 1
    entries = _entries(organization.id)
    total = db.session.scalar(select(func.count()).select_from(entries))
    rows = db.session.execute(
        select(entries.c.kind, entries.c.id, entries.c.at)
        .order_by(entries.c.at.desc(), entries.c.kind, entries.c.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    content_ids = [row.id for row in rows if row.kind != "vote"]
    vote_ids = [row.id for row in rows if row.kind == "vote"]
    votes = {vote.id: vote for vote in db.session.scalars(select(Vote).where(Vote.id.in_(vote_ids)))} \
        if vote_ids else {}
    wanted = set(content_ids) | {vote.content_id for vote in votes.values()}
    contents = {content.id: content for content in db.session.scalars(
        select(Content).where(Content.id.in_(wanted)))} if wanted else {}
    items = []
    for kind, row_id, at in rows:
        if kind == "vote":
            vote = votes[row_id]
            target = contents[vote.content_id]
            items.append(ActivityItem(kind="support" if isinstance(target, Aspiration) else "vote", at=at,
                                      content=target, value=vote.value))
        else:
            content = contents[row_id]
            items.append(ActivityItem(kind=kind, at=at, content=content,
                                      written_by=writer_visible_to(viewer, content)))
    return ActivityPage(items=items, page=page, per_page=per_page, total=total)
