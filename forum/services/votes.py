"""Votes: the overall support/oppose on a policy, helpful/unhelpful on comments, support on aspirations.

One vote per person per content, kept true by the unique constraint on
(content_id, user_id). Casting is PUT-like: a first vote inserts, a later one
changes the row; clearing deletes it. The counters on the content row
(`up_count` = support or helpful, `down_count` = oppose or unhelpful) move by
the difference in the same transaction, as SQL increments, after locking the
content row (on PostgreSQL; SQLite serialises writers anyway), as Decidim's
vote_proposal locks the row it counts on. Two requests of the same person can
still race to insert: the loser's IntegrityError is rolled back and the vote
retried once, now as an update.

A member may also vote as a verified organization (`as_organization`, an id
checked by forum/services/organization_voice.py): that vote is the
organization's, one per organization per content, apart from the member's own.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.exc import IntegrityError

from forum.errors import Conflict, Forbidden, ValidationFailed
from forum.extensions import db
from forum.models import Aspiration, Comment, Content, Policy, Vote, VoteValue
from forum.models.content import ContentStatus
from forum.permissions import can
from forum.services import organization_voice, transaction
from forum.timeutil import utcnow

POLICY_VALUES = (VoteValue.SUPPORT, VoteValue.OPPOSE)
CONTENT_VALUES = (VoteValue.UP, VoteValue.DOWN)
_COUNTER = {
    VoteValue.SUPPORT: "up_count", VoteValue.UP: "up_count",
    VoteValue.OPPOSE: "down_count", VoteValue.DOWN: "down_count",
}


def _open_policy(policy):
    if not policy.accepts_input():
        raise Conflict(_l("This consultation is closed to new input."), code="closed")


def cast_by(actor, organization=None):
    """The SQL condition matching the vote `actor` casts (as themselves, or as `organization`)."""
    if organization is not None:
        return Vote.organization_id == organization.id
    return and_(Vote.user_id == actor.id, Vote.organization_id.is_(None))


def _check_voter(actor, content, organization=None):
    if organization is not None and content.organization_id == organization.id:
        raise Forbidden(_l("An organization cannot vote on its own post."))
    if not can(actor, "vote.cast", content):
        if getattr(actor, "is_official", False):
            raise Forbidden(_l("Officials respond to consultations but do not vote."))
        if content.author_id is not None and content.author_id == getattr(actor, "id", None):
            raise Forbidden(_l("You cannot rate your own comment."))
        raise Forbidden(_l("Only signed-in, verified accounts in good standing can vote."))


def _check_value(value, allowed):
    if value not in allowed:
        raise ValidationFailed(fields={"value": _l("Choose one of: %(values)s.", values=", ".join(allowed))})


def _apply(actor, content_id, value, organization=None):
    """Insert, change or (value None) delete the actor's (or organization's) vote; move the counters by the change.

    Returns the vote's value afterwards (None when there is none).
    """
    db.session.execute(select(Content.id).where(Content.id == content_id).with_for_update())
    vote = db.session.scalars(
        select(Vote).where(Vote.content_id == content_id, cast_by(actor, organization)).with_for_update()
    ).one_or_none()
    old = vote.value if vote is not None else None
    if old == value:
        return value
    deltas = {}
    if old is not None:
        deltas[_COUNTER[old]] = deltas.get(_COUNTER[old], 0) - 1
    if value is not None:
        deltas[_COUNTER[value]] = deltas.get(_COUNTER[value], 0) + 1
    if vote is None:
        db.session.add(Vote(content_id=content_id, user_id=actor.id, value=value,
                            organization_id=organization.id if organization is not None else None))
    elif value is None:
        db.session.delete(vote)
    else:
        # The member who last changed the organization's vote is the one recorded.
        vote.value, vote.updated_at, vote.user_id = value, utcnow(), actor.id
    db.session.flush()
    changes = {name: getattr(Content, name) + delta for name, delta in deltas.items() if delta}
    if changes:
        db.session.execute(
            update(Content).where(Content.id == content_id).values(changes)
            .execution_options(synchronize_session=False)
        )
    return value


def _vote(actor, content, value, also=None, organization=None):
    """Run `_apply` as one transaction, retrying once when a concurrent insert won the race.

    `also`, when given, adds more to the same transaction (e.g. a follow).
    The retry needs the failed attempt rolled back, so a vote is never cast
    inside another service's transaction (that one would end spoiled).
    """
    content_id = content.id
    for attempt in (1, 2):
        try:
            with transaction():
                result = _apply(actor, content_id, value, organization)
                if also is not None:
                    also()
        except IntegrityError:
            if attempt == 2:
                raise Conflict(_l("Your vote could not be saved. Please try again.")) from None
            continue
        # The counters changed in SQL: let the next read fetch them.
        db.session.expire(content, ["up_count", "down_count"])
        return result


def vote_on_policy(actor, policy, value, as_organization=None):
    """Support or oppose `policy` (a second vote changes the first); returns the value.

    `as_organization` (an id) casts the organization's vote.
    """
    _check_value(value, POLICY_VALUES)
    organization = organization_voice.voice_for(actor, as_organization)
    _check_voter(actor, policy, organization)
    _open_policy(policy)
    return _vote(actor, policy, value, organization=organization)


def clear_policy_vote(actor, policy, as_organization=None):
    """Withdraw one's (or the organization's) vote on `policy` while it is open."""
    organization = organization_voice.voice_for(actor, as_organization)
    _check_voter(actor, policy, organization)
    _open_policy(policy)
    return _vote(actor, policy, None, organization=organization)


def _votable_comment(content):
    if not isinstance(content, Comment) or content.status != ContentStatus.PUBLISHED:
        raise Conflict(_l("This comment cannot be rated."), code="not_votable")
    target = content.target
    if isinstance(target, Policy):
        _open_policy(target)


def vote_on_content(actor, content, value, as_organization=None):
    """Rate a comment helpful (`up`) or unhelpful (`down`); a second vote changes the first."""
    _check_value(value, CONTENT_VALUES)
    organization = organization_voice.voice_for(actor, as_organization)
    _check_voter(actor, content, organization)
    _votable_comment(content)
    return _vote(actor, content, value, organization=organization)


def clear_content_vote(actor, content, as_organization=None):
    organization = organization_voice.voice_for(actor, as_organization)
    _check_voter(actor, content, organization)
    _votable_comment(content)
    return _vote(actor, content, None, organization=organization)


def _supportable(content):
    if not isinstance(content, Aspiration) or not content.is_public or not content.accepts_input():
        raise Conflict(_l("This aspiration cannot be supported now."), code="not_supportable")


def vote_on_aspiration(actor, aspiration, also=None, organization=None):
    """Support (dukung) an aspiration: an `up` vote, one per person (or organization)."""
    _check_voter(actor, aspiration, organization)
    _supportable(aspiration)
    return _vote(actor, aspiration, VoteValue.UP, also=also, organization=organization)


def clear_aspiration_vote(actor, aspiration, organization=None):
    _check_voter(actor, aspiration, organization)
    _supportable(aspiration)
    return _vote(actor, aspiration, None, organization=organization)


def votes_of(user, content_ids):
    """{content id: value} of `user`'s own votes (not an organization's) among `content_ids` (one query)."""
    if user is None or not getattr(user, "is_authenticated", False) or not content_ids:
        return {}
    return dict(db.session.execute(_VOTES_OF, {"user_id": user.id, "content_ids": list(content_ids)}).all())


# Built once: the policy page asks on every signed-in read (see forum/services/policies.py `_anything_due`).
_VOTES_OF = select(Vote.content_id, Vote.value).where(
    Vote.user_id == bindparam("user_id"), Vote.organization_id.is_(None),
    Vote.content_id.in_(bindparam("content_ids", expanding=True)))
