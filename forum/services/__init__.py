"""Services: the verbs of the domain, each one transaction, callable without HTTP.

A service marks its unit of work with `transaction()`, as a block or as a
decorator:

    @transaction()
    def delete_comment(actor, comment): ...

    with transaction():
        policy.phase = PolicyPhase.CLOSED

The block commits when it ends and rolls back on any exception (then
re-raises), so nothing half-written stays. Blocks nest: a service that runs
inside another's transaction (an official response inside an aspiration's
answer, a follow inside a vote) joins it, and only the outermost block
commits or rolls back. An exception that leaves any block spoils the whole
unit: the outermost block rolls everything back even if a caller in between
caught the exception and carried on, and says so with `TransactionSpoiled`
instead of committing half of the unit. Work outside the database that the
unit must undo when it does not commit (files written for it) is registered
with `on_rollback`; it is not undone when the connection broke during the
commit itself, since the database may then have saved the unit.
"""
from contextlib import contextmanager

from sqlalchemy.exc import InterfaceError, OperationalError

from forum.extensions import db

# Keys in the session's `info`: how many blocks are open, whether an exception left an inner one,
# and what to undo if the unit rolls back.
_DEPTH = "transaction_depth"
_SPOILED = "transaction_spoiled"
_UNDO = "transaction_undo"


class TransactionSpoiled(RuntimeError):
    """An exception left an inner transaction block and was caught: the unit was rolled back."""


@contextmanager
def transaction():
    """One unit of work on `db.session`: commit at the end of the outermost block, roll back on any exception."""
    info = db.session.info
    depth = info.get(_DEPTH, 0)
    info[_DEPTH] = depth + 1
    try:
        yield
    except BaseException:
        _leave(depth, failed=True)
        raise
    _leave(depth, failed=False)


def on_rollback(undo):
    """Call `undo()` if the current unit of work rolls back instead of committing (e.g. remove a written file)."""
    if not db.session.info.get(_DEPTH):
        raise RuntimeError("on_rollback() needs an open transaction()")
    db.session.info.setdefault(_UNDO, []).append(undo)


def _leave(depth, failed):
    """Close one block; the outermost one ends the unit (after the keys are reset, so listeners start afresh)."""
    info = db.session.info
    if depth:
        info[_DEPTH] = depth
        if failed:
            info[_SPOILED] = True
        return
    info.pop(_DEPTH, None)
    spoiled = info.pop(_SPOILED, False)
    undo = info.pop(_UNDO, [])
    committed = False
    try:
        if failed or spoiled:
            db.session.rollback()
            if not failed:
                raise TransactionSpoiled("an exception inside this transaction was caught; nothing was committed")
            return
        try:
            db.session.commit()
        except (OperationalError, InterfaceError):
            # The connection broke during the commit: the database may have saved the unit after
            # all, and a row whose file is gone is worse than a file no row names.
            undo = []
            db.session.rollback()
            raise
        except BaseException:
            db.session.rollback()
            raise
        committed = True
    finally:
        if not committed:
            for step in undo:
                step()

