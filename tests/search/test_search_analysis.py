"""Indonesian analysis (forum/search/analysis.py): what meets what, and what stays apart."""
import pytest

from forum.search.analysis import (
    INDONESIAN_STOP_WORDS,
    STOP_WORDS,
    pair_terms,
    query_groups,
    stem,
    stem_terms,
    tokens,
    unstemmed_words,
)


def stems(text):
    return [token[1] for token in tokens(text) if not token[5]]


def all_terms(text):
    return {token[1] for token in tokens(text)}


@pytest.mark.parametrize("words", [
    ("pembangunan", "membangun", "dibangun", "bangunan", "pembangunannya"),
    ("perizinan", "izin", "perizinannya", "diizinkan"),
    ("kesehatan", "sehat", "menyehatkan"),
    ("perbaikan", "memperbaiki", "diperbaiki"),
    ("kebersihan", "bersih", "dibersihkan", "membersihkan"),
    ("pelayanan", "melayani", "dilayani", "layanan"),
    ("laporan", "melaporkan", "dilaporkan", "pelapor"),
    ("pengaduan", "mengadu", "diadukan", "aduan"),
])
def test_indonesian_morphology_meets_at_one_stem(words):
    assert len({stem(word) for word in words}) == 1, {word: stem(word) for word in words}


@pytest.mark.parametrize("a, b", [("banjir", "bantu"), ("jalan", "jalur"), ("sampah", "sampai"), ("izin", "iuran")])
def test_different_roots_stay_apart(a, b):
    assert stem(a) != stem(b)


def test_english_words_are_stemmed_in_the_same_analyzer():
    """One analyzer for both languages: English plurals and -ing forms meet their root."""
    assert stem("flooding") == stem("floods") == stem("flood")
    assert stem("permits") == stem("permit")
    assert stem("buildings") == stem("building")
    assert stem("roads") == stem("road")


@pytest.mark.parametrize("word", ["dinas", "keras", "kelas", "tugas", "gratis", "manis", "emas", "bebas"])
def test_indonesian_words_ending_like_english_plurals_keep_their_ending(word):
    """The English stemmer must not turn `dinas` into `dina` (a name) or `keras` into `kera`."""
    assert stem(word) == word


def test_indonesian_roots_are_not_mangled_by_the_english_stemmer():
    for word in ("jalan", "banjir", "sampah", "lampu", "warga", "rumah", "pasar", "taman"):
        assert stem(word) == word


def test_stop_words_are_dropped_and_take_no_position():
    found = tokens("jalan yang rusak di depan dan di belakang")
    assert [t[1] for t in found] == ["jalan", "rusak", "depan", "belakang"]
    assert [t[2] for t in found] == [0, 1, 2, 3]
    assert {"yang", "di", "dan", "dari", "untuk", "dengan", "ini", "itu", "the", "and"} <= STOP_WORDS


def test_stop_word_list_keeps_words_that_matter_in_complaints():
    for word in ("tidak", "belum", "baru", "lama", "besar", "kecil", "rusak", "air"):
        assert word not in INDONESIAN_STOP_WORDS


def test_query_of_only_stop_words_has_no_terms():
    assert query_groups("yang dan di dari") == []


@pytest.mark.parametrize("text, joined, parts", [
    ("Covid-19", "covid19", ["covid", "19"]),
    ("RT/RW", "rtrw", ["rt", "rw"]),
    ("e-KTP", "ektp", ["e", "ktp"]),
    ("10.000", "10000", ["10", "000"]),
])
def test_compounds_index_the_joined_form_and_the_parts(text, joined, parts):
    found = tokens(f"layanan {text} cepat")
    assert (joined, True) in {(t[1], t[5]) for t in found}
    assert [t[1] for t in found if not t[5]] == ["layan", *parts, "cepat"]
    assert query_groups(text) == [((joined, joined), [(p, p) for p in parts])]


def test_a_compound_starts_at_the_position_of_its_first_part():
    found = tokens("vaksin Covid-19 gratis")
    positions = {t[1]: t[2] for t in found}
    assert positions["covid19"] == positions["covid"] == positions["vaksin"] + 1
    assert positions["gratis"] == positions["19"] + 1


def test_reduplication_is_its_word():
    assert stems("anak-anak rumah-rumah") == ["anak", "rumah"]


def test_apostrophes_inside_words_are_dropped():
    assert stems("Jum'at Qur’an") == ["jumat", "quran"]


@pytest.mark.parametrize("written", ["Café", "CAFÉ", "cafe", "café", "ｃａｆｅ"])
def test_accents_case_and_width_do_not_matter(written):
    assert stems(written) == ["cafe"]


def test_punctuation_does_not_matter():
    assert stems("jalan, rusak! (banjir?) «sampah»; lampu...") == ["jalan", "rusak", "banjir", "sampah", "lampu"]


def test_characters_offsets_point_at_the_words_as_written():
    text = "Pembangunan JALAN di RT/RW 05"
    for folded, _stem, _position, start, end, joined in tokens(text):
        assert text[start:end].lower().replace("/", "") == folded or joined


def test_overlong_tokens_are_not_indexed():
    assert stems("x" * 200 + " jalan") == ["jalan"]


def test_stem_terms_weigh_title_words_more():
    found = stem_terms("Jalan rusak\x1e\x1ejalan berlubang", (3.0, 2.0, 1.0))
    assert found["jalan"] == (2, 4.0)
    assert found["rusak"] == (1, 3.0)
    assert found["lubang"] == (1, 1.0)


def test_pairs_join_adjacent_words_but_not_across_sections():
    found = pair_terms("Lampu jalan\x1e\x1ejalan yang rusak parah")
    assert set(found) == {"lampu jalan", "jalan rusak", "rusak parah"}


def test_unstemmed_words_are_those_stemming_changes():
    assert unstemmed_words("pembangunan jalan kesehatan") == {"pembangunan", "kesehatan"}
