"""A confidential aspiration appears nowhere public: lists, home page, search, statistics, API, notifications."""
import pytest
from sqlalchemy import select

from forum import search
from forum.extensions import db
from forum.models import Notification, Role
from forum.services import aspirations as service

SECRET = "Pungutan liar di kantor kelurahan Serua"


@pytest.fixture
def confidential(app, aspiration_in, official):
    search.rebuild()
    aspiration = aspiration_in("forwarded", title=SECRET, visibility="confidential", district="ciputat.serua",
                               body="Petugas meminta uang untuk surat pengantar.")
    service.transition(official, aspiration, "answered", note="Petugas sudah diperiksa inspektorat.")
    public = aspiration_in("forwarded", title="Pungutan parkir liar di pasar Ciputat", district="ciputat.ciputat")
    search.sync()
    return aspiration, public


def test_no_public_page_or_answer_shows_it(client, login, bearer_for, confidential, make_user):
    aspiration, public = confidential
    pages = ["/", "/aspirasi/", "/aspirasi/?district=ciputat", "/aspirasi/?status=answered",
             "/aspirasi/?sort=supported", "/aspirasi/statistik", "/cari?q=pungutan", "/cari?q=serua",
             f"/aspirasi/{aspiration.id}", "/aspirasi/serupa?title=Pungutan+liar+di+kantor+kelurahan+Serua",
             "/aspirasi/serupa?title=Pungutan+liar&body=surat+pengantar"]
    for viewer in (None, make_user(), make_user(Role.OFFICIAL, agency=None)):
        if viewer is not None:
            login(viewer)
        for page in pages:
            text = client.get(page).get_data(as_text=True)
            assert SECRET not in text and "inspektorat" not in text, page
    assert public.title in client.get("/aspirasi/?district=ciputat").get_data(as_text=True)
    headers = bearer_for(make_user())
    for url in ("/api/v1/aspirations", "/api/v1/aspirations?district=ciputat.serua", "/api/v1/search?q=pungutan",
                f"/api/v1/aspirations/{aspiration.id}"):
        for kwargs in ({}, {"headers": headers}):
            text = client.get(url, **kwargs).get_data(as_text=True)
            assert SECRET not in text, url


def test_search_index_never_holds_it(confidential):
    aspiration, public = confidential
    found = [hit.id for hit in search.search("pungutan").items]
    assert public.id in found and aspiration.id not in found
    assert aspiration.id not in [hit.id for hit in search.related(SECRET, kind="aspiration")]


def test_only_its_own_people_are_notified(confidential, resident, make_user):
    aspiration, _public = confidential
    recipients = set(db.session.scalars(select(Notification.user_id).where(Notification.content_id == aspiration.id)))
    assert recipients <= {resident.id} | {user.id for user in aspiration.agency.officials}
