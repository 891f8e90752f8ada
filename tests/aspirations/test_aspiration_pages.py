"""The aspiration pages through the test client: list and filters, the two-step form, the page and its writes."""
import io

from PIL import Image
from sqlalchemy import select

from forum.extensions import db
from forum.models import Aspiration, AspirationPhoto, Comment
from forum.page_cache import CSRF_SLOT


def png_bytes(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


FORM = {"kind": "complaint", "title": "Jalan berlubang di Pamulang Permai", "body": "Lubang besar di depan sekolah.",
        "category": "infrastruktur", "district": "pamulang.pamulang-barat", "location": "Jl. Pamulang Permai",
        "visibility": "public"}


def test_two_step_form_shows_similar_then_sends(client, login, resident, aspiration_in, no_post_rate):
    existing = aspiration_in("verified", title="Jalan berlubang di Pamulang Permai dekat sekolah")
    login(resident)
    step1 = client.post("/aspirasi/baru", data={**FORM, "step": "check"})
    assert step1.status_code == 200
    page = step1.get_data(as_text=True)
    assert f"/aspirasi/{existing.id}" in page  # the title match (no search index in this test)
    assert 'name="photos"' in page
    assert db.session.scalar(select(Aspiration.id).where(Aspiration.id != existing.id)) is None
    sent = client.post("/aspirasi/baru", data={**FORM, "step": "send",
                                                "photos": [(io.BytesIO(png_bytes()), "jalan.png")]},
                       content_type="multipart/form-data")
    assert sent.status_code == 302
    created = db.session.scalars(select(Aspiration).where(Aspiration.id != existing.id)).one()
    assert created.title == FORM["title"] and len(created.photos) == 1
    shown = client.get(sent.headers["Location"])
    assert shown.status_code == 200 and FORM["title"] in shown.get_data(as_text=True)


def test_form_errors_keep_the_text(client, login, resident):
    login(resident)
    response = client.post("/aspirasi/baru", data={**FORM, "category": "nope", "district": "x"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert FORM["body"] in page
    assert "Pilih topik dari daftar." in page and "Pilih kelurahan di Tangerang Selatan dari daftar." in page
    assert db.session.scalar(select(Aspiration.id)) is None


def test_a_bad_photo_is_refused_and_nothing_saved(client, login, resident):
    login(resident)
    response = client.post("/aspirasi/baru", data={**FORM, "step": "send",
                                                    "photos": [(io.BytesIO(b"%PDF-1.4 not an image"), "x.jpg")]},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert db.session.scalar(select(Aspiration.id)) is None
    assert db.session.scalar(select(AspirationPhoto.id)) is None


def test_list_filters_and_marks(client, aspiration_in):
    shown = aspiration_in("forwarded", title="Sampah tidak diangkut di Setu", district="setu.babakan",
                          category="lingkungan")
    hidden = aspiration_in("forwarded", title="Rahasia: pungutan liar di kelurahan", visibility="confidential")
    unverified = aspiration_in("submitted", title="Belum diverifikasi sama sekali")
    page = client.get("/aspirasi/").get_data(as_text=True)
    assert shown.title in page and hidden.title not in page and unverified.title not in page
    assert shown.title in client.get("/aspirasi/?district=setu&status=forwarded&agency=diskominfo").get_data(as_text=True)
    assert shown.title not in client.get("/aspirasi/?district=pamulang").get_data(as_text=True)
    for sort in ("newest", "supported", "unanswered", "bogus"):
        assert client.get(f"/aspirasi/?sort={sort}&category=lingkungan").status_code == 200
    assert client.get("/aspirasi/?status=nonsense&district=%00&page=-1").status_code == 200


def test_page_flow_moderator_official_author(client, login, aspiration_in, resident, moderator, official, make_user):
    aspiration = aspiration_in("submitted")
    login(moderator)
    assert client.post(f"/aspirasi/{aspiration.id}/status", data={"to": "verified"}).status_code == 302
    bad = client.post(f"/aspirasi/{aspiration.id}/status", data={"to": "forwarded", "agency": "nope"})
    assert bad.status_code == 422
    assert client.post(f"/aspirasi/{aspiration.id}/status",
                       data={"to": "forwarded", "agency": "diskominfo"}).status_code == 302
    login(official)
    desk = client.get("/dinas/aspirasi/").get_data(as_text=True)
    assert aspiration.title in desk
    assert client.post(f"/aspirasi/{aspiration.id}/catatan", data={"body": "Cek lokasi besok."}).status_code == 302
    answered = client.post(f"/aspirasi/{aspiration.id}/komentar", data={"body": "Sudah kami perbaiki."})
    assert answered.status_code == 302
    db.session.expire_all()
    assert aspiration.state == "answered"
    login(make_user())
    page = client.get(f"/aspirasi/{aspiration.id}").get_data(as_text=True)
    assert "Cek lokasi besok." not in page and "Sudah kami perbaiki." in page
    login(resident)
    page = client.get(f"/aspirasi/{aspiration.id}").get_data(as_text=True)
    assert "Cek lokasi besok." not in page
    assert client.post(f"/aspirasi/{aspiration.id}/status", data={"to": "closed"}).status_code == 302
    db.session.expire_all()
    assert aspiration.state == "closed"


def test_confidential_page_is_404_for_others(client, login, aspiration_in, make_user, other_official):
    aspiration = aspiration_in("forwarded", visibility="confidential")
    assert client.get(f"/aspirasi/{aspiration.id}").status_code == 404
    login(make_user())
    assert client.get(f"/aspirasi/{aspiration.id}").status_code == 404
    assert client.post(f"/aspirasi/{aspiration.id}/dukung").status_code == 404
    login(other_official)
    assert client.get(f"/aspirasi/{aspiration.id}").status_code == 404


def test_support_twice_is_refused_with_a_message(client, login, aspiration_in, make_user):
    aspiration = aspiration_in("verified")
    login(make_user())
    assert client.post(f"/aspirasi/{aspiration.id}/dukung").status_code == 302
    second = client.post(f"/aspirasi/{aspiration.id}/dukung")
    assert second.status_code == 409
    db.session.expire_all()
    assert aspiration.up_count == 1


def test_comments_by_residents(client, login, aspiration_in, make_user, no_post_rate):
    aspiration = aspiration_in("verified")
    login(make_user())
    assert client.post(f"/aspirasi/{aspiration.id}/komentar", data={"body": "Saya juga mengalami."}).status_code == 302
    empty = client.post(f"/aspirasi/{aspiration.id}/komentar", data={"body": ""})
    assert empty.status_code == 422
    comment = db.session.scalars(select(Comment).where(Comment.target_id == aspiration.id)).one()
    assert comment.stance is None and not comment.is_official_response


def test_statistics_page_has_charts_and_tables(client, aspiration_in):
    aspiration_in("answered")
    aspiration_in("forwarded", district="setu.babakan")
    aspiration_in("forwarded", visibility="confidential", district="ciputat.cipayung")
    page = client.get("/aspirasi/statistik").get_data(as_text=True)
    assert "<svg" in page and "<table" in page
    assert "Setu" in page and "Pondok Aren" in page
    assert "Ciputat" not in page.split("by-kecamatan")[1].split("</section>")[0]


def test_visitors_kept_pages_change_with_the_aspirations(aspiration_in, make_user, moderator, app):
    """Lists, figures and the page are kept for visitors, and a support or a step shows at once."""
    from forum.extensions import db as database
    from forum.services import aspirations

    aspiration = aspiration_in("verified")
    visitor = app.test_client()
    assert "0 pendukung" in visitor.get(f"/aspirasi/{aspiration.id}").get_data(as_text=True)
    first_list = visitor.get("/aspirasi/?status=forwarded").get_data(as_text=True)
    assert aspiration.title not in first_list
    visitor.get("/aspirasi/statistik")
    aspirations.support(make_user(), aspiration)
    aspirations.transition(moderator, aspiration, "forwarded", agency="dlh")
    database.session.expire_all()
    page = visitor.get(f"/aspirasi/{aspiration.id}").get_data(as_text=True)
    assert "1 pendukung" in page
    assert aspiration.title in visitor.get("/aspirasi/?status=forwarded").get_data(as_text=True)
    assert "Dinas Lingkungan Hidup" in visitor.get("/aspirasi/statistik").get_data(as_text=True)
    form_page = visitor.get("/aspirasi/").get_data(as_text=True)
    assert CSRF_SLOT not in form_page


def test_page_lists_related_discussions(client, aspiration_in):
    flood = aspiration_in("verified", title="Banjir di perumahan Pondok Aren setiap hujan deras",
                          body="Saluran air tersumbat, banjir masuk rumah warga.")
    related = aspiration_in("verified", title="Drainase tersumbat menyebabkan banjir di Pondok Aren",
                            body="Banjir karena saluran air tidak pernah dikeruk.")
    unrelated = aspiration_in("verified", title="Layanan KTP elektronik lambat",
                              body="Antrean perekaman e-KTP di kecamatan sangat panjang.")
    hidden = aspiration_in("submitted", title="Banjir lagi di Pondok Aren", body="Banjir setinggi lutut.")
    page = client.get(f"/aspirasi/{flood.id}").get_data(as_text=True)
    related_part = page[page.index('id="related-title"'):]
    assert f"/aspirasi/{related.id}" in related_part
    assert f"/aspirasi/{unrelated.id}" not in related_part
    assert f"/aspirasi/{hidden.id}" not in related_part  # not verified yet: not public
