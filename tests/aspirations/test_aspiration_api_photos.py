"""Photos through the API: a multipart new aspiration, photos added by the author, and their errors."""
import io
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from PIL import Image

from forum.extensions import db
from forum.models import Aspiration, AspirationPhoto
from tests.aspirations.conftest import jpeg_with_gps

API = "/api/v1"
FIELDS = {"kind": "complaint", "title": "Lampu jalan mati di Jalan Pajajaran",
          "body": "Sudah dua minggu gelap setiap malam.", "category": "kebencanaan",
          "district": "pamulang.pamulang-barat", "visibility": "public"}


def files(*contents, name="foto.jpg"):
    return [(io.BytesIO(data), name) for data in contents]


def post_form(client, url, headers, fields=None, photos=()):
    return client.post(url, data={**(fields or {}), "photos": list(photos)}, headers=headers,
                       content_type="multipart/form-data")


def error_fields(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["error"].get("fields", {})


def stored_files(app):
    directory = Path(app.config["UPLOAD_DIR"])
    return sorted(directory.iterdir()) if directory.exists() else []


@pytest.fixture
def author(resident, bearer_for, no_post_rate):
    """The resident's token; the resident reads English, so messages can be matched."""
    resident.locale = "en"
    db.session.commit()
    return bearer_for(resident)


def test_multipart_create_stores_photos_without_exif(app, client, author):
    original = jpeg_with_gps()
    assert b"KameraPonsel" in original and Image.open(io.BytesIO(original)).getexif()
    created = post_form(client, f"{API}/aspirations", author, FIELDS, files(original))
    assert created.status_code == 201, created.get_data(as_text=True)
    data = created.get_json()
    assert data["status"] == "submitted" and data["aspiration_kind"] == "complaint" and data["notices"] == []
    assert len(data["photos"]) == 1 and data["photos"][0]["thumbnail_url"].endswith("ukuran=kecil")
    photo = db.session.query(AspirationPhoto).one()
    assert photo.aspiration_id == data["id"]
    raw = (Path(app.config["UPLOAD_DIR"]) / photo.stored_name).read_bytes()
    assert b"KameraPonsel" not in raw
    with Image.open(io.BytesIO(raw)) as stored:
        assert stored.format == "JPEG" and max(stored.size) == 1600 and not stored.getexif()


@pytest.mark.parametrize("photos, problem", [
    (files(b"%PDF-1.7 not a photo", name="foto.jpg"), "not a photo"),
    (files(b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024)), "5 MB"),
    (files(*[jpeg_with_gps()] * 4), "at most 3 photos"),
])
def test_refused_photos_store_nothing(app, client, author, photos, problem):
    fields = error_fields(post_form(client, f"{API}/aspirations", author, FIELDS, photos), 422)
    assert problem in fields["photos"]
    assert db.session.query(Aspiration).count() == 0 and db.session.query(AspirationPhoto).count() == 0
    assert stored_files(app) == []


def test_multipart_fields_are_checked_like_json(client, author):
    fields = error_fields(post_form(client, f"{API}/aspirations", author, {**FIELDS, "district": "nowhere\x00",
                                                                           "kind": ""}), 422)
    assert {"district", "kind"} <= set(fields)
    assert db.session.query(Aspiration).count() == 0


def test_json_create_still_works(client, author):
    created = client.post(f"{API}/aspirations", json=FIELDS, headers=author)
    assert created.status_code == 201 and created.get_json()["photos"] == []
    assert client.post(f"{API}/aspirations", data="kind=complaint", headers=author,
                       content_type="application/x-www-form-urlencoded").status_code == 415


def test_the_author_adds_photos_until_there_are_three(app, client, author, submit):
    aspiration = submit()
    url = f"{API}/aspirations/{aspiration.id}/photos"
    added = post_form(client, url, author, photos=files(jpeg_with_gps()))
    assert added.status_code == 201, added.get_data(as_text=True)
    assert added.get_json()["status"] == "submitted" and len(added.get_json()["photos"]) == 1
    assert "photos" in error_fields(post_form(client, url, author, photos=files(*[jpeg_with_gps()] * 3)), 422)
    assert "photos" in error_fields(post_form(client, url, author, photos=files(b"GIF89a", name="a.gif")), 422)
    assert "photos" in error_fields(post_form(client, url, author), 422)
    assert len(stored_files(app)) == 2  # the first photo and its small copy
    assert len(post_form(client, url, author, photos=files(*[jpeg_with_gps()] * 2)).get_json()["photos"]) == 3
    assert [photo.position for photo in aspiration.photos] == [1, 2, 3]
    full = post_form(client, url, author, photos=files(jpeg_with_gps()))
    assert full.status_code == 409 and full.get_json()["error"]["code"] == "photos_full"
    assert client.post(url, json={"photos": []}, headers=author).status_code == 415


def test_only_the_author_may_add_photos(client, bearer_for, submit, aspiration_in, make_user, moderator):
    stranger = bearer_for(make_user())
    waiting = submit()
    assert post_form(client, f"{API}/aspirations/{waiting.id}/photos", stranger,
                     photos=files(jpeg_with_gps())).status_code == 404
    assert post_form(client, f"{API}/aspirations/{waiting.id}/photos", bearer_for(moderator),
                     photos=files(jpeg_with_gps())).status_code == 403
    confidential = submit(visibility="confidential")
    assert post_form(client, f"{API}/aspirations/{confidential.id}/photos", stranger,
                     photos=files(jpeg_with_gps())).status_code == 404
    verified = aspiration_in("verified")
    assert post_form(client, f"{API}/aspirations/{verified.id}/photos", stranger,
                     photos=files(jpeg_with_gps())).status_code == 403
    assert post_form(client, f"{API}/aspirations/{verified.id}/photos", {},
                     photos=files(jpeg_with_gps())).status_code == 401
    assert db.session.query(AspirationPhoto).count() == 0


def test_no_photos_after_verification(client, author, aspiration_in):
    aspiration = aspiration_in("verified")
    refused = post_form(client, f"{API}/aspirations/{aspiration.id}/photos", author, photos=files(jpeg_with_gps()))
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "wrong_state"
    assert db.session.query(AspirationPhoto).count() == 0


def test_photo_operations_are_documented(client, author, submit):
    document = client.get(f"{API}/openapi.json").get_json()
    create = document["paths"]["/aspirations"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} == set(create)
    assert "photos" in create["multipart/form-data"]["schema"]["properties"]
    assert "photos" not in create["application/json"]["schema"]["properties"]
    adding = document["paths"]["/aspirations/{aspiration_id}/photos"]["post"]
    assert set(adding["requestBody"]["content"]) == {"multipart/form-data"}
    assert {"201", "403", "404", "409", "415", "422"} <= set(adding["responses"])
    answer = post_form(client, f"{API}/aspirations/{submit().id}/photos", author, photos=files(jpeg_with_gps()))
    validator = Draft202012Validator({"$ref": "#/components/schemas/Aspiration", "components": document["components"]})
    validator.validate(answer.get_json())
