"""Rate and repetition, judged from real, back-dated `Content` rows."""
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import Content, ContentStatus, Role
from forum.timeutil import to_city_time, utcnow
from moderation.filters import HOLD, PUBLISH, REJECT
from moderation.screen import ScreenContext, screen


@pytest.fixture
def newcomer(make_user):
    """Three days old: the stricter new-account limits apply, the link rule does not."""
    return make_user(Role.RESIDENT, created_at=utcnow() - timedelta(days=3))


def posted(author, ago, body="komentar lama", status=ContentStatus.PUBLISHED):
    row = Content(kind="content", author=author, body_source=body, status=status, created_at=utcnow() - ago)
    db.session.add(row)
    db.session.commit()
    return row


def codes(verdict):
    return sorted(reason.code for reason in verdict.reasons)


def english(app, verdict):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        return [str(message) for message in verdict.author_messages()]


def test_new_accounts_wait_ten_seconds_between_posts(app, newcomer, comment):
    posted(newcomer, timedelta(seconds=4))
    verdict = screen("Komentar baru", newcomer, comment)
    assert verdict.action == REJECT and codes(verdict) == ["rate.interval"]
    # 4 seconds ago when posted; a slow machine may take a second more to get here.
    assert english(app, verdict)[0] in {
        f"You are posting too quickly. Please wait {seconds} seconds and try again." for seconds in (5, 6)}
    assert english(app, verdict)[0] == (
        f"You are posting too quickly. Please wait {verdict.retry_after} seconds and try again.")


def test_after_the_interval_a_new_account_may_post(app, newcomer, comment):
    posted(newcomer, timedelta(seconds=11))
    assert screen("Komentar baru", newcomer, comment).action == PUBLISH


def test_established_accounts_wait_three_seconds(app, veteran, comment):
    posted(veteran, timedelta(seconds=4))
    assert screen("Komentar baru", veteran, comment).action == PUBLISH
    posted(veteran, timedelta(seconds=1), body="yang lain")
    assert codes(screen("Komentar baru", veteran, comment)) == ["rate.interval"]


def test_new_accounts_may_post_thirty_times_a_day(app, newcomer, comment):
    for n in range(29):
        posted(newcomer, timedelta(hours=23, minutes=n), body=f"komentar {n}")
    assert screen("Komentar ke-30", newcomer, comment).action == PUBLISH
    first = posted(newcomer, timedelta(hours=23, minutes=50), body="yang pertama hari ini")
    verdict = screen("Komentar ke-31", newcomer, comment)
    assert codes(verdict) == ["rate.daily"]
    retry = to_city_time(first.created_at + timedelta(days=1))
    assert english(app, verdict) == [
        f"You have reached the limit of 30 posts a day. You can post again after {retry:%d-%m-%Y %H:%M} WIB."
    ]
    # Ten minutes from when the first post was back-dated; a slow machine may take a few seconds more.
    assert 590 <= verdict.retry_after <= 600


def test_above_the_daily_cap_the_wait_runs_until_enough_posts_leave_the_day(app, newcomer, comment):
    """31 posts against a cap of 30 (say, written while the cap was higher): two must leave the 24 hours."""
    posted(newcomer, timedelta(hours=23, minutes=50), body="yang pertama")
    second = posted(newcomer, timedelta(hours=23, minutes=40), body="yang kedua")
    for n in range(29):
        posted(newcomer, timedelta(hours=20, minutes=n), body=f"komentar {n}")
    verdict = screen("Komentar ke-32", newcomer, comment)
    assert codes(verdict) == ["rate.daily"]
    retry = to_city_time(second.created_at + timedelta(days=1))
    assert f"after {retry:%d-%m-%Y %H:%M} WIB" in english(app, verdict)[0]
    assert 1190 <= verdict.retry_after <= 1200


def test_a_refusal_that_waiting_does_not_lift_has_no_retry_after(app, newcomer, comment):
    posted(newcomer, timedelta(seconds=2), body="Lampu jalan mati")
    verdict = screen("Lampu jalan mati", newcomer, comment)
    assert codes(verdict) == ["rate.interval", "repeat.self"]
    assert verdict.retry_after is None
    assert screen("Komentar lain", newcomer, comment).retry_after in range(1, 11)
    assert screen("Komentar lain", newcomer, ScreenContext("comment", target_id=1, is_edit=True)).retry_after is None


def test_older_posts_do_not_count_toward_the_day(app, newcomer, comment):
    for n in range(30):
        posted(newcomer, timedelta(hours=25, minutes=n), body=f"komentar {n}")
    assert screen("Komentar hari ini", newcomer, comment).action == PUBLISH


def test_established_accounts_may_post_two_hundred_times_a_day(app, veteran, comment):
    db.session.add_all(
        Content(author=veteran, body_source=f"komentar {n}", created_at=utcnow() - timedelta(minutes=5 + n))
        for n in range(200)
    )
    db.session.commit()
    assert codes(screen("Satu lagi", veteran, comment)) == ["rate.daily"]


def test_same_text_from_the_same_account_within_ten_minutes_is_rejected(app, veteran, comment):
    posted(veteran, timedelta(minutes=9), body="Lampu jalan  MATI di gang kami")
    verdict = screen("lampu jalan mati di gang kami", veteran, comment)
    assert codes(verdict) == ["repeat.self"]
    posted(veteran, timedelta(minutes=11), body="Sampah menumpuk")
    assert screen("Sampah menumpuk", veteran, comment).action == PUBLISH


def test_the_same_text_is_compared_after_masking(app, veteran, comment):
    """What is stored is the masked text; a repeat masks the same way and is caught."""
    first = screen("Hubungi 081234567890 soal banjir", veteran, comment)
    posted(veteran, timedelta(minutes=2), body=first.text)
    assert codes(screen("Hubungi 081234567890 soal banjir", veteran, comment)) == ["personal.phone", "repeat.self"]


def test_same_text_from_three_accounts_within_an_hour_is_held(app, make_user, veteran, comment):
    text = "Tolak pembangunan pasar di lahan hijau!"
    others = [make_user(Role.RESIDENT, created_at=utcnow() - timedelta(days=30)) for _ in range(2)]
    posted(others[0], timedelta(minutes=50), body=text)
    assert screen(text, veteran, comment).action == PUBLISH
    posted(others[1], timedelta(minutes=20), body=text.upper())
    verdict = screen(text, veteran, comment)
    assert verdict.action == HOLD and codes(verdict) == ["repeat.coordinated"]


def test_coordination_older_than_an_hour_does_not_count(app, make_user, veteran, comment):
    text = "Tolak pembangunan pasar di lahan hijau!"
    for _ in range(3):
        posted(make_user(Role.RESIDENT), timedelta(minutes=61), body=text)
    assert screen(text, veteran, comment).action == PUBLISH


def test_edits_and_staff_are_not_rate_limited(app, veteran, official, comment):
    posted(veteran, timedelta(seconds=1), body="Teks yang sama")
    assert screen("Teks yang sama", veteran, ScreenContext("comment", target_id=1, is_edit=True)).action == PUBLISH
    posted(official, timedelta(seconds=1), body="Terima kasih, aduan Anda kami proses.")
    assert screen("Terima kasih, aduan Anda kami proses.", official, comment).action == PUBLISH


def test_content_pending_in_the_callers_session_is_not_counted(app, veteran, comment):
    """The screen never flushes what the calling service has added but not saved."""
    db.session.add(Content(author=veteran, body_source="Teks baru"))
    assert screen("Teks baru", veteran, comment).action == PUBLISH
    db.session.rollback()
