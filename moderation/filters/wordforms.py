"""Word forms for watched words: tokens, spelling tricks and Indonesian affixes.

A token of text is reduced to a set of *keys*: its lowercase form with digits
and symbols read as letters (`4nj1ng` -> `anjing`), repeated letters collapsed
(`bodooooh` -> `bodoh`), and the stems left after removing Indonesian affixes
(`dibodohi` -> `bodoh`, `menipu` -> `tipu`). A watched word matches a token
when one of the token's keys is the word's key. Letters spaced out one by one
(`b.o.d.o.h`, `b o d o h`) are joined into one token before that.

Stems found by removing affixes must keep at least `MIN_STEM` letters, so
that short words only match on their own: `keras` is not `ke-` + `ras`, and
`pantai` has no `tai` in it.
"""
import itertools
import re

# Letters as matched: ASCII and Latin-1/Latin Extended-A/B letters, digits,
# and the symbols people type for letters.
TOKEN_CHARS = r"0-9A-Za-z\u00C0-\u024F@$"
TOKEN_RE = re.compile(rf"[{TOKEN_CHARS}]+")
# Three or more single characters separated by spaces, dots, dashes or
# underscores: `b o d o h`, `b.o.d.o.h`, `b-o-d-o-h`.
SPACED_RE = re.compile(
    rf"(?<![{TOKEN_CHARS}])[{TOKEN_CHARS}](?:[\s._\-]{{1,3}}[{TOKEN_CHARS}]){{2,}}(?![{TOKEN_CHARS}])"
)
# Either of the above, spaced runs first, for a pass that needs positions.
TOKEN_OR_SPACED_RE = re.compile(f"{SPACED_RE.pattern}|{TOKEN_RE.pattern}")
SEPARATORS_RE = re.compile(r"[\s._\-]+")
_ASCII_TO_SPACES = str.maketrans({chr(c): " " for c in range(128) if not TOKEN_RE.fullmatch(chr(c))})
_SINGLE_CHARS = frozenset(chr(c) for c in range(128) if TOKEN_RE.fullmatch(chr(c)) and not chr(c).isupper())
REPEATS_RE = re.compile(r"(.)\1+")
RUNS_RE = re.compile(r"(.)\1*")
HAS_LETTER_RE = re.compile(r"[a-z\u00C0-\u024F]")

LEET = {"4": "a", "@": "a", "3": "e", "0": "o", "5": "s", "$": "s", "7": "t"}
LEET_AMBIGUOUS = {"1": ("i", "l")}
LEET_CHARS = frozenset(LEET) | frozenset(LEET_AMBIGUOUS)
MAX_AMBIGUOUS = 3  # beyond this many `1`s, the rest are read as `i`

MIN_STEM = 4

_DERIVATIONAL = ("", "kan", "an", "i")
_POSSESSIVE = ("", "ku", "mu", "nya")
_PARTICLE = ("", "lah", "kah")
# Collapsed like the keys they are cut from: `-annya` reads `-anya`.
SUFFIXES = tuple(sorted(
    {REPEATS_RE.sub(r"\1", "".join(parts)) for parts in itertools.product(_DERIVATIONAL, _POSSESSIVE, _PARTICLE)}
    - {""},
    key=len,
    reverse=True,
))

def _by_edge(affixes, edge):
    grouped = {}
    for affix in affixes:
        grouped.setdefault(affix[edge], []).append(affix)
    return grouped


# Suffixes by their last letter: most words end in a letter no suffix ends in.
SUFFIXES_BY_LAST = _by_edge(SUFFIXES, -1)

# (prefix, letter restored at the start of the stem, letters the stem must start with)
# meN-/peN- swallow the first consonant of some stems: menipu <- tipu,
# memukul <- pukul, menyapu <- sapu, mengorek <- korek.
_ANY = None
PREFIXES = (
    ("memper", "", _ANY), ("diper", "", _ANY), ("keber", "", _ANY),
    ("meny", "s", _ANY), ("peny", "s", _ANY),
    ("meng", "k", _ANY), ("meng", "", _ANY), ("peng", "k", _ANY), ("peng", "", _ANY),
    ("mem", "p", _ANY), ("mem", "", "bfpv"), ("pem", "p", _ANY), ("pem", "", "bfpv"),
    ("men", "t", _ANY), ("men", "", "cdjtsz"), ("pen", "t", _ANY), ("pen", "", "cdjtsz"),
    ("me", "", "lmnrwy"), ("pe", "", "lmnrwy"),
    ("ber", "", _ANY), ("ter", "", _ANY), ("per", "", _ANY),
    ("di", "", _ANY), ("ke", "", _ANY), ("se", "", _ANY),
)
PREFIXES_BY_FIRST = {
    first: [rule for rule in PREFIXES if rule[0][0] == first] for first in {rule[0][0] for rule in PREFIXES}
}


