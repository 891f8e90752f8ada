"""Follows and notifications: who hears about what, in the app and by e-mail.

The event hooks (`comment_posted`, `policy_opened`, ...) are called by the
other services inside their own transaction. They only add rows to the
caller's session and never commit, so a notification exists exactly when
the change it announces was committed. The few notifications meant for
people who asked for e-mail are remembered in `session.info`; once the
caller's transaction commits, forum/services/notification_mail.py mails them.

"Consultation opened in your category": the people told are those who
follow (and so also those who commented on) any other policy of the same
category. Following is the one signal of interest we already have, so no
separate category subscription is needed.
"""
from flask import url_for
from flask_babel import format_datetime, gettext as _
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload, with_polymorphic

from forum.extensions import db
from forum.models import AccountState, Comment, Content, ContentStatus, Follow, Notification, Policy, Role, User
from forum.services import transaction
from forum.services.content import content_url, subject_of
from forum.timeutil import to_city_time, utcnow

PENDING_MAIL_KEY = "notifications_to_mail"


class Event:
    """What a notification is about (stored in `Notification.event`)."""

    REPLY = "reply"
    OFFICIAL_RESPONSE = "official_response"
    POLICY_OPENED = "policy_opened"
    POLICY_CLOSING_SOON = "policy_closing_soon"
    POLICY_CLOSED = "policy_closed"
    POLICY_NEW_VERSION = "policy_new_version"
    POLICY_OUTCOME = "policy_outcome"
    # Moderation (moderation/notify.py): to moderators, then to authors and sanctioned people.
    MODERATION_HELD = "moderation_held"
    MODERATION_AUTO_HIDDEN = "moderation_auto_hidden"
    CONTENT_APPROVED = "content_approved"
    CONTENT_HIDDEN = "content_hidden"
    CONTENT_AUTO_HIDDEN = "content_auto_hidden"
    CONTENT_REMOVED = "content_removed"
    CONTENT_RESTORED = "content_restored"
    CONTENT_EDITED = "content_edited"
    APPEAL_DECIDED = "appeal_decided"
    SANCTIONED = "sanctioned"
    SANCTION_LIFTED = "sanction_lifted"
    FOR_MODERATORS = (MODERATION_HELD, MODERATION_AUTO_HIDDEN)
    MODERATION = FOR_MODERATORS + (CONTENT_APPROVED, CONTENT_HIDDEN, CONTENT_AUTO_HIDDEN, CONTENT_REMOVED,
                                   CONTENT_RESTORED, CONTENT_EDITED, APPEAL_DECIDED, SANCTIONED,
                                   SANCTION_LIFTED)
    ALL = (REPLY, OFFICIAL_RESPONSE, POLICY_OPENED, POLICY_CLOSING_SOON, POLICY_CLOSED,
           POLICY_NEW_VERSION, POLICY_OUTCOME) + MODERATION
    # Events that happen once in a policy's life: a repeated hook call (e.g.
    # the closing-soon check running on every read) must not notify twice.
    ONCE = (POLICY_OPENED, POLICY_CLOSING_SOON, POLICY_CLOSED, POLICY_OUTCOME)
    # Aspirations (forum/services/aspirations.py): each step of the workflow for the author and
    # followers, and a new aspiration for the officials of the agency it is forwarded to.
    ASPIRATION_STEPS = {
        "verified": "aspiration_verified", "declined": "aspiration_declined",
        "forwarded": "aspiration_forwarded", "in_progress": "aspiration_in_progress",
        "answered": "aspiration_answered", "closed": "aspiration_closed", "reopened": "aspiration_reopened",
    }
    ASPIRATION_ASSIGNED = "aspiration_assigned"
    # Organizations (forum/services/organizations.py): a verifier's decision, for the founder.
    ORGANIZATION_DECISIONS = {
        "verify": "organization_verified", "refuse": "organization_refused",
        "suspend": "organization_suspended", "reinstate": "organization_reinstated",
    }
    # Events (forum/services/event_registrations.py, events.py): about an event, not content.
    EVENT_SEAT_CONFIRMED = "event_seat_confirmed"
    EVENT_REMINDER = "event_reminder"
    EVENT_CANCELLED = "event_cancelled"
    ABOUT_EVENTS = (EVENT_SEAT_CONFIRMED, EVENT_REMINDER, EVENT_CANCELLED)


