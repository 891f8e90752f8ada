"""`GET /api/v1/search`: the documented page shape, filters, and 422 only for unreadable arguments."""
import pytest

from forum.extensions import db
from forum.models import ContentStatus
from tests.factories import make_comment, make_policy


@pytest.fixture
def discussion(official, resident):
    policy = make_policy(official.agency, title="Rancangan Perwali Ruang Terbuka Hijau")
    comment = make_comment(policy, resident, body="Taman kota perlu lebih banyak pohon peneduh.")
    return policy, comment


def test_results_have_the_documented_shape(client, discussion):
    policy, comment = discussion
    body = client.get("/api/v1/search?q=hijau OR taman").get_json()
    assert set(body) == {"items", "page", "per_page", "total"}
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 2)
    by_kind = {item["kind"]: item for item in body["items"]}
    assert set(by_kind["policy"]) == {"kind", "id", "title", "excerpt_html", "url"}
    assert by_kind["policy"]["id"] == policy.id and by_kind["policy"]["url"] == f"/konsultasi/{policy.id}"
    assert by_kind["comment"]["url"] == f"/konsultasi/{policy.id}#comment-{comment.id}"
    assert "<mark>Taman</mark>" in by_kind["comment"]["excerpt_html"]


def test_filters_and_paging(client, discussion, official):
    _policy, comment = discussion
    assert [i["id"] for i in client.get("/api/v1/search?q=taman OR hijau&kind=comment").get_json()["items"]] \
        == [comment.id]
    agency = official.agency.code
    assert client.get(f"/api/v1/search?agency={agency}&status=open").get_json()["total"] == 1
    assert client.get("/api/v1/search?q=taman&category=unknown").get_json()["total"] == 0
    assert client.get("/api/v1/search?q=taman&from=2000-01-01&to=2100-01-01").get_json()["total"] == 1
    assert client.get("/api/v1/search?q=taman&to=2000-01-01").get_json()["total"] == 0
    page = client.get("/api/v1/search?q=taman&page=10000").get_json()
    assert (page["items"], page["page"]) == ([], 10000)


def test_hidden_comment_leaves_the_results(client, discussion):
    _policy, comment = discussion
    comment.status = ContentStatus.HIDDEN
    db.session.commit()
    assert client.get("/api/v1/search?q=taman").get_json()["total"] == 0


@pytest.mark.parametrize("args, field", [("from=2026-02-30", "from"), ("to=kemarin", "to"), ("page=0", "page"),
                                         ("per_page=101", "per_page")])
def test_unreadable_arguments_are_422(client, args, field):
    response = client.get(f"/api/v1/search?q=taman&{args}")
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("q", ["", "x" * 5000, '"((', "*", "yang dan", "a\x00b\x1f", "-", "%FF"])
def test_odd_queries_are_answered(client, discussion, q):
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200 and "items" in response.get_json()


def test_documented_in_openapi(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/search"]["get"]
    assert {p.get("name") for p in operation["parameters"]} >= {"q", "kind", "from", "to", "district"}
    assert "SearchHit" in spec["components"]["schemas"]
