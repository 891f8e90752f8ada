"""Photos: checked by content, re-encoded without EXIF/GPS, at most three of 5 MB, shown as their aspiration."""
import io
from pathlib import Path

import pytest
from PIL import Image

from forum.errors import ValidationFailed
from forum.extensions import db
from forum.models import Aspiration, AspirationPhoto
from tests.aspirations.conftest import jpeg_with_gps, upload


def test_photos_are_reencoded_without_metadata_and_resized(app, submit):
    aspiration = submit(photos=[upload(jpeg_with_gps())])
    photo = aspiration.photos[0]
    directory = Path(app.config["UPLOAD_DIR"])
    with Image.open(directory / photo.stored_name) as stored:
        assert stored.format == "JPEG" and max(stored.size) == 1600
        assert not stored.getexif()
    with Image.open(directory / photo.thumb_name) as thumb:
        assert max(thumb.size) == 320


@pytest.mark.parametrize("data", [b"%PDF-1.7 not a photo", b"", b"GIF89a" + b"\0" * 40, b"\x89PNG\r\n\x1a\n broken"])
def test_files_that_are_not_photos_are_refused(submit, data):
    with pytest.raises(ValidationFailed) as caught:
        submit(photos=[upload(data or b"x", "foto.png")])
    assert "photos" in caught.value.fields
    assert db.session.query(Aspiration).count() == 0


def test_a_gif_is_refused(submit):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    with pytest.raises(ValidationFailed):
        submit(photos=[upload(buffer.getvalue(), "foto.gif")])


def test_over_5_mb_and_over_three_are_refused(submit, app):
    with pytest.raises(ValidationFailed):
        submit(photos=[upload(b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024))])
    small = jpeg_with_gps()
    with pytest.raises(ValidationFailed):
        submit(photos=[upload(small) for _ in range(4)])
    assert db.session.query(AspirationPhoto).count() == 0
    directory = Path(app.config["UPLOAD_DIR"])
    assert not directory.exists() or not any(directory.iterdir())


def test_photo_of_a_confidential_aspiration_is_404_to_others(client, login, aspiration_in, resident, make_user):
    aspiration = aspiration_in("forwarded", visibility="confidential", photos=[upload(jpeg_with_gps())])
    url = f"/aspirasi/foto/{aspiration.photos[0].id}"
    assert client.get(url).status_code == 404
    login(make_user())
    assert client.get(url).status_code == 404
    login(resident)
    response = client.get(url + "?ukuran=kecil")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"


def test_photo_of_a_public_aspiration_is_public(client, aspiration_in):
    aspiration = aspiration_in("verified", photos=[upload(jpeg_with_gps())])
    assert client.get(f"/aspirasi/foto/{aspiration.photos[0].id}").status_code == 200
    assert client.get("/aspirasi/foto/99999999999").status_code == 404


def test_lists_show_the_small_copy_of_the_first_photo(client, aspiration_in):
    with_photos = aspiration_in("verified", title="Banjir di Pondok Aren", photos=[upload(jpeg_with_gps()),
                                                                                  upload(jpeg_with_gps())])
    aspiration_in("verified", title="Tanpa foto")
    page = client.get("/aspirasi/").get_data(as_text=True)
    assert page.count('class="list-thumb"') == 1
    assert f'src="/aspirasi/foto/{with_photos.photos[0].id}?ukuran=kecil"' in page