def split_tokens(lowered):
    """The tokens of lowercased text, in order (ASCII text: a translate and a split, no regex)."""
    if lowered.isascii():
        return lowered.translate(_ASCII_TO_SPACES).split()
    return TOKEN_RE.findall(lowered)


def spaced_runs(text, tokens, unique):
    """(start, end, joined lowercase) for letters spaced out one by one: `b.o.d.o.h` -> `bodoh`.

    Such a run shows up as three or more one-character tokens, which most
    texts lack: only then is the text searched.
    """
    singles = unique & _SINGLE_CHARS if text.isascii() else {t for t in unique if len(t) == 1}
    if sum(map(tokens.count, singles)) < 3:
        return []
    return [(m.start(), m.end(), SEPARATORS_RE.sub("", m.group()).lower()) for m in SPACED_RE.finditer(text)]


def positioned_tokens(text):
    """(start, end, lowercase token) for every token, spaced-out letters joined."""
    for match in TOKEN_OR_SPACED_RE.finditer(text):
        yield match.start(), match.end(), SEPARATORS_RE.sub("", match.group()).lower()


def is_token_char(char):
    return bool(char) and TOKEN_RE.match(char) is not None


def leet_forms(token):
    """`token` with digits and symbols read as letters; `1` may be `i` or `l`."""
    if not LEET_CHARS.intersection(token) or not HAS_LETTER_RE.search(token):
        return (token,)
    plain = "".join(LEET.get(char, char) for char in token)
    ambiguous = [i for i, char in enumerate(plain) if char in LEET_AMBIGUOUS]
    if not ambiguous:
        return (plain,)
    chars = list(plain)
    for i in ambiguous[MAX_AMBIGUOUS:]:
        chars[i] = LEET_AMBIGUOUS[chars[i]][0]
    forms = []
    for choice in itertools.product(*(LEET_AMBIGUOUS[plain[i]] for i in ambiguous[:MAX_AMBIGUOUS])):
        for i, letter in zip(ambiguous, choice):
            chars[i] = letter
        forms.append("".join(chars))
    return tuple(forms)


def collapse(word):
    """Collapse repeated characters: `bodooooh` -> `bodoh`."""
    return REPEATS_RE.sub(r"\1", word)


def word_keys(token):
    """The keys of a token as written, without removing affixes."""
    return {collapse(form) for form in leet_forms(token)}


def stems(key):
    """`key` and what is left of it after removing Indonesian affixes.

    Keys are collapsed, so a letter shared by stem and affix was written
    once: `kenallah` is `kenalah` and `menggoblokkan` is `mengoblokan`. Each
    cut therefore also tries the stem with that letter given back.
    """
    bases = {key}
    for suffix in SUFFIXES_BY_LAST.get(key[-1:], ()):
        if key.endswith(suffix):
            cut = key[: -len(suffix)]
            bases.update(base for base in (cut, cut + suffix[0]) if len(base) >= MIN_STEM)
    found = set(bases)
    for base in bases:
        for prefix, restored, before in PREFIXES_BY_FIRST.get(base[:1], ()):
            if not base.startswith(prefix):
                continue
            rest = base[len(prefix):]
            if before is not None and (not rest or rest[0] not in before):
                continue
            found.update(stem for stem in (restored + rest, prefix[-1] + rest) if len(stem) >= MIN_STEM)
    return found


def token_keys(token):
    """Every key under which `token` may match a watched word."""
    keys = set()
    for key in word_keys(token):
        keys |= stems(key)
    return keys


def runs_pattern(word):
    """For a word with doubled letters: a regex the raw token must contain.

    Collapsing makes `ass` and `as` the same key; requiring `a+s{2,}` in
    what was written keeps `as` innocent while `asss` still matches.
    """
    if REPEATS_RE.search(word) is None:
        return None
    parts = []
    for match in RUNS_RE.finditer(word):
        char, count = re.escape(match.group(1)), len(match.group())
        parts.append(f"{char}{{{count},}}" if count > 1 else f"{char}+")
    return re.compile("".join(parts))
