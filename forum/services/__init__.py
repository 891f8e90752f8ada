"""Services: the verbs of the domain, each one transaction, callable without HTTP."""
from forum.extensions import db


def commit_or_rollback():
    """Commit the session; on any failure roll it back, so nothing half-written stays, and re-raise."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
