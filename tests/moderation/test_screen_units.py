"""Small pure pieces of the screen: word forms, required literals, masks, verdict helpers."""
import pytest

from moderation.filters import FLAG, HOLD, MASK, PUBLISH, REJECT, Reason, strongest
from moderation.filters.patterns import required_literals
from moderation.filters.wordforms import leet_forms, stems, token_keys
from moderation.screen import Verdict, apply_masks


@pytest.mark.parametrize("token, stem", [
    ("menyapu", "sapu"), ("memukul", "pukul"), ("menipu", "tipu"), ("mengorek", "korek"),
    ("dibodohi", "bodoh"), ("kebodohannya", "bodoh"), ("pembodohan", "bodoh"), ("bertemankan", "teman"),
    ("terbodohkah", "bodoh"), ("sebodohnya", "bodoh"), ("menggoblokkan", "goblok"),
    ("kenallah", "kenal"), ("berrencana", "rencana"), ("diikuti", "ikut"), ("masakkan", "masak"),
])
def test_affixes_are_removed(token, stem):
    assert stem in token_keys(token)


@pytest.mark.parametrize("token, short", [("keras", "ras"), ("pantai", "tai"), ("petai", "tai"), ("asuh", "asu")])
def test_stems_shorter_than_four_letters_only_match_on_their_own(token, short):
    assert short not in stems(token)


def test_leet_forms_read_one_as_i_or_l():
    assert set(leet_forms("4nj1ng")) == {"anjing", "anjlng"}
    assert leet_forms("2024") == ("2024",)  # numbers are not words in disguise


@pytest.mark.parametrize("pattern, literals", [
    (r"gacor\w*", ("gacor",)),
    (r"s[l1]ot\s*88", ("slot", "s1ot")),
    (r"\bwa\.me/\d+", ("wa.me/",)),
    (r"ab?cd", ("cd",)),
    (r"xy{0,3}z", ("x",)),
    (r"(foo)+bar", ("bar",)),
    (r"a|b", None),
    (r"(?i)abc", None),
    (r"[^a]\d", None),
])
def test_required_literals(pattern, literals):
    assert required_literals(pattern) == literals


def mask(start, end, replacement):
    return Reason(MASK, "test", "m", span=(start, end), replacement=replacement)


def test_overlapping_masks_apply_once():
    text = "email bodoh@example.com selesai"
    reasons = [mask(6, 11, "b****"), mask(6, 23, "b***@example.com"), Reason(FLAG, "x", "f")]
    assert apply_masks(text, reasons) == "email b***@example.com selesai"


def test_strongest_action():
    assert strongest([]) == PUBLISH
    assert strongest([FLAG, MASK]) == MASK
    assert strongest([HOLD, MASK, REJECT, FLAG]) == REJECT


def test_author_messages_show_why_it_was_refused_once():
    verdict = Verdict(REJECT, [
        Reason(REJECT, "a", "Not allowed: x"), Reason(MASK, "b", "Hidden"), Reason(REJECT, "a", "Not allowed: x"),
        Reason(FLAG, "c", "Look"),
    ], "text", False)
    assert verdict.author_messages() == ["Not allowed: x"]
    published = Verdict(MASK, [Reason(MASK, "b", "Hidden"), Reason(FLAG, "c", "Look")], "t", True)
    assert published.author_messages() == ["Hidden"] and published.needs_review
