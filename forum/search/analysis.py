"""Text analysis for search: Indonesian first, English understood.

One pass over the text yields tokens:

* Words are runs of letters and digits. Apostrophes inside a word are dropped
  (`Jum'at` -> `jumat`). Words joined by `-`, `/` or `.` form a compound
  (`Covid-19`, `RT/RW`, `e-KTP`, `10.000`): the compound is indexed as its
  joined form (`covid19`, `rtrw`, `ektp`) at the position of its first part,
  and each part at its own position, so `covid19`, `Covid-19`, `"covid 19"`
  and `KTP` all find it. A reduplication (`anak-anak`, `rumah-rumah`) is the
  plural of its word and indexed as that word only.
* Accents are folded and case is ignored (`Café` -> `cafe`).
* Stop words (STOP_WORDS) are dropped and take no position, so the phrase
  "jalan rusak" also matches "jalan yang rusak".
* Stems: the Snowball Indonesian stemmer (PyStemmer, BSD licence), so
  `pembangunan`, `membangun`, `dibangun` and `bangunan` all become `bangun`,
  and `perizinan` becomes `izin`. English shares the same analyzer: when the
  Indonesian stemmer leaves a word unchanged the Snowball English stemmer gets
  a turn (`flooding` and `floods` -> `flood`; a consonant + `s` plural is
  dropped first, `pedestrians` -> `pedestrian`), except for words ending in `-as`
  or `-is`, which are Indonesian roots far more often than English plurals
  (`dinas` must not become `dina`, nor `keras` `kera`). One analyzer rather
  than a second English-stemmed field halves the indexing work, and mixed
  texts (Indonesian sentences with English terms) are the norm here.
  Known limit of the Snowball Indonesian stemmer: it does not restore the
  consonant a nasal prefix swallowed (`penertiban` -> `ertib`, `tertib` ->
  `tertib`); doing so needs a dictionary, and the free one (Sastrawi) is
  CC BY-NC-SA.

Words are cached (LRU) because a civic corpus repeats the same few thousand.
`tokens()` is the shared core; `stem_terms()` and `pair_terms()` give the
index terms (schema.TermsField), `query_groups()` the query side.

Stop words: written for this project from standard Indonesian grammar
(function words only) plus a short English list; same licence as the project.
"""
import re
import threading
import unicodedata
from bisect import bisect_right
from functools import lru_cache

import Stemmer

MAX_TOKEN_LENGTH = 60  # longer "words" are noise (hashes, base64): not indexed

_WORD = r"[^\W_]+(?:['\u2019\u02bc][^\W_]+)*"
_TOKEN = re.compile(rf"{_WORD}(?:[-\u2010\u2011/.]{_WORD})*")
_PIECE = re.compile(_WORD)
_APOSTROPHES = re.compile("['\u2019\u02bc]")

# Indonesian function words: conjunctions, prepositions, pronouns, particles,
# auxiliaries and quantifiers that carry no topic. Written for this project
# from standard Indonesian grammar (same licence as the project). Content
# words that matter in civic text (tidak/belum are kept out: "belum ada air"
# is a complaint; baru, lama, besar, kecil are kept too) are deliberately absent.
INDONESIAN_STOP_WORDS = frozenset("""
ada adalah adanya agar akan akankah akhirnya aku akulah amat anda andalah antar
antara antaranya apa apaan apabila apakah apalagi atau ataukah ataupun bagai
bagaimana bagaimanakah bagaimanapun bagi bahkan bahwa bahwasanya beberapa begini
beginilah begitu begitulah beliau berbagai bukan bukankah bukanlah dahulu dalam
dan dapat dari daripada demi demikian dengan di dia dialah diri dirinya engkau
hal hanya hingga ia ialah ini inilah itu itukah itulah jadi jika jikalau juga
jua kalau kalian kami kamilah kamu kamulah kan kapan karena karenanya ke kecuali
kemudian kenapa kepada kepadanya ketika kita kitalah lagi lah lalu maka malah
mana manakah masih maupun melainkan mereka merekalah meski meskipun mu mungkin
nah namun nya oleh pada padahal para per pula pun saat saja sambil sampai
sang sangat sebab sebagai sebagaimana sebelum sebelumnya sedang sedangkan sehingga
sejak sekadar seakan seandainya sebuah sedikit segala seluruh semua
sementara sendiri seolah seperti sesuatu setelah setiap si sini situ
supaya tadi tapi telah tentang tersebut tetapi toh untuk walau walaupun yaitu
yakni yang
""".split())

