"""Guides in search: found in both languages with their /panduan URL, kept in step when edited or
unpublished, labelled on the search page; `flask init` loads them and `search verify` stays clean."""
from forum import search
from forum.models import Guide
from forum.services import guides


def _hits(q, **filters):
    results = search.search(q, per_page=100, **filters)
    assert results.available
    return results.items


def test_a_published_guide_is_found_with_its_url(shipped_guides):
    guide = shipped_guides["cara-mendaftar"]
    hits = [hit for hit in _hits("kata sandi", kind="guide")]
    assert guide.id in [hit.id for hit in hits]
    [hit] = [hit for hit in hits if hit.id == guide.id]
    assert (hit.kind, hit.url, hit.title, hit.author) == ("guide", "/panduan/cara-mendaftar", "Cara mendaftar", None)
    # the English text and the section headings are indexed too
    assert guide.id in [hit.id for hit in _hits("password")]
    assert guide.id in [hit.id for hit in _hits("konfirmasi e-mail")]


def test_edits_and_unpublishing_reach_the_index(shipped_guides, admin):
    guide = shipped_guides["tugas-moderator"]
    values = {name: getattr(guide, name) for name in Guide.TEXT_FIELDS}
    guides.update_guide(admin, guide, {**values, "body_source": guide.body_source + "\n\nKata unik gemawicara.",
                                       "position": guide.position, "base_revision": str(guide.revision_count)})
    assert [hit.id for hit in _hits("gemawicara")] == [guide.id]
    guides.set_published(admin, guide, False)
    assert _hits("gemawicara") == []


def test_the_search_page_shows_a_guide_labelled_and_linked(client, shipped_guides):
    page = client.get("/cari?q=ubah+jawaban&kind=guide").get_data(as_text=True)
    assert '<a href="/panduan/cara-mengisi-survei">' in page
    assert '<option value="guide" selected>Panduan</option>' in page
    assert '<p class="search-kind">Panduan' in page


def test_init_loads_the_guides_and_the_index_verifies(app, runner):
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0 and "6 default guides added" in result.output
    assert len(guides.published_guides()) == 6
    assert runner.invoke(args=["init"]).output.count("0 default guides added") == 1
    search.sync()
    verify = runner.invoke(args=["search", "verify"])
    assert verify.exit_code == 0, verify.output
