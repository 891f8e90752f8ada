"""The notification service: follows, event hooks, unread counts, e-mail after commit."""
import smtplib

import pytest

from forum.errors import NotFound
from forum.extensions import db
from forum.models import Category, Follow, Notification, PolicyPhase, Role
from forum.services import notification_mail, notifications as service
from forum.services.content import visible_content
from forum.services.notifications import Event
from tests.factories import make_comment, make_policy


def _category(code):
    return Category.query.filter_by(code=code).one()


def _events(user):
    return [(row.event, row.content_id) for row in Notification.query.filter_by(user_id=user.id).order_by("id")]


def test_follow_is_idempotent_and_unfollow_removes_it(resident, official):
    policy = make_policy(official.agency, author=official)
    service.follow(resident, policy)
    service.follow(resident, policy)
    assert Follow.query.filter_by(user_id=resident.id).count() == 1
    assert service.is_following(resident, policy)
    service.unfollow(resident, policy)
    assert not service.is_following(resident, policy)
    assert not service.is_following(None, policy)


def test_comment_auto_follows_and_a_reply_notifies_the_parent_author(resident, make_user, official):
    policy = make_policy(official.agency, author=official)
    replier = make_user(Role.RESIDENT)
    root = make_comment(policy, resident)
    service.comment_posted(root)
    db.session.commit()
    reply = make_comment(policy, replier, parent=root)
    service.comment_posted(reply)
    db.session.commit()
    assert service.is_following(resident, policy) and service.is_following(replier, policy)
    assert _events(resident) == [(Event.REPLY, reply.id)]
    assert _events(replier) == []  # nobody is told about their own comment
    assert service.unread_count(resident) == 1


def test_a_reply_to_oneself_or_a_pending_reply_notifies_nobody(resident, make_user, official):
    policy = make_policy(official.agency, author=official)
    root = make_comment(policy, resident)
    service.comment_posted(root)
    own = make_comment(policy, resident, parent=root)
    service.comment_posted(own)
    held = make_comment(policy, make_user(Role.RESIDENT), parent=root, status="pending")
    service.comment_posted(held)
    db.session.commit()
    assert Notification.query.count() == 0


def test_official_response_is_its_own_event(resident, official):
    policy = make_policy(official.agency, author=official)
    root = make_comment(policy, resident)
    db.session.commit()
    response = make_comment(policy, official, parent=root, official=True)
    service.comment_posted(response)
    db.session.commit()
    assert _events(resident) == [(Event.OFFICIAL_RESPONSE, response.id)]


def test_hooks_add_nothing_when_the_caller_rolls_back(resident, official):
    policy = make_policy(official.agency, author=official)
    service.follow(resident, policy)
    service.policy_closed(policy)
    db.session.rollback()
    assert Notification.query.count() == 0


def test_policy_events_reach_followers_once(resident, make_user, official):
    policy = make_policy(official.agency, author=official)
    service.follow(resident, policy)
    bystander = make_user(Role.RESIDENT)
    for hook in (service.policy_closing_soon, service.policy_closing_soon, service.policy_closed,
                 service.policy_new_version, service.policy_new_version, service.policy_outcome_published):
        hook(policy)
        db.session.commit()
    assert [event for event, _id in _events(resident)] == [
        Event.POLICY_CLOSING_SOON, Event.POLICY_CLOSED, Event.POLICY_NEW_VERSION, Event.POLICY_NEW_VERSION,
        Event.POLICY_OUTCOME,
    ]
    assert _events(bystander) == []


def test_policy_opened_reaches_followers_of_the_same_category(resident, make_user, official):
    earlier = make_policy(official.agency, author=official, category=_category("kesehatan"))
    other_category = make_policy(official.agency, author=official, category=_category("infrastruktur"))
    service.follow(resident, earlier)
    elsewhere = make_user(Role.RESIDENT)
    service.follow(elsewhere, other_category)
    new = make_policy(official.agency, author=official, category=_category("kesehatan"), title="Rancangan Perwali Puskesmas")
    service.policy_opened(new)
    db.session.commit()
    assert _events(resident) == [(Event.POLICY_OPENED, new.id)]
    assert _events(elsewhere) == []


def test_mark_read_one_or_all_and_only_ones_own(resident, make_user, official):
    policy = make_policy(official.agency, author=official)
    other = make_user(Role.RESIDENT)
    for user in (resident, other):
        service.follow(user, policy)
    service.policy_new_version(policy)
    service.policy_closed(policy)
    db.session.commit()
    mine = [row.id for row in Notification.query.filter_by(user_id=resident.id)]
    theirs = [row.id for row in Notification.query.filter_by(user_id=other.id)]
    assert service.mark_read(resident, [mine[0], theirs[0]]) == 1
    assert service.unread_count(resident) == 1 and service.unread_count(other) == 2
    assert service.mark_read(resident) == 1
    assert service.unread_count(resident) == 0


def test_visible_content_hides_drafts_and_unknown_ids(resident, official):
    draft = make_policy(official.agency, author=official, phase=PolicyPhase.DRAFT)
    with pytest.raises(NotFound):
        visible_content(resident, draft.id)
    with pytest.raises(NotFound):
        visible_content(resident, 10**12)
    assert visible_content(official, draft.id) == draft


def test_mail_goes_after_commit_to_opted_in_verified_users_only(app, make_user, official, outbox):
    policy = make_policy(official.agency, author=official)
    wants_mail = make_user(Role.RESIDENT, notify_by_email=True)
    no_mail = make_user(Role.RESIDENT)
    unverified = make_user(Role.RESIDENT, notify_by_email=True, email_verified_at=None)
    for user in (wants_mail, no_mail, unverified):
        service.follow(user, policy)
    with app.test_request_context():
        service.policy_closed(policy)
        assert outbox() == []  # nothing before the commit
        db.session.commit()
    mails = outbox()
    assert [mail["To"] for mail in mails] == [wants_mail.email]
    body = mails[0].get_content()
    assert policy.title in body and f"/konsultasi/{policy.id}" in body and "http://" in body
    sent = Notification.query.filter_by(user_id=wants_mail.id).one()
    assert sent.emailed_at is not None
    assert Notification.query.filter_by(user_id=no_mail.id).one().emailed_at is None


def test_no_mail_when_the_transaction_rolls_back(app, make_user, official, outbox):
    policy = make_policy(official.agency, author=official)
    user = make_user(Role.RESIDENT, notify_by_email=True)
    service.follow(user, policy)
    with app.test_request_context():
        service.policy_closed(policy)
        db.session.rollback()
        db.session.commit()
    assert outbox() == []


def test_a_mail_server_failure_is_logged_not_raised(app, make_user, official, monkeypatch, caplog):
    policy = make_policy(official.agency, author=official)
    user = make_user(Role.RESIDENT, notify_by_email=True)
    service.follow(user, policy)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(notification_mail, "send_mail", refuse)
    with app.test_request_context():
        service.policy_closed(policy)
        db.session.commit()
    row = Notification.query.filter_by(user_id=user.id).one()
    assert row.emailed_at is None
    assert "could not mail notification" in caplog.text


def test_a_savepoint_neither_sends_nor_loses_the_units_mail(app, make_user, official, outbox):
    """SQLAlchemy runs commit hooks for a savepoint too: the mail goes out once the unit itself commits."""
    policy = make_policy(official.agency, author=official)
    user = make_user(Role.RESIDENT, notify_by_email=True)
    service.follow(user, policy)
    with app.test_request_context():
        service.policy_closed(policy)
        with db.session.begin_nested():
            pass
        assert outbox() == []
        db.session.commit()
    assert len(outbox()) == 1
