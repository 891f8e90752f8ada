"""The reference lists under /api/v1: shape, counts, stable codes, filters, pages."""
import pytest

from forum.models import Agency, Category


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def test_districts_list_all_61_in_one_default_page(client):
    page = _get(client, "/api/v1/districts")
    assert set(page) == {"items", "page", "per_page", "total"}
    assert (page["page"], page["per_page"], page["total"]) == (1, 100, 61)
    assert len(page["items"]) == 61
    assert all(set(item) == {"code", "name", "level", "parent_code"} for item in page["items"])
    levels = [item["level"] for item in page["items"]]
    assert levels.count("kecamatan") == 7
    assert levels.count("kelurahan") == 54


def test_district_codes_are_stable_and_name_their_kecamatan(client):
    items = {item["code"]: item for item in _get(client, "/api/v1/districts")["items"]}
    assert items["pondok-aren"] == {
        "code": "pondok-aren", "name": "Pondok Aren", "level": "kecamatan", "parent_code": None,
    }
    assert items["pondok-aren.pondok-betung"] == {
        "code": "pondok-aren.pondok-betung", "name": "Pondok Betung", "level": "kelurahan",
        "parent_code": "pondok-aren",
    }
    for item in items.values():
        if item["level"] == "kelurahan":
            assert item["code"].startswith(item["parent_code"] + ".")
            assert items[item["parent_code"]]["level"] == "kecamatan"


def test_each_kecamatan_is_followed_by_its_kelurahan(client):
    items = _get(client, "/api/v1/districts")["items"]
    current = None
    for item in items:
        if item["level"] == "kecamatan":
            current = item["code"]
        else:
            assert item["parent_code"] == current


def test_districts_filter_by_level_and_parent(client):
    kecamatan = _get(client, "/api/v1/districts?level=kecamatan")
    assert kecamatan["total"] == 7
    assert {item["code"] for item in kecamatan["items"]} == {
        "ciputat", "ciputat-timur", "pamulang", "pondok-aren", "serpong", "serpong-utara", "setu",
    }
    assert _get(client, "/api/v1/districts?level=kelurahan")["total"] == 54
    pondok_aren = _get(client, "/api/v1/districts?parent=pondok-aren")
    assert pondok_aren["total"] == 11
    assert all(item["parent_code"] == "pondok-aren" for item in pondok_aren["items"])
    both = _get(client, "/api/v1/districts?parent=setu&level=kelurahan")
    assert both["total"] == 6


@pytest.mark.parametrize(
    "query, field",
    [
        ("level=desa", "level"),
        ("parent=bogor", "parent"),
        ("parent=pondok-aren%00", "parent"),
        ("parent=" + "x" * 5000, "parent"),
    ],
)
def test_unknown_district_filters_are_422_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/districts?{query}")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == [field]


def test_categories_give_indonesian_and_english_names(client, app):
    page = _get(client, "/api/v1/categories")
    assert page["total"] == Category.query.count() == len(page["items"])
    first = page["items"][0]
    assert first == {"code": "infrastruktur", "name": "Infrastruktur dan jalan", "name_en": "Infrastructure and roads"}
    assert [item["code"] for item in page["items"]] == [
        category.code for category in Category.query.order_by(Category.position)
    ]


def test_agencies_list_with_codes_and_both_names(client, app):
    page = _get(client, "/api/v1/agencies")
    assert page["total"] == Agency.query.count() == len(page["items"]) == 17
    by_code = {item["code"]: item for item in page["items"]}
    assert by_code["diskominfo"] == {
        "code": "diskominfo",
        "short_name": "Diskominfo",
        "name": "Dinas Komunikasi dan Informatika",
        "name_en": "Department of Communication and Informatics",
    }
    codes = [item["code"] for item in page["items"]]
    assert codes == sorted(codes)


def test_reference_lists_need_no_account_and_set_no_cookie(client):
    response = client.get("/api/v1/agencies")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Authorization" in response.headers.get("Vary", "")
