"""The guides service: every save is a revision, restore, publishing, sanitizing, the defaults, the box."""
import pytest

from forum.errors import Conflict, Forbidden, NotFound, ValidationFailed
from forum.models import Guide
from forum.services import guides
from forum.text import guide_sections, render_guide
from moderation.transparency import monthly_figures
from tests.factories import make_comment, make_policy


def test_create_keeps_a_first_revision_and_stays_unpublished(admin, guide_values):
    guide = guides.create_guide(admin, guide_values)
    assert guide.published_at is None and not guide.is_public
    assert guide.author_id is None  # written by the city; the editor is on the revision
    [first] = guide.revisions
    assert (first.number, first.editor_id, first.note, first.title) == (1, admin.id, "Pertama", "Cara baru")
    assert guide.body_html == '<h2 id="bagian-langkah">Langkah pertama</h2>\n<p>Isi langkah.</p>'
    assert guide.body_en_html.startswith('<h2 id="bagian-langkah">First step</h2>')
    with pytest.raises(NotFound):
        guides.guide_by_slug("cara-baru", None)
    assert guides.guide_by_slug("cara-baru", admin) == guide


def test_every_save_is_a_revision_and_restore_adds_one(admin, make_user, guide_values):
    guide = guides.create_guide(admin, guide_values)
    other_admin = make_user("admin")
    guides.update_guide(other_admin, guide, {**guide_values, "title": "Judul kedua", "base_revision": "1"})
    assert (guide.title, guide.revision_count) == ("Judul kedua", 2)
    assert [rev.editor_id for rev in guide.revisions] == [admin.id, other_admin.id]
    guides.restore_revision(admin, guide, 1)
    assert (guide.title, guide.revision_count) == ("Cara baru", 3)
    restored = guide.revisions[-1]
    assert (restored.restored_from, restored.editor_id, restored.title) == (1, admin.id, "Cara baru")
    assert [rev.title for rev in guide.revisions] == ["Cara baru", "Judul kedua", "Cara baru"]
    with pytest.raises(NotFound):
        guides.restore_revision(admin, guide, 9)


def test_a_save_over_someone_elses_is_refused(admin, guide_values):
    guide = guides.create_guide(admin, guide_values)
    guides.update_guide(admin, guide, {**guide_values, "title": "Kedua", "base_revision": "1"})
    with pytest.raises(Conflict):
        guides.update_guide(admin, guide, {**guide_values, "title": "Ketiga", "base_revision": "1"})
    assert (guide.title, guide.revision_count) == ("Kedua", 2)


def test_bad_values_are_named_and_nothing_is_written(admin, guide_values):
    with pytest.raises(ValidationFailed) as refused:
        guides.create_guide(admin, {**guide_values, "slug": "Bukan Slug!", "title_en": "", "illustration": "x",
                                    "position": "banyak", "body_source": "a" * (guides.BODY_MAX + 1)})
    assert set(refused.value.fields) == {"slug", "title_en", "illustration", "position", "body_source"}
    guides.create_guide(admin, guide_values)
    with pytest.raises(ValidationFailed) as taken:
        guides.create_guide(admin, guide_values)
    assert set(taken.value.fields) == {"slug"}
    assert Guide.query.count() == 1


def test_only_admins_edit(resident, official, moderator, guide_values):
    for user in (resident, official, moderator, None):
        with pytest.raises(Forbidden):
            guides.create_guide(user, guide_values)


def test_publish_and_unpublish(admin, guide_values):
    guide = guides.create_guide(admin, guide_values)
    guides.set_published(admin, guide, True)
    assert guides.guide_by_slug("cara-baru", None) == guide
    assert guides.published_guides() == [guide]
    guides.set_published(admin, guide, False)
    assert guides.published_guides() == []


def test_guide_headings_become_sections_and_raw_html_stays_text():
    html = render_guide('## Awas {#awas}\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) '
                        '![gambar](https://example.org/a.png)\n\n# <b onclick="x">Judul</b>')
    assert '<h2 id="bagian-awas">Awas</h2>' in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html and "<img" not in html
    assert "<b " not in html and '<h2 id="bagian-b-onclick-x-judul-b">&lt;b onclick=&quot;x&quot;&gt;Judul&lt;/b&gt;</h2>' in html
    # a marker outside the anchor pattern stays text, and the id comes from the words
    odd = render_guide('## A {#"><script>}')
    assert odd.startswith('<h2 id="bagian-a-script">') and "<script>" not in odd


def test_sections_have_unique_anchors_in_order():
    assert guide_sections("# Satu {#satu}\n## Dua\n### Anak\n## Dua\n") == [
        ("bagian-satu", "Satu"), ("bagian-dua", "Dua"), ("bagian-dua-2", "Dua")]


def test_defaults_are_installed_once_complete_in_both_languages(app, admin):
    assert guides.install_default_guides() == 6
    shipped = guides.published_guides()
    guides.update_guide(admin, shipped[0], {**{name: getattr(shipped[0], name) for name in Guide.TEXT_FIELDS},
                                            "title": "Diubah admin", "position": "10", "base_revision": "1"})
    assert guides.install_default_guides() == 0
    assert shipped[0].title == "Diubah admin"
    for guide in shipped:
        assert guide.is_public and guide.illustration in guides.ILLUSTRATIONS
        for name, _limit, _required in guides.TEXT_LIMITS:
            assert getattr(guide, name).strip(), (guide.slug, name)
        assert [a for a, _h in guide_sections(guide.body_source)] == [a for a, _h in guide_sections(guide.body_en_source)]


def test_guides_are_not_counted_as_residents_posts_in_the_transparency_figures(app):
    guides.install_default_guides()
    assert monthly_figures(1)[0].counts["published"] == 0


def test_the_box_is_for_residents_who_have_not_written(resident, official, agency):
    assert guides.shows_participation_intro(resident)
    assert not guides.shows_participation_intro(official) and not guides.shows_participation_intro(None)
    guides.dismiss_participation_intro(resident)
    assert not guides.shows_participation_intro(resident)


def test_the_box_goes_once_the_resident_has_written(resident, official):
    make_comment(make_policy(official.agency), resident)
    assert not guides.shows_participation_intro(resident)