# -- following ----------------------------------------------------------------
def _insert_follow(user_id, content_id):
    """Add a follow row unless it exists, without a race on the unique constraint."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(Follow).values(user_id=user_id, content_id=content_id, created_at=utcnow())
    db.session.execute(statement.on_conflict_do_nothing(index_elements=["user_id", "content_id"]))


def follow(user, content):
    """`user` follows `content`; following twice changes nothing. Inside another service, part of its transaction."""
    with transaction():
        _insert_follow(user.id, content.id)


def unfollow(user, content):
    """`user` stops following `content` (nothing happens if they did not). Commits."""
    with transaction():
        db.session.execute(Follow.__table__.delete().where(
            Follow.user_id == user.id, Follow.content_id == content.id
        ))


def is_following(user, content):
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(
        select(func.count()).select_from(Follow).where(Follow.user_id == user.id, Follow.content_id == content.id)
    ) > 0


def set_email_opt_in(user, enabled):
    """Turn notification e-mails on or off for `user`. Commits."""
    with transaction():
        user.notify_by_email = bool(enabled)


# -- reading ------------------------------------------------------------------
def unread_count(user):
    """One COUNT over the (user_id, read_at) index (every signed-in page asks: the statement is built once)."""
    return db.session.scalar(_UNREAD_COUNT, {"user_id": user.id})


_UNREAD_COUNT = select(func.count()).select_from(Notification).where(
    Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))


def notification_page(user, page, per_page):
    """One page of `user`'s notifications, newest first, with all that renders them loaded.

    A few queries whatever the page holds: the rows with their content (every
    kind's columns) and actor, the count, and the policies that comments are on.
    """
    content = with_polymorphic(Content, [Comment, Policy], flat=True)
    statement = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .options(joinedload(Notification.content.of_type(content)), joinedload(Notification.actor))
        .order_by(Notification.id.desc())
    )
    result = db.paginate(statement, page=page, per_page=per_page, error_out=False, count=True)
    policy_ids = {row.content.target_id for row in result.items if isinstance(row.content, Comment)}
    # Held by the page (the session only keeps weak references), so each
    # `comment.target` is then found in the session without a query.
    result.policies = db.session.scalars(select(Policy).where(Policy.id.in_(policy_ids))).all() if policy_ids else []
    return result


def mark_read(user, ids=None):
    """Mark `user`'s notifications read: those in `ids`, or all when `ids` is None. Commits.

    Returns how many changed; ids of other people's notifications are ignored.
    """
    statement = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        statement = statement.where(Notification.id.in_(list(ids)))
    with transaction():
        changed = db.session.execute(statement.values(read_at=utcnow())).rowcount
    return changed


def link_for(user, notification):
    """The notification's link, or None when `user` may no longer see its content."""
    if notification.event in Event.ORGANIZATION_DECISIONS.values():
        return url_for("organizations.mine")
    if notification.event in Event.MODERATION:
        return _moderation_link(user, notification)
    if notification.event_id is not None:
        return event_url(notification.event_id)
    content = notification.content
    if content is None or not content.is_visible_to(user):
        return None
    subject = subject_of(content)
    if subject is None or not subject.is_visible_to(user):
        return None
    return content_url(content)


def _moderation_link(user, notification):
    """Moderators go to the desk's item; authors and sanctioned people to their moderation page."""
    if notification.event in Event.FOR_MODERATORS:
        if notification.content_id is None or not getattr(user, "is_moderator", False):
            return None
        return url_for("moderation.item", content_id=notification.content_id)
    return url_for("moderation.mine")


def _describe_moderation(notification, title):
    reason = getattr(notification.content, "status_reason", None) or ""
    texts = {
        Event.MODERATION_HELD: _("A new post is waiting for review (\"%(title)s\").", title=title),
        Event.MODERATION_AUTO_HIDDEN: _("Flags hid a post; it is waiting for review (\"%(title)s\").",
                                        title=title),
        Event.CONTENT_APPROVED: _("A moderator approved your post on \"%(title)s\"; it is now public.",
                                  title=title),
        Event.CONTENT_HIDDEN: _("A moderator hid your post on \"%(title)s\". Reason: %(reason)s",
                                title=title, reason=reason),
        Event.CONTENT_AUTO_HIDDEN: _("Your post on \"%(title)s\" was hidden after several flags, until a "
                                     "moderator reviews it.", title=title),
        Event.CONTENT_REMOVED: _("A moderator removed your post on \"%(title)s\". Reason: %(reason)s",
                                 title=title, reason=reason),
        Event.CONTENT_RESTORED: _("Your post on \"%(title)s\" is public again.", title=title),
        Event.CONTENT_EDITED: _("A moderator edited part of your post on \"%(title)s\" and published it.",
                                title=title),
        Event.APPEAL_DECIDED: _("Your appeal about your post on \"%(title)s\" was decided.", title=title),
        Event.SANCTIONED: _("A moderator took a measure on your account. Read why on your moderation page."),
        Event.SANCTION_LIFTED: _("A measure on your account was lifted."),
    }
    return texts[notification.event]


def external_link(notification):
    """The notification's link as a full URL, for its e-mail."""
    if notification.event_id is not None:
        return event_url(notification.event_id, external=True)
    if notification.event in Event.ORGANIZATION_DECISIONS.values():
        return url_for("organizations.mine", _external=True)
    return content_url(notification.content, external=True)


def event_url(event_id, external=False):
    """The page of an event (what event notifications link to)."""
    return url_for("events.show", event_id=event_id, _external=external)


def _describe_event(notification):
    scheduled = notification.scheduled_event
    title = scheduled.title if scheduled is not None else ""
    texts = {
        Event.EVENT_SEAT_CONFIRMED: _("A seat became free: you now have a confirmed seat at \"%(title)s\".",
                                     title=title),
        Event.EVENT_REMINDER: _("Reminder: \"%(title)s\" starts %(when)s.", title=title,
                                when=format_datetime(to_city_time(scheduled.starts_at), "short")
                                if scheduled is not None else ""),
        Event.EVENT_CANCELLED: _("The event \"%(title)s\" was cancelled.", title=title),
    }
    return texts[notification.event]


def _describe_organization(event_name):
    texts = {
        "organization_verified": _("Your organization was verified: its page is now public."),
        "organization_refused": _("Your organization request was refused. Read the reason under My organizations."),
        "organization_suspended": _("Your organization was suspended. Read the reason under My organizations."),
        "organization_reinstated": _("Your organization was reinstated: its page is public again."),
    }
    return texts[event_name]


def describe(notification):
    """The sentence shown for a notification (page and e-mail), in the current language."""
    if notification.event in Event.ORGANIZATION_DECISIONS.values():
        return _describe_organization(notification.event)
    if notification.event in Event.ABOUT_EVENTS:
        return _describe_event(notification)
    subject = subject_of(notification.content)
    title = subject.title if subject is not None else ""
    if notification.event in Event.MODERATION:
        return _describe_moderation(notification, title)
    actor = notification.actor.display_name if notification.actor and not notification.actor.is_deleted else ""
    if notification.content is not None and notification.content.organization_id is not None:
        actor = notification.content.public_author_name()  # written as an organization: never the member
    texts = {
        Event.REPLY: _("%(name)s replied to your comment on \"%(title)s\".", name=actor or _("Someone"),
                       title=title),
        Event.OFFICIAL_RESPONSE: _("An official response was given to your comment on \"%(title)s\".",
                                   title=title),
        Event.POLICY_OPENED: _("A new consultation in a topic you follow is open: \"%(title)s\".", title=title),
        Event.POLICY_CLOSING_SOON: _("The consultation \"%(title)s\" closes within 48 hours.", title=title),
        Event.POLICY_CLOSED: _("The consultation \"%(title)s\" is closed.", title=title),
        Event.POLICY_NEW_VERSION: _("A new version of \"%(title)s\" was published.", title=title),
        Event.POLICY_OUTCOME: _("The outcome of the consultation \"%(title)s\" was published.", title=title),
        Event.ASPIRATION_ASSIGNED: _("A new aspiration was forwarded to your agency: \"%(title)s\".", title=title),
        Event.ASPIRATION_STEPS["verified"]: _("The aspiration \"%(title)s\" was verified.", title=title),
        Event.ASPIRATION_STEPS["declined"]: _("The aspiration \"%(title)s\" was declined.", title=title),
        Event.ASPIRATION_STEPS["forwarded"]: _("The aspiration \"%(title)s\" was forwarded to an agency.",
                                               title=title),
        Event.ASPIRATION_STEPS["in_progress"]: _("The agency is working on the aspiration \"%(title)s\".",
                                                 title=title),
        Event.ASPIRATION_STEPS["answered"]: _("The aspiration \"%(title)s\" was answered.", title=title),
        Event.ASPIRATION_STEPS["closed"]: _("The aspiration \"%(title)s\" was closed.", title=title),
        Event.ASPIRATION_STEPS["reopened"]: _("The aspiration \"%(title)s\" was reopened.", title=title),
    }
    return texts.get(notification.event, _("Something new on \"%(title)s\".", title=title))


# -- event hooks: called inside the caller's transaction ----------------------
def _notify(user_ids, event_name, content, actor_id=None, scheduled_event=None):
    """Add one notification per user (the actor excluded); the caller commits."""
    recipients = set(user_ids) - {actor_id, None}
    if event_name in Event.ONCE and recipients and content.id is not None:
        already = db.session.scalars(
            select(Notification.user_id).where(
                Notification.event == event_name, Notification.content_id == content.id,
                Notification.user_id.in_(recipients),
            )
        )
        recipients -= set(already)
    if not recipients:
        return []
    emailed = set(db.session.scalars(
        select(User.id).where(User.id.in_(recipients), User.notify_by_email.is_(True))
    ))
    rows = [Notification(user_id=user_id, event=event_name, content=content, actor_id=actor_id,
                         scheduled_event=scheduled_event)
            for user_id in sorted(recipients)]
    db.session.add_all(rows)
    pending = db.session.info.setdefault(PENDING_MAIL_KEY, [])
    pending.extend(row for row in rows if row.user_id in emailed)
    return rows


def _followers(content):
    return db.session.scalars(select(Follow.user_id).where(Follow.content_id == content.id)).all()


def comment_posted(comment):
    """The author follows the policy; the parent comment's author hears of the reply.

    A pending (held) comment notifies nobody yet: only its author can see it.
    """
    db.session.flush()  # ids set through relationships are known from here on
    if comment.author_id is not None:
        _insert_follow(comment.author_id, comment.target_id)
    if comment.parent_id is None or comment.status != ContentStatus.PUBLISHED:
        return
    parent = db.session.get(Comment, comment.parent_id)
    if parent is None or parent.author_id is None:
        return
    event_name = Event.OFFICIAL_RESPONSE if comment.is_official_response else Event.REPLY
    _notify([parent.author_id], event_name, comment, actor_id=comment.author_id)


def policy_opened(policy):
    """Tell those who follow another policy of the same category."""
    interested = db.session.scalars(
        select(Follow.user_id).distinct()
        .join(Policy, Policy.id == Follow.content_id)
        .where(Policy.category_id == policy.category_id, Policy.id != policy.id)
    ).all()
    _notify(interested, Event.POLICY_OPENED, policy)


def policy_closing_soon(policy):
    _notify(_followers(policy), Event.POLICY_CLOSING_SOON, policy)


def policy_closed(policy):
    _notify(_followers(policy), Event.POLICY_CLOSED, policy)


def policy_new_version(policy):
    _notify(_followers(policy), Event.POLICY_NEW_VERSION, policy)


def policy_outcome_published(policy):
    _notify(_followers(policy), Event.POLICY_OUTCOME, policy)


def moderation_outcome(user_id, event_name, content=None, actor_id=None):
    """Tell one person (an author, a sanctioned account) what moderation decided."""
    return _notify([user_id], event_name, content, actor_id=actor_id)


def moderators_alerted(event_name, content):
    """Tell every active moderator and admin about an item waiting in the queue."""
    moderators = db.session.scalars(select(User.id).where(
        User.role.in_((Role.MODERATOR, Role.ADMIN)), User.state == AccountState.ACTIVE,
        User.deleted_at.is_(None),
    )).all()
    return _notify(moderators, event_name, content)


def aspiration_changed(aspiration, state, actor_id=None):
    """Tell the author and followers that an aspiration moved to `state`."""
    event_name = Event.ASPIRATION_STEPS.get(state)
    if event_name is not None:
        db.session.flush()
        _notify(set(_followers(aspiration)) | {aspiration.author_id}, event_name, aspiration, actor_id=actor_id)


def organization_decided(organization, action, actor_id=None):
    """Tell the organization's founder about a verifier's decision."""
    _notify([organization.requested_by_id], Event.ORGANIZATION_DECISIONS[action], None, actor_id=actor_id)


def aspiration_forwarded_to(aspiration, agency, actor_id=None):
    """Tell the officials of `agency` that an aspiration now waits for them."""
    officials = db.session.scalars(select(User.id).where(
        User.role == Role.OFFICIAL, User.agency_id == agency.id, User.state == AccountState.ACTIVE,
        User.deleted_at.is_(None),
    )).all()
    _notify(officials, Event.ASPIRATION_ASSIGNED, aspiration, actor_id=actor_id)


def event_notice(user_ids, event_name, scheduled_event, actor_id=None):
    """Tell people with a registration about their event (a seat, a reminder, a cancellation)."""
    return _notify(user_ids, event_name, None, actor_id=actor_id, scheduled_event=scheduled_event)
