"""The search index folder deleted while the forum serves: pages answer, writes succeed, nothing is lost.

The index is derived from the database: without it, pages that read it say
search is unavailable or fall back; writes still commit; a web process
rebuilds a small index from the database at the next write (never from the
outbox alone, which `search prune` empties), and `search rebuild` restores a
large one. `search verify` must then find the index equal to the database.
"""
import logging
import shutil

import pytest

from forum import search
from forum.services import aspirations as aspiration_service
from tests.factories import make_comment, make_policy, no_post_rate  # noqa: F401  (a fixture)
from tests.site.test_error_pages import client_in


@pytest.fixture
def discussion(official, resident, moderator, no_post_rate):
    """A consultation with a comment, and a verified (public) aspiration, all indexed."""
    policy = make_policy(official.agency, title="Rancangan Perwali Pengelolaan Sampah Rumah Tangga")
    comment = make_comment(policy, resident, body="Bank sampah perlu ada di setiap kelurahan.")
    aspiration = aspiration_service.submit_aspiration(
        resident, aspiration_type="complaint", title="Drainase tersumbat di Jalan Raya Jombang",
        body="Setiap hujan air meluap ke jalan.", category="kebencanaan", district="pondok-aren.pondok-betung",
        visibility="public", location="RT 03/RW 05")
    aspiration_service.transition(moderator, aspiration, "verified")
    assert found("sampah") == {policy.id, comment.id} and found("drainase") == {aspiration.id}
    return policy, comment, aspiration


@pytest.fixture
def search_log(monkeypatch, caplog):
    """What forum.search logs (Alembic's fileConfig disabled the logger)."""
    monkeypatch.setattr(logging.getLogger("forum.search"), "disabled", False)
    caplog.set_level(logging.WARNING, logger="forum.search")
    return lambda: [record for record in caplog.records if record.name.startswith("forum.search")]


def found(q):
    results = search.search(q)
    assert results.available
    return {hit.id for hit in results.items}


def lose_the_index(app):
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    app.extensions["page_cache"].clear()  # pages rendered before are kept a while (forum/page_cache.py)


def post_comment(client, policy, body):
    response = client.post(f"/konsultasi/{policy.id}/komentar", data={"body": body, "stance": "support"})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_pages_that_read_the_index_still_answer(app, discussion, search_log):
    policy, _comment, aspiration = discussion
    lose_the_index(app)
    client = client_in(app, "en")

    page = client.get("/cari?q=sampah")
    assert page.status_code == 200 and "Search is temporarily unavailable" in page.get_data(as_text=True)
    assert client.get(f"/konsultasi/{policy.id}").status_code == 200  # without "related discussions"
    similar = client.get("/aspirasi/serupa", query_string={"title": "Drainase tersumbat"})
    assert similar.status_code == 200 and f"/aspirasi/{aspiration.id}" in similar.get_data(as_text=True)
    api = client.get("/api/v1/search?q=sampah")
    assert api.status_code == 200 and api.get_json()["items"] == []
    # A missing index is an operator's matter: one warning each, no traceback.
    assert search_log() and all(record.exc_info is None for record in search_log())


def test_writes_succeed_and_rebuild_restores_everything(app, runner, discussion, login, resident,
                                                        monkeypatch):
    policy, comment, aspiration = discussion
    monkeypatch.setattr(search.indexer, "BOOTSTRAP_MAX_DOCUMENTS", 1)  # too large to rebuild inside a request
    lose_the_index(app)

    post_comment(login(resident), policy, "Sampah organik bisa dijadikan kompos.")

    assert not search.search("kompos").available
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert found("sampah") >= {policy.id, comment.id} and len(found("kompos")) == 1
    assert found("drainase") == {aspiration.id}
    for command in (["search", "sync"], ["search", "verify"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    assert "matches the database" in result.output


def test_a_small_index_is_rebuilt_from_the_database_at_the_next_write(app, runner, discussion, login,
                                                                       resident):
    policy, comment, aspiration = discussion
    # The outbox no longer holds the old changes: replaying it alone would lose them.
    assert runner.invoke(args=["search", "prune", "--days", "0"]).exit_code == 0
    lose_the_index(app)

    post_comment(login(resident), policy, "Sampah organik bisa dijadikan kompos.")

    assert found("sampah") >= {policy.id, comment.id} and found("drainase") == {aspiration.id}
    assert len(found("kompos")) == 1
    result = runner.invoke(args=["search", "verify"])
    assert result.exit_code == 0, result.output
