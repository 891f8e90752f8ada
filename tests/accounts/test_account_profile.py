"""Profile page, profile editing, access without login, and the author name helper."""
import re

from flask import render_template_string

from forum.models import District, Role
from forum.timeutil import utcnow


def test_profile_requires_login(client):
    for path in ("/profil/", "/profil/ubah", "/profil/sandi", "/profil/email", "/profil/token", "/profil/hapus"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/akun/masuk" in response.headers["Location"]
    assert client.post("/profil/unduh-data").status_code == 302
    assert client.post("/profil/token/1/cabut").status_code == 302


def test_profile_shows_account_data(client, login, resident):
    login(resident)
    client.set_cookie("lang", "en")
    page = client.get("/profil/").get_data(as_text=True)
    assert resident.display_name in page
    assert resident.email in page
    assert "Pondok Betung" in page and "Pondok Aren" in page
    assert "Resident" in page
    assert "verified" in page
    assert "version test" in page
    for action in ("ubah", "sandi", "email", "token", "hapus", "unduh-data"):
        assert f'"/profil/{action}"' in page


def test_profile_shows_agency_of_official_and_unverified_state(client, login, make_user):
    official = make_user(Role.OFFICIAL, email_verified_at=None)
    login(official)
    client.set_cookie("lang", "en")
    page = client.get("/profil/").get_data(as_text=True)
    assert "Official" in page
    assert official.agency.name_en in page
    assert "not verified yet" in page


def test_edit_profile_saves_name_kelurahan_and_language(client, login, resident, reload):
    login(resident)
    form = client.get("/profil/ubah").get_data(as_text=True)
    assert '<optgroup label="Pondok Aren">' in form
    assert re.search(r'<option selected value="pondok-aren.pondok-betung">', form)
    response = client.post(
        "/profil/ubah",
        data={"display_name": "  Siti Baru ", "district": "serpong.lengkong-gudang", "locale": "en"},
    )
    assert response.status_code == 302
    user = reload(resident)
    assert user.display_name == "Siti Baru"
    assert user.district.code == "serpong.lengkong-gudang"
    assert user.locale == "en"
    assert '<html lang="en">' in client.get("/profil/").get_data(as_text=True)


def _post_profile(client, **fields):
    data = {"display_name": "Nama", "district": "pondok-aren.pondok-betung", "locale": "id"}
    data.update(fields)
    return client.post("/profil/ubah", data=data)


def test_edit_profile_refuses_overlong_name_and_keeps_input(client, login, resident, reload):
    login(resident)
    old_name = resident.display_name
    response = _post_profile(client, display_name="x" * 81 + "Marker")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "x" * 81 + "Marker" in page
    assert 'id="display_name-error"' in page
    assert reload(resident).display_name == old_name


def test_edit_profile_refuses_unknown_kelurahan(client, login, resident, reload):
    login(resident)
    response = _post_profile(client, display_name="Nama Tetap", district="nowhere.atlantis")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="district-error"' in page
    assert 'value="Nama Tetap"' in page
    assert reload(resident).district.code == "pondok-aren.pondok-betung"


def test_edit_profile_kecamatan_is_not_a_kelurahan(client, login, resident):
    login(resident)
    assert District.query.filter_by(code="serpong").one().level == District.KECAMATAN
    assert _post_profile(client, district="serpong").status_code == 422


def test_edit_profile_resident_needs_a_kelurahan(client, login, resident, reload):
    login(resident)
    assert _post_profile(client, district="").status_code == 422
    assert reload(resident).district is not None


def test_edit_profile_official_may_have_no_kelurahan(client, login, official, reload):
    login(official)
    assert '<option selected value="">' in client.get("/profil/ubah").get_data(as_text=True)
    assert _post_profile(client, district="").status_code == 302
    user = reload(official)
    assert user.district is None and user.display_name == "Nama"


def test_edit_profile_unknown_language_refused(client, login, resident, reload):
    login(resident)
    response = _post_profile(client, locale="xx")
    assert response.status_code == 422
    assert 'id="locale-error"' in response.get_data(as_text=True)
    assert reload(resident).locale is None


def test_edit_profile_nul_byte_and_bad_utf8_never_500(client, login, resident, reload):
    login(resident)
    response = _post_profile(client, display_name="Bu\x00di")
    assert response.status_code == 302
    assert reload(resident).display_name == "Budi"
    response = client.post(
        "/profil/ubah",
        data=b"display_name=%FF%FEabc&district=pondok-aren.pondok-betung&locale=id",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500
    assert "\ufffd" not in reload(resident).display_name
    assert _post_profile(client, display_name="Nama", district="a\x00b").status_code == 422


def test_author_name_global(app, make_user):
    user = make_user()
    template = "{{ author_name(user) }}|{{ author_name(None) }}"
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert render_template_string(template, user=user) == f"{user.display_name}|"
        user.deleted_at = utcnow()
        assert render_template_string(template, user=user) == "Deleted account|"
