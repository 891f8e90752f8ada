"""Moving content between statuses: the one place moderation changes `Content.status`.

Counters (a policy's comment count, a clause's stance counts, a parent's
reply count) only count public content, so whenever content moves into or
out of `published` the kind's counter function runs with +1 or -1. Kinds
register theirs in `COUNTERS` (comments are built in; another kind adds
`COUNTERS["aspiration"] = ...`). The search outbox reacts to the status
change by itself (forum/search).
"""
from forum.models import ContentStatus

REASON_MAX = 500

#: content kind -> function(content, delta) moving the counters it counts in
COUNTERS = {}


def counter_for(kind):
    """The counter function of a content kind, or None."""
    # Imported here: the comments service imports the screen, and so this package.
    from forum.services.comments import adjust_counters

    return COUNTERS.get(kind, adjust_counters if kind == "comment" else None)


def set_status(content, status, reason=None):
    """Give `content` a new status (and the reason residents see), keeping counters right.

    Returns True when the status changed. Runs in the caller's transaction.
    """
    content.status_reason = str(reason)[:REASON_MAX] if reason else None
    if content.status == status:
        return False
    was_public = content.status == ContentStatus.PUBLISHED
    content.status = status
    now_public = status == ContentStatus.PUBLISHED
    if was_public != now_public:
        counter = counter_for(content.kind)
        if counter is not None:
            counter(content, +1 if now_public else -1)
    return True
