"""Guide pages as a visitor gets them without JavaScript: list, guide, English, print leaflet, size;
the forms' help links; the "how to take part" box and closing it with a POST form."""
import gzip
import re
from pathlib import Path

import pytest

from forum.models import Guide
from forum.services import guides, surveys
from tests.factories import make_policy

STATIC = Path(__file__).resolve().parents[2] / "static"
BUDGET_BYTES = 30 * 1024


def test_index_lists_the_published_guides_in_order(client, shipped_guides, admin):
    guides.set_published(admin, shipped_guides["tugas-moderator"], False)
    page = client.get("/panduan").get_data(as_text=True)
    titles = re.findall(r'<a href="/panduan/([a-z-]+)">', page)
    assert titles == ["cara-mendaftar", "cara-berkomentar", "cara-menyampaikan-aspirasi", "cara-mengisi-survei",
                      "perlindungan-data-pribadi"]
    assert "Cara mendaftar" in page


def test_a_guide_page_has_sections_an_illustration_and_the_print_leaflet(client, shipped_guides):
    response = client.get("/panduan/cara-mendaftar")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1>Cara mendaftar</h1>' in page
    assert '<h2 id="bagian-isi-formulir">Isi formulir pendaftaran</h2>' in page
    assert re.search(r'<img class="guide-illustration" src="/static/img/guides/daftar.svg"\s+alt="[^"]{20,}"', page)
    assert '<link rel="stylesheet" href="/static/css/guide-print.css" media="print">' in page
    assert "<script>" not in page and " style=" not in page


def test_the_print_stylesheet_makes_a_one_page_leaflet_without_the_site_around_it():
    css = (STATIC / "css" / "guide-print.css").read_text()
    assert css.count("@media print") == 1 and "size: A4" in css
    hidden = css.split("display: none", 1)[0]
    for selector in (".site-header", ".site-footer", "nav", ".language-switch", ".guide-admin"):
        assert selector in hidden


def test_english_readers_get_the_english_text(client, shipped_guides):
    client.set_cookie("lang", "en")
    page = client.get("/panduan/cara-mendaftar").get_data(as_text=True)
    assert "<h1>How to register</h1>" in page and '<h2 id="bagian-isi-formulir">Fill in the registration form</h2>' in page
    assert "Isi formulir" not in page
    assert "How to register" in client.get("/panduan").get_data(as_text=True)


def test_unpublished_and_unknown_guides_are_not_found_except_for_admins(client, login, shipped_guides, admin, resident):
    guides.set_published(admin, shipped_guides["cara-mendaftar"], False)
    assert client.get("/panduan/cara-mendaftar").status_code == 404
    assert client.get("/panduan/tidak-ada").status_code == 404
    login(resident)
    assert client.get("/panduan/cara-mendaftar").status_code == 404
    login(admin)
    page = client.get("/panduan/cara-mendaftar").get_data(as_text=True)
    assert "Tidak publik" in page and f"/admin/panduan/{shipped_guides['cara-mendaftar'].id}" in page


@pytest.mark.parametrize("lang", ["id", "en"])
def test_each_guide_with_what_it_needs_is_under_30_kb_compressed(client, shipped_guides, lang):
    """Measured: gzip of the page's HTML + everything it loads (site.css, the print stylesheet, site.js,
    its illustration), each compressed on its own as a server would send it."""
    client.set_cookie("lang", lang)
    fixed = sum(len(gzip.compress((STATIC / name).read_bytes()))
                for name in ("css/site.css", "css/guide-print.css", "js/site.js"))
    for slug, guide in shipped_guides.items():
        html = client.get(f"/panduan/{slug}").get_data()
        svg = (STATIC / "img" / "guides" / f"{guide.illustration}.svg").read_bytes()
        total = len(gzip.compress(html)) + fixed + len(gzip.compress(svg))
        assert total < BUDGET_BYTES, (slug, total)
    assert len(gzip.compress(client.get("/panduan").get_data())) + fixed < BUDGET_BYTES


@pytest.mark.parametrize(("url", "link"), [
    ("/akun/daftar", "/panduan/cara-mendaftar#bagian-isi-formulir"),
    ("/aspirasi/baru", "/panduan/cara-menyampaikan-aspirasi#bagian-tulis-aspirasi"),
])
def test_forms_link_to_their_guide_section(client, login, resident, url, link):
    if url.startswith("/aspirasi"):
        login(resident)
    page = client.get(url).get_data(as_text=True)
    assert f'<p class="guide-help"><a href="{link}">' in page


def test_the_survey_answer_form_links_to_its_guide_section(client, login, resident, official):
    survey = surveys.create_survey(official, title="Survei contoh", service_name="Layanan contoh",
                                   questions=[{"type": "likert", "text": "Mudah dipakai."}], publish=True)
    login(resident)
    page = client.get(f"/survei/{survey.id}/isi").get_data(as_text=True)
    assert 'href="/panduan/cara-mengisi-survei#bagian-jawab">Bantuan: cara mengisi survei' in page


def test_the_comment_form_links_to_its_guide_section(client, login, resident, official):
    policy = make_policy(official.agency)
    login(resident)
    page = client.get(f"/konsultasi/{policy.id}").get_data(as_text=True)
    assert 'href="/panduan/cara-berkomentar#bagian-sikap">Bantuan: cara berkomentar' in page


def test_a_new_resident_sees_the_box_and_closes_it_without_javascript(make_app, app, login, resident, official, reload):
    protected = make_app(WTF_CSRF_ENABLED=True)
    client = login(resident, on=protected.test_client())
    policy = make_policy(official.agency)
    page = client.get("/").get_data(as_text=True)
    assert 'class="guide-intro"' in page and "Cara ikut serta" in page
    assert 'class="guide-intro"' in client.get(f"/konsultasi/{policy.id}").get_data(as_text=True)
    assert client.post("/panduan/tutup-bantuan", data={"next": "/"}).status_code == 400  # no CSRF token
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/panduan/tutup-bantuan", data={"next": "/", "csrf_token": token})
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert reload(resident).guide_intro_dismissed_at is not None
    assert 'class="guide-intro"' not in client.get("/").get_data(as_text=True)


def test_visitors_and_staff_do_not_get_the_box(client, login, official):
    assert 'class="guide-intro"' not in client.get("/").get_data(as_text=True)
    login(official)
    assert 'class="guide-intro"' not in client.get("/").get_data(as_text=True)


def test_closing_the_box_goes_back_only_to_this_site(client, login, resident):
    login(resident)
    response = client.post("/panduan/tutup-bantuan", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert client.post("/panduan/tutup-bantuan").headers["Location"] == "/"


def test_guides_are_not_comment_targets():
    from forum.models.comments import _target_kinds

    assert Guide not in _target_kinds()
