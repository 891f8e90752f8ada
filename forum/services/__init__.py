"""Services: the verbs of the domain, each one transaction, callable without HTTP."""
from sqlalchemy.exc import InterfaceError, OperationalError

from forum.extensions import db


def commit_or_rollback():
    """Commit the session; on any failure roll it back, so nothing half-written stays, and re-raise."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def commit_with_files(paths):
    """Commit rows naming the files at `paths`, written just before; on failure roll back and re-raise.

    The files are deleted when the commit failed, unless the connection broke
    during it: the database may then have saved the rows after all, and a row
    whose file is gone is worse than a file no row names.
    """
    try:
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        if not isinstance(error, (OperationalError, InterfaceError)):
            for path in paths:
                path.unlink(missing_ok=True)
        raise
