"""Account state and the pre-moderation switches."""
from datetime import datetime, timedelta, timezone

import pytest

from forum.models import AccountState, Role
from forum.timeutil import utcnow
from moderation.filters import HOLD, PUBLISH, REJECT
from moderation.screen import ScreenContext, screen
from moderation.services import set_premoderation


def english(app, verdict):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        return [str(message) for message in verdict.author_messages()]


@pytest.mark.parametrize("state, message", [
    (AccountState.SILENCED, "Your account is silenced until 02-01-2027 07:30 WIB: you can read but not post."),
    (AccountState.SUSPENDED, "Your account is suspended until 02-01-2027 07:30 WIB, so you cannot post."),
])
def test_silenced_and_suspended_accounts_are_told_until_when_in_city_time(app, make_user, comment, state, message):
    until = datetime(2027, 1, 2, 0, 30, tzinfo=timezone.utc)  # 07:30 in Jakarta
    author = make_user(Role.RESIDENT, state=state, state_until=until, state_reason="spam")
    verdict = screen("Halo semua", author, comment)
    assert verdict.rejected and verdict.reasons[0].code == f"account.{state}"
    assert verdict.reasons[0].detail == "spam"
    assert english(app, verdict) == [message]


def test_indefinite_silence_and_ban(app, make_user, comment):
    silenced = make_user(Role.RESIDENT, state=AccountState.SILENCED)
    assert english(app, screen("Halo", silenced, comment)) == [
        "Your account is silenced until further notice: you can read but not post."]
    banned = make_user(Role.RESIDENT, state=AccountState.BANNED)
    assert english(app, screen("Halo", banned, comment)) == ["Your account has been banned, so you cannot post."]


def test_an_expired_silence_no_longer_applies(app, make_user, comment):
    author = make_user(Role.RESIDENT, state=AccountState.SILENCED, state_until=utcnow() - timedelta(minutes=1),
                       created_at=utcnow() - timedelta(days=30))
    assert screen("Halo", author, comment).action == PUBLISH


def test_deleted_accounts_cannot_post(app, make_user, comment):
    author = make_user(Role.RESIDENT, deleted_at=utcnow())
    assert screen("Halo", author, comment).reasons[0].code == "account.deleted"


def test_officials_are_held_to_their_account_state_too(app, make_user, comment):
    official = make_user(Role.OFFICIAL, state=AccountState.SUSPENDED)
    assert screen("Tanggapan resmi", official, comment).rejected


def test_switches_start_off(app, make_user, comment):
    newcomer = make_user(Role.RESIDENT)
    assert screen("Halo", newcomer, comment).action == PUBLISH


def test_hold_accounts_in_their_first_day(app, admin, make_user, veteran, comment):
    set_premoderation(admin, hold_new_accounts=True)
    newcomer = make_user(Role.RESIDENT, created_at=utcnow() - timedelta(hours=23))
    verdict = screen("Halo", newcomer, comment)
    assert verdict.action == HOLD and verdict.reasons[0].code == "premod.new_account"
    assert screen("Halo", veteran, comment).action == PUBLISH


def test_hold_everything_site_wide(app, admin, veteran, comment):
    set_premoderation(admin, hold_all=True)
    assert screen("Halo", veteran, comment).reasons[0].code == "premod.site"
    set_premoderation(admin, hold_all=False)
    assert screen("Halo lagi", veteran, comment).action == PUBLISH


def test_hold_everything_on_chosen_consultations(app, admin, veteran, official):
    set_premoderation(admin, hold_policy_ids=["7", 9])
    held = screen("Saya setuju", veteran, ScreenContext("comment", policy_id=7))
    assert held.action == HOLD and held.reasons[0].code == "premod.policy"
    assert screen("Saya setuju", veteran, ScreenContext("comment", policy_id=8)).action == PUBLISH
    assert screen("Tanggapan dinas", official, ScreenContext("comment", policy_id=9)).action == PUBLISH


def test_a_rejection_outranks_a_hold(app, admin, make_user, comment):
    set_premoderation(admin, hold_all=True)
    author = make_user(Role.RESIDENT, state=AccountState.SILENCED)
    verdict = screen("Halo", author, comment)
    assert verdict.action == REJECT
    assert {r.action for r in verdict.reasons} == {REJECT, HOLD}
