"""Queries: the language, filters, sorting, paging, excerpts, suggestions, and bad input."""
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from forum import search
from forum.extensions import db

BAD_QUERIES = [
    "", " ", "\t\n", "a" * 5000, "jalan " * 1000, "yang dan di dari untuk", '"jalan rusak', '"', '""', '"""',
    "(banjir OR sampah", "banjir)", ")(", "((((((((((banjir))))))))))", "*", "**", "-", "--", "- -", "-*",
    "\x00\x01jalan\x7f\x1b[31m", "ja\u202elan\u200b", "OR", "OR OR banjir", "AND", "NOT", "banjir OR",
    "k*", "e-", "/", "\\", "'; DROP TABLE content; --", "<script>alert(1)</script>", "\ud800", "日本語 🙂",
    "kesehat* -", "-(banjir)", "jalan -jalan", "%s %(x)s {0}", "𝓳𝓪𝓵𝓪𝓷",
]


@pytest.fixture
def corpus(write_filed):
    now = datetime.now(timezone.utc)
    return {
        "banjir": write_filed("Banjir setinggi lutut di jalan depan sekolah.", title="Banjir di Pondok Aren",
                              category="lingkungan", districts=["pondok-aren.pondok-betung"],
                              created_at=now - timedelta(days=30)),
        "jalan": write_filed("Jalan yang rusak parah dan berlubang dekat pasar.", title="Jalan rusak",
                             category="infrastruktur", agency="dbmsda", districts=["ciputat.cipayung"],
                             created_at=now - timedelta(days=10)),
        "sampah": write_filed("Sampah menumpuk di pasar, mohon pengangkutan.", title="Sampah pasar",
                              category="lingkungan", districts=["ciputat.cipayung"], created_at=now - timedelta(days=2)),
        "sehat": write_filed("Pelayanan kesehatan di puskesmas lambat; vaksinasi Covid-19 tertunda.",
                             title="Puskesmas", category="kesehatan", agency="dinkes", created_at=now),
    }


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_never_fail(corpus, query):
    results = search.search(query)
    assert results.available
    assert results.total >= 0 and all(hit.id for hit in results.items)
    assert len(results.query) <= 400


@pytest.mark.parametrize("options", [
    {"page": 10_000}, {"page": -3}, {"page": "x"}, {"per_page": 0}, {"per_page": 10_000}, {"per_page": "?"},
    {"sort": "bogus"}, {"sort": None}, {"kind": "tidak-ada"}, {"kind": ["content", "x" * 500]},
    {"category": "x" * 5000}, {"category": "\x00"}, {"district": "../../etc"}, {"status": 5},
    {"date_from": "bukan tanggal"}, {"date_to": "2026-13-45"}, {"date_from": "9999-12-31"},
    {"date_from": date(1900, 1, 1)}, {"agency": ["a", "b"]}, {"kind": 7}, {"kind": object()},
    {"date_to": datetime(2030, 1, 1)}, {"facets": "yes"},
])
def test_bad_options_never_fail(corpus, options):
    results = search.search("jalan", **options)
    assert results.available
    assert 1 <= results.per_page <= 100 and results.page >= 1


def test_page_far_beyond_the_end_is_empty_with_the_total(corpus):
    results = search.search("di", page=10_000)  # "di" is a stop word: nothing to find
    assert results.items == [] and results.total == 0
    results = search.search("pasar", page=10_000)
    assert results.items == [] and results.total == 2 and results.pages == 1


def test_words_are_all_required(corpus, find):
    assert find("pasar sampah") == [corpus["sampah"].id]
    assert find("pasar") and len(find("pasar")) == 2


def test_or_matches_either(corpus, find):
    assert sorted(find("banjir OR puskesmas")) == sorted([corpus["banjir"].id, corpus["sehat"].id])
    assert sorted(find("banjir ATAU puskesmas")) == sorted([corpus["banjir"].id, corpus["sehat"].id])


def test_exclusion(corpus, find):
    assert find("pasar -sampah") == [corpus["jalan"].id]
    assert find("pasar NOT sampah") == [corpus["jalan"].id]
    assert corpus["banjir"].id not in find("-banjir")


def test_phrase_needs_adjacent_words_but_skips_stop_words(corpus, write, find):
    apart = write("Rusak sekali, jalan ini.")
    assert find('"jalan rusak"') == [corpus["jalan"].id]  # "Jalan yang rusak": adjacent once "yang" is gone
    assert apart.id in find("jalan rusak")


def test_prefix(corpus, find):
    assert find("kesehat*") == [corpus["sehat"].id]
    assert find("puskes*") == [corpus["sehat"].id]
    assert find("zzz*") == []
    assert find("banjir zzz*") == []  # a prefix matching nothing is still required


def test_compound_words(corpus, find):
    for query in ("Covid-19", "covid19", "COVID 19", '"covid 19"'):
        assert find(query) == [corpus["sehat"].id], query


