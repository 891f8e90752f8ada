"""Guides in the API: the published ones in order with both languages and their sections; nothing else
(unpublished ones 404, no comments, votes or flags on a guide)."""
from forum.services import guides


def test_the_published_guides_in_order_with_both_languages(client, shipped_guides, admin):
    guides.set_published(admin, shipped_guides["tugas-moderator"], False)
    answer = client.get("/api/v1/guides").get_json()
    assert answer["total"] == 5
    first = answer["items"][0]
    assert (first["kind"], first["slug"], first["title"], first["title_en"], first["url"], first["author"]) == (
        "guide", "cara-mendaftar", "Cara mendaftar", "How to register", "/panduan/cara-mendaftar", None)
    assert first["sections"][0] == {"id": "bagian-isi-formulir", "heading": "Isi formulir pendaftaran",
                                    "heading_en": "Fill in the registration form"}
    assert first["body_html"].startswith("<p>Tanpa akun") and 'id="bagian-isi-formulir"' in first["body_en_html"]


def test_one_guide_and_the_ones_nobody_may_read(client, shipped_guides, admin, bearer):
    assert client.get("/api/v1/guides/cara-mengisi-survei").get_json()["title_en"] == "How to answer a survey"
    guides.set_published(admin, shipped_guides["cara-mengisi-survei"], False)
    missing = client.get("/api/v1/guides/cara-mengisi-survei")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/guides/cara-mengisi-survei", headers=bearer(admin)).status_code == 200
    assert client.get("/api/v1/guides/tidak-ada").status_code == 404


def test_a_guide_takes_no_flags_votes_or_comments(client, shipped_guides, resident, bearer):
    guide = shipped_guides["cara-mendaftar"]
    headers = bearer(resident)
    assert client.post(f"/api/v1/content/{guide.id}/flags", json={"reason": "spam"}, headers=headers).status_code == 404
    assert client.post(f"/api/v1/content/{guide.id}/votes", json={"value": "up"}, headers=headers).status_code == 409
    assert client.post(f"/api/v1/content/{guide.id}/responses", json={"body": "Tanggapan"},
                       headers=headers).status_code == 409
    assert guide.is_public and guide.up_count == 0 and guide.flag_count == 0


def test_the_flag_page_does_not_offer_a_guide(client, login, shipped_guides, resident):
    login(resident)
    assert client.get(f"/moderasi/laporkan/{shipped_guides['cara-mendaftar'].id}").status_code == 404


def test_the_openapi_document_lists_the_guides(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/guides"] and "get" in paths["/guides/{slug}"]
