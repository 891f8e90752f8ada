"""The session hook that gives a content a new activity revision whenever its page changes.

After every flush of the app's session the hook notes which content pages
the flushed rows show on: a content itself and, for a comment, its target; a
vote's content (and a voted comment's target); a policy's versions, clauses
and attachments; the targets of comments by a user whose name or deletion
changed; every page (row 0) for agencies, categories and districts; and
the list row (forum/models/activity.py) of every policy or aspiration
written or voted on, under which whole lists are kept. Just before the
transaction commits it flushes once more and writes a fresh random revision
for each of them (forum/models/activity.py), so the change and the new
revision commit or roll back together. Code is therefore safe by default:
whatever changes comments, votes or policies through the session (posting,
editing, deleting, voting, moderation decisions, new versions, phase changes)
invalidates the cached pages without calling anything. Only statements that
bypass the ORM for rows the hook cannot see need `touch(content_id)` (and
the list row too when they change a policy or aspiration row).

The revision is written last in its transaction, in id order: a transaction
holds that row lock only while committing, so the extra write cannot take
part in a deadlock (a vote on a comment locks the comment first, a reply
locks the policy's counters and then the comment, both lock the revision
last). A page reads the revision before the rows it renders; see
forum/page_cache.py for why that order keeps the cache correct.
"""
import uuid

from sqlalchemy import event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite

from forum.extensions import db
from forum.models import (
    Agency,
    Aspiration,
    Attachment,
    Category,
    Comment,
    Content,
    District,
    Policy,
    PolicyVersion,
    Section,
    User,
    Vote,
)
from forum.models.activity import ASPIRATION_LISTS, CONSULTATION_LISTS, EVERY_PAGE, ContentActivity

_TOUCHED = "activity_touched"
_USER_FIELDS = ("display_name", "deleted_at")
_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
#: The list row of each kind of content kept in lists: a write of such a content, or a vote on it, replaces it.
_LIST_ROWS = {Policy.__mapper__.polymorphic_identity: CONSULTATION_LISTS,
              Aspiration.__mapper__.polymorphic_identity: ASPIRATION_LISTS}


class _Touched:
    """What one transaction changed, as content ids and as rows whose content is found at commit."""

    def __init__(self):
        self.content_ids = set()
        self.voted_ids = set()      # content voted on: a comment's target changes too
        self.version_ids = set()    # clauses changed: their policy
        self.author_ids = set()     # renamed or deleted users: the targets of their comments

    def __bool__(self):
        return bool(self.content_ids or self.voted_ids or self.version_ids or self.author_ids)

    def resolve(self, session):
        """Every content id whose page changed (queries only for what needs one)."""
        ids = set(self.content_ids) | self.voted_ids
        if self.voted_ids:
            content, comment = Content.__table__, Comment.__table__
            for kind, target_id in session.execute(
                    select(content.c.kind, comment.c.target_id)
                    .select_from(content.outerjoin(comment, comment.c.id == content.c.id))
                    .where(content.c.id.in_(self.voted_ids))):
                ids.update((target_id, _LIST_ROWS.get(kind)))
        if self.version_ids:
            ids.update(session.scalars(select(PolicyVersion.policy_id).where(PolicyVersion.id.in_(self.version_ids))))
        if self.author_ids:
            ids.update(session.scalars(
                select(Comment.target_id).where(Comment.author_id.in_(self.author_ids)).distinct()))
        ids.discard(None)
        return ids


def _touched(session):
    return session.info.setdefault(_TOUCHED, _Touched())


def touch(*content_ids):
    """Give these contents a new revision when the current transaction commits.

    For code that changes what a page shows with statements the session hook
    cannot see (a Core UPDATE on comments or votes, for instance).
    """
    _touched(db.session()).content_ids.update(content_ids)


def _note(touched, obj, session):
    if isinstance(obj, Content):
        touched.content_ids.add(obj.id)
        if isinstance(obj, Comment):
            touched.content_ids.add(obj.target_id)
    elif isinstance(obj, Vote):
        touched.voted_ids.add(obj.content_id)
    elif isinstance(obj, PolicyVersion):
        touched.content_ids.add(obj.policy_id)
    elif isinstance(obj, Section):
        touched.version_ids.add(obj.version_id)
    elif isinstance(obj, Attachment):
        touched.content_ids.add(obj.policy_id)
    elif isinstance(obj, (Agency, Category, District)):
        touched.content_ids.add(EVERY_PAGE)
    elif isinstance(obj, User) and obj not in session.new:
        state = inspect(obj)
        if any(state.attrs[name].history.has_changes() for name in _USER_FIELDS):
            touched.author_ids.add(obj.id)


def _after_flush(session, flush_context):
    touched = None
    for obj in (*session.new, *session.deleted, *session.dirty):
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        touched = touched or _touched(session)
        _note(touched, obj, session)


def _before_commit(session):
    if session.in_nested_transaction():  # a savepoint: the revisions are written when the unit commits
        return
    session.flush()  # what the commit would flush is noted too
    touched = session.info.pop(_TOUCHED, None)
    if not touched:
        return
    content_ids = sorted(touched.resolve(session))
    if not content_ids:
        return
    connection = session.connection()
    table = ContentActivity.__table__
    revision = uuid.uuid4().hex
    statement = _UPSERTS[connection.dialect.name](table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.content_id], set_={"revision": statement.excluded.revision})
    connection.execute(statement, [{"content_id": content_id, "revision": revision} for content_id in content_ids])


def _after_rollback(session):
    if not session.in_nested_transaction():
        session.info.pop(_TOUCHED, None)


@event.listens_for(Policy, "after_insert", propagate=True)
@event.listens_for(Policy, "after_update", propagate=True)
@event.listens_for(Policy, "after_delete", propagate=True)
@event.listens_for(Aspiration, "after_insert", propagate=True)
@event.listens_for(Aspiration, "after_update", propagate=True)
@event.listens_for(Aspiration, "after_delete", propagate=True)
def _list_row_written(mapper, connection, target):
    """Any written policy or aspiration row (a new one, each step, moderation, counters) changes its list.

    A mapper event, not `_note`: a counter moved by a SQL increment
    (`policy.comment_count = Policy.comment_count + 1`) leaves no history
    the session's `is_modified` sees after the flush.
    """
    touch(_LIST_ROWS[target.kind])


_LISTENERS = (("after_flush", _after_flush), ("before_commit", _before_commit),
              ("after_rollback", _after_rollback))


def install():
    """Listen on the app's session (idempotent: every app shares `db.session`)."""
    for name, listener in _LISTENERS:
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def revisions(*content_ids):
    """Columns for a query: the revision of each of `content_ids` (ids or columns), then the every-page one."""
    def of(key):
        return select(ContentActivity.revision).where(ContentActivity.content_id == key).scalar_subquery()

    return (*(of(content_id) for content_id in content_ids), of(EVERY_PAGE))
