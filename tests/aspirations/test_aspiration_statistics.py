"""The public figures: counts, medians and the share answered in time, from SQL on either database."""
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.services import aspiration_stats
from forum.timeutil import utcnow


def test_counts_medians_and_share_in_time(aspiration_in, official):
    answered = aspiration_in("answered", district="setu.babakan")
    late = aspiration_in("forwarded")
    waiting = aspiration_in("forwarded")
    aspiration_in("forwarded", visibility="confidential")
    aspiration_in("submitted")
    now = utcnow()
    answered.created_at, answered.verified_at = now - timedelta(days=4), now - timedelta(days=3)
    answered.forwarded_at, answered.first_response_at = now - timedelta(days=3), now - timedelta(days=1)
    answered.response_due_at = now + timedelta(days=2)
    late.response_due_at = now - timedelta(hours=1)  # overdue, no response
    waiting.response_due_at = now + timedelta(days=5)
    db.session.commit()
    figures = aspiration_stats.compute(utcnow())
    assert figures.total == 3
    assert dict(figures.by_state) == {"forwarded": 2, "answered": 1}
    assert {district.code: n for district, n in figures.by_kecamatan} == {"pondok-aren": 2, "setu": 1}
    [entry] = figures.agencies
    assert entry.forwarded == 3 and entry.overdue == 1
    assert (entry.answered_in_time, entry.answered_late) == (1, 1)
    assert entry.median_days_to_first_response == pytest.approx(2.0, abs=0.05)
    assert figures.share_in_time == pytest.approx(0.5)


def test_the_cached_figures_follow_every_change(aspiration_in, moderator):
    from forum.services import aspirations

    first = aspiration_stats.public_statistics()
    assert first.total == 0
    aspiration = aspiration_in("verified")
    assert aspiration_stats.public_statistics().total == 1
    aspirations.transition(moderator, aspiration, "forwarded", agency="dlh")
    assert dict(aspiration_stats.public_statistics().by_state) == {"forwarded": 1}


def test_the_desk_counts_its_agencys_confidential_aspirations_the_public_figures_do_not(
        client, login, aspiration_in, official, other_official):
    aspiration_in("forwarded", visibility="confidential", title="Pungutan di kelurahan")
    aspiration_in("forwarded")
    public_entry = next(entry for entry in aspiration_stats.public_statistics().agencies
                        if entry.agency.id == official.agency_id)
    assert public_entry.forwarded == 1
    login(official)
    desk = client.get("/dinas/aspirasi/").get_data(as_text=True)
    assert "Diteruskan ke perangkat daerah Anda</dt><dd>2</dd>" in desk
    login(other_official)
    assert "Diteruskan ke perangkat daerah Anda</dt>" not in client.get("/dinas/aspirasi/").get_data(as_text=True)
