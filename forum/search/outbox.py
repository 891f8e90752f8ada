"""The session hook that keeps the search outbox in step with content.

After every flush of the app's session, each Content row that was inserted,
or whose `search_fields` changed, gets a `search_outbox` row written on the
same connection, so it commits or rolls back with the change itself. So do the
comments on a changed policy or aspiration (their visibility and category
follow it) and every content of a user whose display name or deletion changed
(the index shows author names). After the commit,
the process applies pending rows to its index if it can take the writer lock
without waiting (forum/search/indexer.py); a failure there is logged, never
raised to the user: the rows stay for the next writer or `search sync`.
"""
from flask import current_app, has_app_context
from sqlalchemy import event, insert, inspect, literal, select

from forum.extensions import db
from forum.models import Comment, Content, User
from forum.models.search import SearchOutbox
from forum.timeutil import utcnow

_WROTE = "search_outbox_written"
_USER_FIELDS = ("display_name", "deleted_at")


def _changed(obj, names):
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _after_flush(session, flush_context):
    changed = [obj for obj in session.new if isinstance(obj, Content)]
    changed += [obj for obj in session.dirty
                if isinstance(obj, Content) and _changed(obj, type(obj).search_fields)]
    renamed = [obj.id for obj in session.dirty if isinstance(obj, User) and _changed(obj, _USER_FIELDS)]
    if not (changed or renamed):
        return
    now = utcnow()
    table = SearchOutbox.__table__
    connection = session.connection()
    if changed:
        connection.execute(insert(table), [
            {"content_id": obj.id, "created_at": now,
             "op": SearchOutbox.UPSERT if obj.is_public else SearchOutbox.DELETE}
            for obj in changed
        ])
    targets = [obj.id for obj in changed if not isinstance(obj, Comment)]
    sources = [select(Comment.id).where(Comment.target_id.in_(targets))] if targets else []
    if renamed:
        sources.append(select(Content.id).where(Content.author_id.in_(renamed)))
    for source in sources:
        ids = source.subquery()
        connection.execute(insert(table).from_select(
            ["content_id", "op", "created_at"],
            select(ids.c[0], literal(SearchOutbox.UPSERT), literal(now, SearchOutbox.created_at.type)),
        ))
    session.info[_WROTE] = True


def _after_commit(session):
    if session.in_nested_transaction():  # a savepoint: the unit has not committed yet
        return
    if session.info.pop(_WROTE, False) and has_app_context():
        from forum.search import index_after_commit

        index_after_commit(current_app._get_current_object())


def _after_rollback(session):
    if not session.in_nested_transaction():
        session.info.pop(_WROTE, None)


_LISTENERS = (("after_flush", _after_flush), ("after_commit", _after_commit),
              ("after_rollback", _after_rollback))


def install():
    """Listen on the app's session (idempotent: every app shares `db.session`)."""
    for name, listener in _LISTENERS:
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
