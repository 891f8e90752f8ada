"""The home page kept for visitors: every change of what it shows is on the very next request, nothing per viewer is kept.

The home page lists open consultations (title, agency, days left) and the
newest public aspirations (title, kelurahan and kecamatan). Each test reads
it once, so it is kept, changes one of those things the way the application
does (a service, or a plain ORM change as moderation code might make), and
reads it again. What a real server with two worker processes shows is in
tests/caching/test_page_cache_workers.py.
"""
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from forum.consultations import routes as consultation_routes
from forum.extensions import db
from forum.main import routes as main_routes
from forum.models import Agency, Aspiration, ContentStatus, District, Policy, PolicyPhase, Visibility
from forum.services import aspirations as aspiration_service
from forum.services import policies as policy_service
from forum.timeutil import utcnow
from tests.factories import make_policy, no_post_rate  # noqa: F401  (no_post_rate: a fixture)

pytestmark = pytest.mark.usefixtures("no_post_rate", "english")


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")


@pytest.fixture
def raise_aspiration(resident, moderator):
    """A public aspiration of the resident in `kelurahan`, verified by the moderator (`verified=False`: not yet)."""

    def create(title, kelurahan="pondok-aren.pondok-betung", verified=True):
        aspiration = aspiration_service.submit_aspiration(
            resident, aspiration_type="complaint", title=title, body="Setiap hujan air meluap ke jalan.",
            category="kebencanaan", district=kelurahan, visibility=Visibility.PUBLIC, location="RT 03/RW 05")
        if verified:
            aspiration_service.transition(moderator, aspiration, "verified")
        return aspiration

    return create


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def kept_keys(app):
    return list(app.extensions["page_cache"]._entries)


def _queries(client):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get("/")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    return len(statements)


def test_a_visitor_gets_the_home_page_from_the_cache_after_one_query(client, agency, raise_aspiration):
    for number in range(5):
        make_policy(agency)
        raise_aspiration(f"Lampu jalan mati di gang {number}")
    first = _queries(client)
    assert _queries(client) == 1 < first  # the revisions (and whether a phase is due), no rows


def test_consultations_published_edited_closed_and_removed_show_at_once(client, agency, official):
    draft = make_policy(agency, phase=PolicyPhase.DRAFT, title="Rancangan Perwali Pasar")
    assert "Rancangan Perwali Pasar" not in home(client)
    policy_service.publish_policy(official, draft)
    assert "Rancangan Perwali Pasar" in home(client)
    db.session.get(Policy, draft.id).title = "Rancangan Perwali Pasar Rakyat"
    db.session.commit()
    assert "Rancangan Perwali Pasar Rakyat" in home(client)
    policy_service.close_policy(official, db.session.get(Policy, draft.id))
    assert "Rancangan Perwali Pasar" not in home(client)
    removed = make_policy(agency, title="Rancangan Perwali Reklame")
    assert "Rancangan Perwali Reklame" in home(client)
    db.session.get(Policy, removed.id).status = ContentStatus.REMOVED
    db.session.commit()
    assert "Rancangan Perwali Reklame" not in home(client)


