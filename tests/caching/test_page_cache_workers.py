"""Pages kept for visitors, through gunicorn with two worker processes: after a write, every worker serves the new page.

Each worker keeps its own copies (forum/page_cache.py); only the revisions
in the database tell a worker that its copy is old. So each test reads a
kept page often enough for both workers to keep it, writes (through the API,
so one worker writes and the other must notice, or as a commit in the test,
as the command line or another process would), then reads it ten times, a
few requests at a time so that both workers answer: every answer must show
the change, and none may set a cookie.
"""
import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from forum.extensions import db
from forum.models import Aspiration, PolicyPhase, Visibility
from forum.services import aspirations as aspiration_service
from forum.services import tokens
from tests.factories import make_policy, no_post_rate  # noqa: F401  (no_post_rate: a fixture)

READS = 10


def read_all(url, times=READS):
    """`url` read `times` times by a visitor, four requests at a time; the pages."""
    request = urllib.request.Request(url, headers={"Cookie": "lang=en"})

    def read(_):
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200 and response.headers.get("Set-Cookie") is None
            return response.read().decode()

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(read, range(times)))


def api(url, user, body, method="POST"):
    """A JSON write through the API with a new bearer token of `user`."""
    _row, raw = tokens.create_token(user, user, "page cache test")
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method, headers={
        "Authorization": f"Bearer {raw}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201)


def submitted_aspiration(author, title):
    return aspiration_service.submit_aspiration(
        author, aspiration_type="complaint", title=title, body="Setiap hujan air meluap ke jalan.",
        category="kebencanaan", district="pondok-aren.pondok-betung", visibility=Visibility.PUBLIC)


@pytest.mark.usefixtures("no_post_rate")
def test_every_worker_serves_the_new_home_page(real_server, agency, official, moderator, resident):
    draft = make_policy(agency, phase=PolicyPhase.DRAFT, title="Rancangan Perwali Pasar Rakyat")
    aspiration = submitted_aspiration(resident, "Drainase tersumbat di Jalan Raya Jombang")
    assert not any("Rancangan Perwali Pasar Rakyat" in page for page in read_all(real_server("/")))
    api(real_server(f"/api/v1/policies/{draft.id}/publish"), official, {})
    assert all("Rancangan Perwali Pasar Rakyat" in page for page in read_all(real_server("/")))
    assert not any("Drainase tersumbat" in page for page in read_all(real_server("/")))
    api(real_server(f"/api/v1/aspirations/{aspiration.id}/transitions"), moderator, {"to": "verified"})
    assert all("Drainase tersumbat di Jalan Raya Jombang" in page for page in read_all(real_server("/")))


def test_every_worker_serves_the_new_consultation_list(real_server, agency, resident):
    policy = make_policy(agency, title="Rancangan Perwali Parkir")
    assert all("0 support, 0 oppose" in page for page in read_all(real_server("/konsultasi/")))
    api(real_server(f"/api/v1/policies/{policy.id}/vote"), resident, {"value": "support"}, method="PUT")
    assert all("1 support, 0 oppose" in page for page in read_all(real_server("/konsultasi/")))


@pytest.mark.usefixtures("no_post_rate")
def test_every_worker_serves_the_new_aspiration_list(real_server, resident, moderator):
    aspiration = submitted_aspiration(resident, "Lampu jalan mati di Jalan Ceger")
    aspiration_service.transition(moderator, aspiration, "verified")
    assert all("Lampu jalan mati di Jalan Ceger" in page for page in read_all(real_server("/aspirasi/")))
    db.session.get(Aspiration, aspiration.id).title = "Lampu jalan mati di Jalan Ceger Raya"
    db.session.commit()  # as a command or another process would: no worker took part
    assert all("Lampu jalan mati di Jalan Ceger Raya" in page for page in read_all(real_server("/aspirasi/")))