def test_filters(corpus, find):
    assert sorted(find("pasar", category="lingkungan")) == [corpus["sampah"].id]
    assert find("", agency="dinkes") == [corpus["sehat"].id]
    assert sorted(find("", district="ciputat")) == sorted([corpus["jalan"].id, corpus["sampah"].id])
    assert find("", district="ciputat.cipayung", category="infrastruktur") == [corpus["jalan"].id]
    assert len(find("", kind="content")) == 4
    assert find("pasar", kind="policy") == []
    assert len(find("", status="published")) == 4


def test_date_range(corpus, find):
    today = datetime.now(timezone.utc).date()
    assert sorted(find("", date_from=today - timedelta(days=5))) == sorted([corpus["sampah"].id, corpus["sehat"].id])
    assert find("", date_to=(today - timedelta(days=20)).isoformat()) == [corpus["banjir"].id]
    assert find("", date_from=today - timedelta(days=12), date_to=today - timedelta(days=8)) == [corpus["jalan"].id]


def test_sort_newest(corpus, find):
    assert find("pasar OR banjir OR puskesmas", sort="newest") == [
        corpus["sehat"].id, corpus["sampah"].id, corpus["jalan"].id, corpus["banjir"].id]


def test_filters_alone_browse_newest_first(corpus, find):
    assert find("", category="lingkungan") == [corpus["sampah"].id, corpus["banjir"].id]


def test_pagination(write, find):
    ids = [write(f"Aduan lampu nomor {n}.").id for n in range(25)]
    pages = [search.search("lampu", page=page, per_page=10) for page in (1, 2, 3)]
    assert [len(p.items) for p in pages] == [10, 10, 5]
    assert sorted(hit.id for p in pages for hit in p.items) == sorted(ids)
    assert all(p.total == 25 and p.total_exact and p.pages == 3 for p in pages)
    assert pages[0].has_next and not pages[0].has_previous and not pages[2].has_next


def test_excerpts_are_escaped_with_only_mark_added(write):
    write("Jalan <script>alert('x')</script> & <b>rusak</b> \"parah\"")
    hit = search.search("rusak").items[0]
    assert set(re.findall(r"</?[a-z]+", str(hit.excerpt_html))) == {"<mark", "</mark"}
    assert "&lt;script&gt;" in hit.excerpt_html and "<mark>rusak</mark>" in hit.excerpt_html


def test_excerpt_is_cut_around_the_matches(write):
    body = "Pembuka kalimat panjang. " * 30 + "Di sini ada kebocoran pipa air." + " Penutup kalimat." * 30
    write(body)
    excerpt = str(search.search("kebocoran pipa").items[0].excerpt_html)
    assert excerpt.startswith("\u2026") and excerpt.endswith("\u2026") and len(excerpt) < 320
    assert "<mark>kebocoran</mark> <mark>pipa</mark>" in excerpt


def test_morphology_is_highlighted_too(corpus):
    hit = search.search("melayani").items[0]
    assert "<mark>Pelayanan</mark>" in hit.excerpt_html


def test_did_you_mean(corpus):
    results = search.search("kesehtan")
    assert results.total == 0 and results.suggestion == "kesehatan"
    assert search.search("puskesmaz lambat").suggestion == "puskesmas lambat"
    assert search.search("kesehatan").suggestion is None


def test_facets(corpus):
    facets = search.search("pasar OR banjir", facets=True).facets
    assert facets["kind"] == {"content": 3}
    assert facets["category"] == {"lingkungan": 2, "infrastruktur": 1}
    assert facets["kecamatan"] == {"pondok-aren": 1, "ciputat": 2}


def test_hits_carry_the_document(corpus):
    hit = search.search("puskesmas").items[0]
    assert (hit.kind, hit.id, hit.title, hit.category, hit.agency) == (
        "content", corpus["sehat"].id, "Puskesmas", "kesehatan", "dinkes")
    assert hit.author == corpus["sehat"].author.display_name
    assert abs((hit.created_at - corpus["sehat"].created_at).total_seconds()) < 1


def test_related(corpus):
    related = search.related("Antrean vaksinasi di puskesmas", exclude_id=None)
    assert [hit.id for hit in related][:1] == [corpus["sehat"].id]
    assert search.related("Antrean vaksinasi di puskesmas", exclude_id=corpus["sehat"].id) == []
    assert search.related("") == []


def test_new_content_is_found_right_after_the_commit_that_wrote_it(corpus, write, find):
    first = find("pasar")
    content = write("Kios pasar terbakar.")
    assert content.id in find("pasar") and len(find("pasar")) == len(first) + 1


def test_unavailable_index_gives_an_empty_flagged_result(app, corpus, tmp_path):
    results = search.search("pasar", index_dir=str(tmp_path / "nowhere"))
    assert not results.available and results.items == [] and results.total == 0
    assert search.related("pasar", index_dir=str(tmp_path / "nowhere")) == []
    db.session.rollback()