def test_closing_on_time_shows_at_once(client, agency):
    policy = make_policy(agency, title="Rancangan Perwali Parkir")
    assert "Rancangan Perwali Parkir" in home(client)
    # A clock moving past closes_at, as an UPDATE the session never sees: reading the key closes it.
    db.session.execute(update(Policy.__table__).where(Policy.__table__.c.id == policy.id)
                       .values(closes_at=utcnow() - timedelta(minutes=1), opens_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    assert "Rancangan Perwali Parkir" not in home(client)
    assert db.session.get(Policy, policy.id).phase == PolicyPhase.CLOSED


def test_the_home_page_follows_the_clock(client, agency, monkeypatch):
    """Opening and the days left change with no write: the kept page is keyed by the minute."""
    now = utcnow()
    make_policy(agency, title="Rancangan Perwali Taman", opens_at=now + timedelta(hours=1),
                closes_at=now + timedelta(days=10, hours=1))
    assert "Rancangan Perwali Taman" not in home(client)

    def move_clock(moment):
        for module in (consultation_routes, main_routes, policy_service):
            monkeypatch.setattr(module, "utcnow", lambda: moment)

    move_clock(now + timedelta(hours=2))
    text = home(client)
    assert "Rancangan Perwali Taman" in text and "Open: 9 days left" in text
    move_clock(now + timedelta(days=3, hours=2))
    assert "Open: 6 days left" in home(client)


def test_aspirations_verified_edited_and_withdrawn_from_view_show_at_once(client, raise_aspiration, moderator):
    assert "No aspirations yet." in home(client)
    aspiration = raise_aspiration("Drainase tersumbat di Jalan Raya Jombang", verified=False)
    assert "Drainase tersumbat" not in home(client)  # not public before it is verified
    aspiration_service.transition(moderator, aspiration, "verified")
    assert "Drainase tersumbat di Jalan Raya Jombang" in home(client)
    db.session.get(Aspiration, aspiration.id).title = "Drainase tersumbat di Jalan Jombang Raya"
    db.session.commit()
    assert "Drainase tersumbat di Jalan Jombang Raya" in home(client)
    db.session.get(Aspiration, aspiration.id).visibility = Visibility.CONFIDENTIAL
    db.session.commit()
    assert "Drainase tersumbat" not in home(client)
    hidden = raise_aspiration("Pohon tumbang di Jalan Ceger")
    assert "Pohon tumbang di Jalan Ceger" in home(client)
    db.session.get(Aspiration, hidden.id).status = ContentStatus.HIDDEN
    db.session.commit()
    assert "Pohon tumbang di Jalan Ceger" not in home(client)


def test_agency_and_district_names_show_at_once(client, agency, raise_aspiration):
    make_policy(agency)
    raise_aspiration("Sampah menumpuk di pasar")
    kelurahan = District.query.filter_by(code="pondok-aren.pondok-betung").one()
    names = agency.short_name, kelurahan.name, kelurahan.parent.name
    text = home(client)
    assert f"· {names[0]} ·" in text and f"{names[1]}, {names[2]}" in text
    try:
        agency.short_name = "KOMINFO BARU"
        db.session.commit()
        assert "· KOMINFO BARU ·" in home(client)
        kelurahan.name = "Pondok Betung Baru"
        db.session.commit()
        assert f"Pondok Betung Baru, {names[2]}" in home(client)
        kelurahan.parent.name = "Pondok Aren Raya"
        db.session.commit()
        assert "Pondok Betung Baru, Pondok Aren Raya" in home(client)
    finally:  # reference tables are shared by every test: put them back
        db.session.rollback()
        db.session.get(Agency, agency.id).short_name = names[0]
        kelurahan = db.session.get(District, kelurahan.id)
        kelurahan.name, kelurahan.parent.name = names[1], names[2]
        db.session.commit()


def test_each_language_has_its_own_kept_home_page(client):
    assert "<h2 id=\"open-consultations\">Open consultations</h2>" in home(client)
    client.set_cookie("lang", "id")
    text = home(client)
    assert '<html lang="id">' in text and "Open consultations" not in text
    client.set_cookie("lang", "en")
    assert "<h2 id=\"open-consultations\">Open consultations</h2>" in home(client)


def test_a_signed_in_user_never_gets_the_visitors_home_page(app, client, resident, login):
    text = home(client)
    assert "Log in" in text and "Create an account" in text
    stored = kept_keys(app)
    assert stored  # the visitor's page is kept
    login(resident)
    text = home(client)
    assert "Log out" in text and "Log in" not in text and "Create an account" not in text
    assert kept_keys(app) == stored  # nothing kept for them
    client.delete_cookie("session")
    assert "Log in" in home(client)


def test_a_flashed_message_is_shown_and_never_kept(app, client):
    home(client)
    stored = kept_keys(app)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Anda telah keluar.")]
    assert "Anda telah keluar." in home(client)
    assert kept_keys(app) == stored
    assert "Anda telah keluar." not in home(client)  # shown once; the kept page again