# English function words, for the English passages of mixed texts.
ENGLISH_STOP_WORDS = frozenset("""
a an and are as at be been but by for from has have he her his how i if in into
is it its of on or our she so than that the their them then there these they
this those to was we were what when where which who will with would you your
""".split())

STOP_WORDS = INDONESIAN_STOP_WORDS | ENGLISH_STOP_WORDS

# Indonesian roots that end like English plurals; the English stemmer keeps off.
_ENGLISH_STEM_EXCLUDED_ENDINGS = ("as", "is")
_VOWELS_AND_S = frozenset("aeiouys")

_stemmers = threading.local()


def _stemmer(language):
    # PyStemmer objects keep internal state: one per thread and language.
    stemmer = getattr(_stemmers, language, None)
    if stemmer is None:
        stemmer = Stemmer.Stemmer(language)
        setattr(_stemmers, language, stemmer)
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word):
    """The stem of a folded word: Indonesian first, then English (see module doc)."""
    if not word.isalpha():
        return word
    if word.isascii() and len(word) > 4 and word[-1] == "s" and word[-2] not in _VOWELS_AND_S:
        # An English plural (roads, pedestrians): Indonesian words hardly end in
        # consonant + s, and the Indonesian stemmer would read a prefix into
        # "pedestrians" that the singular does not get.
        word = word[:-1]
    indonesian = _stemmer("indonesian").stemWord(word)
    if indonesian != word or word.endswith(_ENGLISH_STEM_EXCLUDED_ENDINGS) or not word.isascii():
        return indonesian
    return _stemmer("english").stemWord(word)


