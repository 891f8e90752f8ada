"""The author's account and the pre-moderation switches.

Silenced, suspended and banned accounts may not post: the author is told
until when (city time). The switches in the settings table hold every post
from accounts in their first day, every post on chosen consultations, or
every post on the site (an emergency). The switches concern residents;
officials, moderators and admins post as they are.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from forum.models import AccountState
from moderation.filters import HOLD, REJECT, Reason, city_time_text

FIRST_DAY = timedelta(days=1)


def _state_message(state, until):
    if state == AccountState.BANNED:
        return _l("Your account has been banned, so you cannot post.")
    if state == AccountState.SUSPENDED:
        if until is None:
            return _l("Your account is suspended until further notice, so you cannot post.")
        return _l("Your account is suspended until %(until)s, so you cannot post.", until=city_time_text(until))
    if until is None:
        return _l("Your account is silenced until further notice: you can read but not post.")
    return _l("Your account is silenced until %(until)s: you can read but not post.", until=city_time_text(until))


def account_state(submission):
    """Reject posts from deleted, silenced, suspended and banned accounts."""
    author = submission.author
    if author.is_deleted:
        yield Reason(REJECT, "account.deleted", _l("This account has been deleted."))
        return
    state, until = author.state, author.state_until
    if state == AccountState.ACTIVE or (state != AccountState.BANNED and until is not None and until <= submission.now):
        return
    yield Reason(
        REJECT, f"account.{state}", _state_message(state, until),
        detail=author.state_reason, rule=state,
    )


def premoderation(submission):
    """Hold what the switches in the settings table say to hold."""
    if not submission.is_resident:
        return
    settings, context = submission.settings, submission.context
    if settings.hold_all:
        yield Reason(
            HOLD, "premod.site",
            _l("For now, every post is checked by a moderator before it appears."),
            rule="hold_all",
        )
    if context.policy_id is not None and context.policy_id in settings.hold_policy_ids:
        yield Reason(
            HOLD, "premod.policy",
            _l("Posts on this consultation are checked by a moderator before they appear."),
            rule="hold_policy_ids",
        )
    if settings.hold_new_accounts and submission.account_age < FIRST_DAY:
        yield Reason(
            HOLD, "premod.new_account",
            _l("Posts from accounts in their first day are checked by a moderator before they appear."),
            rule="hold_new_accounts",
        )
