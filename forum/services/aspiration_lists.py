"""Reading aspirations in bulk: the public list, the agency desk, the moderators' queue, similar ones.

Every list of aspirations for the public goes through `Aspiration.public_filter()`
(confidential and unverified ones never appear); the desk and the queue are
for staff and check their permission first.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.models import Agency, Aspiration, AspirationState, AspirationType, Category, District
from forum.permissions import require
from forum.services.aspirations import by_code, close_expired
from forum.timeutil import utcnow

S = AspirationState
SORTS = ("newest", "supported", "unanswered")
WAITING = (S.VERIFIED, S.FORWARDED, S.IN_PROGRESS, S.REOPENED)
LIST_OPTIONS = (joinedload(Aspiration.category), joinedload(Aspiration.district),
                joinedload(Aspiration.agency), joinedload(Aspiration.author), selectinload(Aspiration.photos),
                joinedload(Aspiration.organization))


@dataclass
class ListFilters:
    """The filters of the public list (and the API): codes in, rows found, problems named."""

    state: str = None
    aspiration_type: str = None
    category: Category = None
    district: District = None
    agency: Agency = None
    sort: str = "newest"

    @classmethod
    def read(cls, args, problems=None):
        """From query arguments; unknown values are named in `problems` (a dict) or ignored."""
        problems = {} if problems is None else problems
        found = cls()
        state = args.get("status") or None
        if state is not None and state not in S.ALL:
            problems["status"] = _l("Use one of: %(values)s.", values=", ".join(S.ALL))
        else:
            found.state = state
        kind = args.get("kind") or None
        if kind is not None and kind not in AspirationType.ALL:
            problems["kind"] = _l("Use one of: %(values)s.", values=", ".join(AspirationType.ALL))
        else:
            found.aspiration_type = kind
        for name, model in (("category", Category), ("district", District), ("agency", Agency)):
            code = args.get(name) or None
            if code is None:
                continue
            row = by_code(model, code)
            if row is None:
                problems[name] = _l("Unknown code.")
            setattr(found, name, row)
        sort = args.get("sort") or "newest"
        found.sort = sort if sort in SORTS else "newest"
        return found

    def conditions(self):
        conditions = []
        if self.state:
            conditions.append(Aspiration.state == self.state)
        if self.aspiration_type:
            conditions.append(Aspiration.aspiration_type == self.aspiration_type)
        if self.category is not None:
            conditions.append(Aspiration.category_id == self.category.id)
        if self.district is not None:
            column = Aspiration.kecamatan_id if self.district.level == District.KECAMATAN else Aspiration.district_id
            conditions.append(column == self.district.id)
        if self.agency is not None:
            conditions.append(Aspiration.agency_id == self.agency.id)
        return conditions


def _order(sort):
    if sort == "supported":
        return (Aspiration.up_count.desc(), Aspiration.id.desc())
    if sort == "unanswered":
        return (Aspiration.id,)
    return (Aspiration.id.desc(),)


def public_query(filters):
    """A select of the public aspirations matching `filters`, in their order (ids follow submission)."""
    close_expired()
    conditions = [Aspiration.public_filter(), *filters.conditions()]
    if filters.sort == "unanswered":
        conditions.append(Aspiration.state.in_(WAITING))
    return select(Aspiration).where(*conditions).options(*LIST_OPTIONS).order_by(*_order(filters.sort))


def recent_public(limit=5):
    """The newest public aspirations, for the home page."""
    return db.session.scalars(select(Aspiration).where(Aspiration.public_filter())
                              .options(joinedload(Aspiration.district).joinedload(District.parent))
                              .order_by(Aspiration.id.desc()).limit(limit)).all()


def _overdue_first(now):
    """Waiting past their deadline first."""
    overdue = or_(
        and_(Aspiration.state == S.SUBMITTED, Aspiration.verify_due_at < now),
        and_(Aspiration.state.in_(S.AT_AGENCY), Aspiration.first_response_at.is_(None),
             Aspiration.response_due_at < now),
    )
    return case((overdue, 0), else_=1)


def desk_filter(agency_id):
    """What an agency's desk holds: every aspiration with it, confidential, held or hidden ones too."""
    return and_(Aspiration.agency_id == agency_id, Aspiration.status.in_(("published", "pending", "hidden")))


def desk_query(official, state=None):
    """The aspirations with `official`'s agency, overdue first, then oldest first."""
    require(official, "aspiration.desk")
    close_expired()
    query = select(Aspiration).where(desk_filter(official.agency_id))
    if state in S.ALL:
        query = query.where(Aspiration.state == state)
    return query.options(*LIST_OPTIONS).order_by(_overdue_first(utcnow()), Aspiration.id)


def queue_query(moderator):
    """New aspirations waiting for a moderator (submitted, or verified and not yet forwarded), oldest first."""
    require(moderator, "aspiration.screen")
    return (select(Aspiration).where(Aspiration.state.in_((S.SUBMITTED, S.VERIFIED)),
                                     Aspiration.status.in_(("published", "pending")))
            .options(*LIST_OPTIONS).order_by(_overdue_first(utcnow()), Aspiration.id))


def similar(title, body="", limit=5):
    """Up to `limit` public aspirations like the one being written: the search index, or a title match."""
    from forum import search

    text = f"{title}\n{body}".strip()
    if not text:
        return []
    hits = search.related(text, kind="aspiration", limit=limit)
    ids = [hit.id for hit in hits]
    if not ids:
        words = [word for word in title.split() if len(word) > 3][:4]
        if not words:
            return []
        return db.session.scalars(
            select(Aspiration).where(Aspiration.public_filter(),
                                     or_(*(Aspiration.title.ilike(f"%{_escape_like(w)}%", escape="\\")
                                           for w in words)))
            .options(*LIST_OPTIONS).order_by(Aspiration.up_count.desc(), Aspiration.id.desc()).limit(limit)
        ).all()
    rows = {row.id: row for row in db.session.scalars(
        select(Aspiration).where(Aspiration.id.in_(ids), Aspiration.public_filter()).options(*LIST_OPTIONS))}
    return [rows[i] for i in ids if i in rows]


def _escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