@lru_cache(maxsize=200_000)
def fold(word):
    """Lowercase, accents removed, compatibility forms unified (fullwidth, ligatures)."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _keep(word):
    return word and len(word) <= MAX_TOKEN_LENGTH and word not in STOP_WORDS


@lru_cache(maxsize=200_000)
def word(raw):
    """(folded, stem) of one plain word as written, or None for a stop word."""
    folded = fold(raw)
    return (folded, stem(folded)) if _keep(folded) else None


def _compound(raw, start):
    """(joined (folded, stem) or None, [(folded, stem, start, end)]) of a compound."""
    parts = [(fold(_APOSTROPHES.sub("", piece.group())), start + piece.start(), start + piece.end())
             for piece in _PIECE.finditer(raw)]
    if len(parts) == 1 or len({folded for folded, _s, _e in parts}) == 1:
        # A word with an apostrophe, or a reduplication: one word.
        found = word(parts[0][0])
        return None, ([(*found, start, start + len(raw))] if found else [])
    joined = "".join(folded for folded, _s, _e in parts)
    kept = [(folded, stem(folded), s, e) for folded, s, e in parts if _keep(folded)]
    return (word(joined) if kept else None), kept


def _groups(text):
    """Yield (joined, parts) per word of `text`; parts are (folded, stem, start, end).

    A plain word is (None, [its part]); a compound is (its joined form as
    (folded, stem) or None when that is a stop word or too long, [its parts]).
    """
    for match in _TOKEN.finditer(text):
        raw = match.group()
        if raw.isalnum():  # the common case: one plain word
            found = word(raw)
            if found:
                yield None, [(*found, match.start(), match.end())]
            continue
        joined, parts = _compound(raw, match.start())
        if parts:
            yield joined, parts


_recent = {}  # text -> tokens: the same text is analyzed for several fields
_RECENT_SIZE = 16


def tokens(text):
    """All tokens of `text` as (folded, stem, position, start, end, joined) tuples.

    A compound gives its joined form first (`joined` True), at the position of
    its first part and spanning the whole compound, then its parts. The
    result for the last few texts is kept: indexing analyzes the same text
    for the stems, the word pairs and the vocabulary.
    """
    found = _recent.get(text)
    if found is not None:
        return found
    found = []
    append = found.append
    position = 0
    for match in _TOKEN.finditer(text):
        raw = match.group()
        if raw.isalnum():  # the common case, inlined: one plain word
            plain = word(raw)
            if plain:
                append((plain[0], plain[1], position, match.start(), match.end(), False))
                position += 1
            continue
        joined, parts = _compound(raw, match.start())
        if joined and parts:
            append((joined[0], joined[1], position, parts[0][2], parts[-1][3], True))
        for folded, stemmed, start, end in parts:
            append((folded, stemmed, position, start, end, False))
            position += 1
    if len(_recent) >= _RECENT_SIZE:
        _recent.clear()
    _recent[text] = found
    return found


def unstemmed_words(text):
    """The folded words of `text` that stemming changes (`kesehatan`, not `jalan`).

    Together with the stemmed field's own vocabulary (where unchanged words
    live as they are) they give prefix search and spelling suggestions every
    word as written.
    """
    return {token[0] for token in tokens(text) if token[0] != token[1]}


def query_groups(text):
    """The query-side view: a list of (joined, [parts]) per word; terms are (folded, stem).

    The query builder matches a compound as "joined term OR pairs of parts";
    a plain word is (None, [(folded, stem)]). Stop words are gone.
    """
    return [(joined, [(folded, stemmed) for folded, stemmed, _s, _e in parts])
            for joined, parts in _groups(text)]


def pairs(stems):
    """The pair terms of consecutive stems: a phrase is all of its pairs."""
    return [f"{first} {second}" for first, second in zip(stems, stems[1:])]


# -- index terms ---------------------------------------------------------------
SECTION = "\x1e"  # separates the title, heading and body in the one indexed text


def _section_ends(value):
    """The offsets where the sections of `value` end (all but the last)."""
    ends, index = [], value.find(SECTION)
    while index >= 0:
        ends.append(index)
        index = value.find(SECTION, index + 1)
    return ends


def stem_terms(value, boosts=()):
    """{stem: (frequency, weight)} of a sectioned text; words of section n weigh boosts[n]."""
    ends = _section_ends(value)
    found = {}
    for _folded, stemmed, _position, start, _end, _joined in tokens(value):
        section = bisect_right(ends, start) if ends else 0
        boost = boosts[section] if section < len(boosts) else 1.0
        frequency, weight = found.get(stemmed, (0, 0.0))
        found[stemmed] = (frequency + 1, weight + boost)
    return found


def pair_terms(value):
    """{"stem stem": (frequency, weight)} of adjacent words: phrases without positions.

    Whoosh checks phrases by decoding positions for every candidate document,
    which is slow on common words; a phrase of n words is instead its n-1
    pair terms, each an ordinary posting list. Pairs skip stop words (as
    positions do) and never cross from the title into the body.
    """
    ends = _section_ends(value)
    found = {}
    previous = None
    for _folded, stemmed, position, start, _end, joined in tokens(value):
        if joined:
            continue
        section = bisect_right(ends, start) if ends else 0
        if previous and previous[1] + 1 == position and previous[2] == section:
            term = f"{previous[0]} {stemmed}"
            frequency = found.get(term, (0, 0.0))[0] + 1
            found[term] = (frequency, float(frequency))
        previous = (stemmed, position, section)
    return found
