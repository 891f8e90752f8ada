"""The admins' guide pages: list, create, edit with the typed text kept on errors, history, restore, publish."""
import re

import pytest

from forum.extensions import db
from forum.models import Guide


@pytest.fixture
def admin_client(make_app, app, login, admin):
    """An admin's client on an app that checks CSRF tokens, as in production."""
    return login(admin, on=make_app(WTF_CSRF_ENABLED=True).test_client())


def _token(page):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _form(client, url):
    page = client.get(url).get_data(as_text=True)
    return page, _token(page)


def test_an_admin_creates_edits_restores_and_publishes_a_guide(admin_client, guide_values, client):
    page, token = _form(admin_client, "/admin/panduan/baru")
    assert 'name="slug"' in page and 'name="body_en_source"' in page
    response = admin_client.post("/admin/panduan/baru", data={**guide_values, "csrf_token": token})
    assert response.status_code == 302
    guide = Guide.query.filter_by(slug="cara-baru").one()
    assert response.headers["Location"] == f"/admin/panduan/{guide.id}"
    assert client.get("/panduan/cara-baru").status_code == 404  # not public yet

    page, token = _form(admin_client, f"/admin/panduan/{guide.id}")
    assert 'value="Cara baru"' in page and 'name="base_revision" type="hidden" value="1"' in page
    assert 'name="slug"' not in page
    edited = {**guide_values, "title": "Cara yang diubah", "base_revision": "1", "note": "Judul", "csrf_token": token}
    assert admin_client.post(f"/admin/panduan/{guide.id}", data=edited).status_code == 302

    history = admin_client.get(f"/admin/panduan/{guide.id}/riwayat").get_data(as_text=True)
    assert "Judul" in history and "Pulihkan revisi 1" in history
    assert "Cara baru" in admin_client.get(f"/admin/panduan/{guide.id}/riwayat/1").get_data(as_text=True)
    response = admin_client.post(f"/admin/panduan/{guide.id}/riwayat/1/pulihkan", data={"csrf_token": _token(history)})
    assert response.status_code == 302
    restored = db.session.get(Guide, guide.id)
    assert (restored.title, restored.revision_count) == ("Cara baru", 3)

    listing = admin_client.get("/admin/panduan").get_data(as_text=True)
    assert "Tidak publik" in listing
    assert admin_client.post(f"/admin/panduan/{guide.id}/terbitkan",
                             data={"publish": "1", "csrf_token": _token(listing)}).status_code == 302
    assert client.get("/panduan/cara-baru").status_code == 200
    assert admin_client.post(f"/admin/panduan/{guide.id}/terbitkan",
                             data={"publish": "0", "csrf_token": _token(listing)}).status_code == 302
    assert client.get("/panduan/cara-baru").status_code == 404


def test_bad_input_keeps_the_typed_text_and_names_the_problem(admin_client, guide_values):
    _page, token = _form(admin_client, "/admin/panduan/baru")
    response = admin_client.post("/admin/panduan/baru", data={
        **guide_values, "slug": "Bukan Slug", "title_en": "", "body_source": "Teks yang <b>diketik</b> admin",
        "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Teks yang &lt;b&gt;diketik&lt;/b&gt; admin" in page and 'value="Bukan Slug"' in page
    assert 'id="title_en-error"' in page
    assert Guide.query.count() == 0
    # the service's own check (slug pattern) is named on its field too
    response = admin_client.post("/admin/panduan/baru", data={**guide_values, "slug": "Bukan Slug", "csrf_token": token})
    assert response.status_code == 422 and 'id="slug-error"' in response.get_data(as_text=True)


def test_a_missing_csrf_token_is_named_and_the_text_kept(admin_client, guide_values):
    response = admin_client.post("/admin/panduan/baru", data=guide_values)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Formulir Anda sudah kedaluwarsa" in page and "Ringkasan panduan." in page
    assert Guide.query.count() == 0


def test_a_stale_save_is_a_conflict_that_keeps_the_text(admin_client, guide_values):
    _page, token = _form(admin_client, "/admin/panduan/baru")
    admin_client.post("/admin/panduan/baru", data={**guide_values, "csrf_token": token})
    guide = Guide.query.one()
    first = {**guide_values, "title": "Versi A", "base_revision": "1", "csrf_token": token}
    assert admin_client.post(f"/admin/panduan/{guide.id}", data=first).status_code == 302
    second = {**first, "title": "Versi B dari admin lain"}
    response = admin_client.post(f"/admin/panduan/{guide.id}", data=second)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and 'value="Versi B dari admin lain"' in page
    assert Guide.query.one().title == "Versi A"
    # the re-rendered form now stands on revision 2: sending it again is a deliberate overwrite
    assert 'name="base_revision" type="hidden" value="2"' in page
    assert admin_client.post(f"/admin/panduan/{guide.id}", data={**second, "base_revision": "2"}).status_code == 302
    assert Guide.query.one().title == "Versi B dari admin lain"


def test_others_cannot_use_the_admin_pages(client, login, resident, official, moderator, guide_values):
    for user in (resident, official, moderator):
        login(user)
        assert client.get("/admin/panduan").status_code == 403
        assert client.post("/admin/panduan/baru", data=guide_values).status_code == 403
    assert Guide.query.count() == 0


def test_unknown_guides_and_revisions_are_not_found(client, login, admin):
    login(admin)
    assert client.get("/admin/panduan/999").status_code == 404
    assert client.get(f"/admin/panduan/{2**40}").status_code == 404
    assert client.post("/admin/panduan/999/terbitkan", data={"publish": "1"}).status_code == 404
