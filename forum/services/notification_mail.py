"""Notification e-mails, sent once the transaction that created them has committed.

`forum.services.notifications` remembers the notifications meant for people
who asked for e-mail in `session.info`; the `after_commit` listener here
mails them through forum/mail.py in a session of its own, and a rollback
forgets them. A mail server failure is logged and leaves `emailed_at` empty:
it never breaks the request that caused it. Imported by `create_app`.
"""
import logging
import smtplib

from flask import current_app, render_template, url_for
from flask_babel import force_locale, gettext as _
from sqlalchemy import event, inspect as orm_inspect, select
from sqlalchemy.orm import Session, joinedload

from forum.extensions import db
from forum.mail import send_mail
from forum.models import Notification, User
from forum.services.notifications import PENDING_MAIL_KEY, describe, external_link
from forum.timeutil import utcnow

logger = logging.getLogger(__name__)


@event.listens_for(Session, "after_commit")
def _mail_after_commit(session):
    if session.in_nested_transaction():  # a savepoint: the unit has not committed yet
        return
    pending = session.info.pop(PENDING_MAIL_KEY, None)
    if not pending:
        return
    ids = [key[0] for key in (orm_inspect(row).identity for row in pending) if key]
    if ids:
        send_pending_mail(ids)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session):
    if not session.in_nested_transaction():
        session.info.pop(PENDING_MAIL_KEY, None)


def send_pending_mail(notification_ids):
    """Mail the given notifications to opted-in recipients, in a session of its own.

    The committed transaction may not be touched any more, hence the new
    session. Each sent mail sets `emailed_at`; a failure is logged and skipped.
    """
    with Session(db.engine) as session:
        rows = session.scalars(
            select(Notification)
            .join(User, User.id == Notification.user_id)
            .where(Notification.id.in_(notification_ids), Notification.emailed_at.is_(None),
                   User.notify_by_email.is_(True), User.deleted_at.is_(None),
                   User.email_verified_at.is_not(None))
            .options(joinedload(Notification.content), joinedload(Notification.actor),
                     joinedload(Notification.scheduled_event))
        ).all()
        for row in rows:
            if _mail_one(session, row):
                row.emailed_at = utcnow()
        session.commit()


def _mail_one(session, notification):
    user = session.get(User, notification.user_id)
    try:
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            body = render_template(
                "mail/notification.txt", user=user, text=describe(notification),
                link=external_link(notification),
                settings_link=url_for("notifications.index", _external=True),
            )
            subject = _("Musyawarah: %(text)s", text=describe(notification))
        send_mail(user.email, subject, body)
    except (OSError, smtplib.SMTPException, RuntimeError, ValueError):
        # RuntimeError: outside a request no external URL can be built;
        # ValueError: a header the mail library refuses.
        logger.exception("could not mail notification %s to user %s", notification.id, user.id)
        return False
    return True
