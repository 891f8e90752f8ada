"""`?page=&per_page=` on API lists: bounds, strict numbers, pages past the end."""
import pytest


@pytest.mark.parametrize(
    "query, field",
    [
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("per_page=-1", "per_page"),
        ("per_page=abc", "per_page"),
        ("per_page=", "per_page"),
        ("per_page=%2B5", "per_page"),       # "+5"
        ("per_page=%205", "per_page"),       # " 5"
        ("per_page=%D9%A5", "per_page"),     # Arabic-Indic digit five
        ("per_page=5.0", "per_page"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=%00", "page"),
        ("page=99999999999999999999999", "page"),
    ],
)
def test_invalid_page_arguments_are_422_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/districts?{query}")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {field}


def test_both_invalid_arguments_are_named_together(client):
    response = client.get("/api/v1/categories?page=x&per_page=1000")
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"page", "per_page"}


def test_limits_at_the_edges_are_accepted(client):
    assert client.get("/api/v1/districts?per_page=1").get_json()["per_page"] == 1
    page = client.get("/api/v1/districts?per_page=100").get_json()
    assert (page["per_page"], len(page["items"])) == (100, 61)


def test_pages_split_the_list_without_gaps_or_repeats(client):
    codes = []
    for number in range(1, 8):
        page = client.get(f"/api/v1/districts?per_page=10&page={number}").get_json()
        assert (page["page"], page["per_page"], page["total"]) == (number, 10, 61)
        codes += [item["code"] for item in page["items"]]
    assert len(page["items"]) == 1
    all_codes = [item["code"] for item in client.get("/api/v1/districts").get_json()["items"]]
    assert codes == all_codes
    assert len(set(codes)) == 61


def test_a_page_past_the_end_is_empty_but_keeps_the_total(client):
    response = client.get("/api/v1/districts?page=2")
    assert response.status_code == 200
    assert response.get_json() == {"items": [], "page": 2, "per_page": 100, "total": 61}
    far = client.get("/api/v1/agencies?page=1000000&per_page=100").get_json()
    assert far["items"] == [] and far["total"] == 17


def test_max_per_page_follows_config(make_app, app):
    small = make_app(API_MAX_PER_PAGE=5)
    client = small.test_client()
    assert client.get("/api/v1/districts?per_page=6").status_code == 422
    assert client.get("/api/v1/districts?per_page=5").status_code == 200
