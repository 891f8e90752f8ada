"""Admins' edits of watched words and switches: validation, refusals with the error, version bumps."""
import pytest

from forum.errors import Forbidden, NotFound, ValidationFailed
from forum.extensions import db
from moderation.filters import HOLD, MASK, PUBLISH, REJECT
from moderation.filters.patterns import has_nested_quantifier, problem
from moderation.models import ModerationSetting, WatchedWord
from moderation.screen import screen
from moderation.services import (
    add_watched_word,
    delete_watched_word,
    set_premoderation,
    update_watched_word,
)


def version():
    return ModerationSetting.read_all().get(ModerationSetting.WATCHED_WORDS_VERSION, 0)


def words():
    return db.session.scalars(db.select(WatchedWord.pattern)).all()


def refusal(app, call):
    """The field error of a refused edit, in English.

    The edit runs inside the English request too: the service may already
    evaluate a lazy message (`if problem:`), which fixes the locale for the
    whole context, and outside a request that is the default, Indonesian.
    """
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        with pytest.raises(ValidationFailed) as caught:
            call()
        return {field: str(message) for field, message in caught.value.fields.items()}


def test_add_a_word_takes_effect_at_once_and_bumps_the_version(app, admin, veteran, comment):
    assert screen("dasar bodoh", veteran, comment).action == PUBLISH
    word = add_watched_word(admin, "  BODOH ", REJECT, note="insult")
    assert (word.pattern, word.action, word.is_regex, word.created_by_id) == ("bodoh", REJECT, False, admin.id)
    assert version() == 1
    assert screen("dasar bodoh", veteran, comment).rejected


def test_update_and_delete_bump_the_version(app, admin, veteran, comment):
    word = add_watched_word(admin, "bodoh", REJECT)
    update_watched_word(admin, word.id, "bodoh", MASK)
    assert version() == 2
    assert screen("dasar bodoh", veteran, comment).text == "dasar b****"
    delete_watched_word(admin, word.id)
    assert version() == 3 and words() == []
    assert screen("dasar bodoh", veteran, comment).action == PUBLISH


def test_only_admins_edit_the_lists(app, moderator, resident):
    for user in (moderator, resident, None):
        with pytest.raises(Forbidden):
            add_watched_word(user, "bodoh", REJECT)
        with pytest.raises(Forbidden):
            set_premoderation(user, hold_all=True)
    assert words() == []


@pytest.mark.parametrize("pattern, action, field, message", [
    ("", REJECT, "pattern", "This field is required."),
    ("   \x00 ", REJECT, "pattern", "This field is required."),
    ("ab", REJECT, "pattern", "A word must have at least 3 letters."),
    ("b*d*h", REJECT, "pattern",
     "A word may contain only letters, digits and spaces. Use a regular expression for anything else."),
    ("x" * 101, REJECT, "pattern", "A word or phrase may have at most 100 characters."),
    ("satu dua tiga empat lima enam tujuh", REJECT, "pattern", "A phrase may have at most 6 words."),
    ("bodoh", "delete", "action", "Choose one of the actions in the list."),
])
def test_bad_words_are_refused_and_nothing_is_saved(app, admin, pattern, action, field, message):
    assert refusal(app, lambda: add_watched_word(admin, pattern, action)) == {field: message}
    assert words() == [] and version() == 0


def test_a_duplicate_is_refused(app, admin):
    add_watched_word(admin, "bodoh", REJECT)
    assert refusal(app, lambda: add_watched_word(admin, "Bodoh", HOLD)) == {
        "pattern": "This word is already on the list."}
    other = add_watched_word(admin, "goblok", MASK)
    assert refusal(app, lambda: update_watched_word(admin, other.id, "bodoh", MASK)) == {
        "pattern": "This word is already on the list."}
    assert sorted(words()) == ["bodoh", "goblok"]


def test_a_long_note_is_refused(app, admin):
    assert refusal(app, lambda: add_watched_word(admin, "bodoh", REJECT, note="x" * 201)) == {
        "note": "A note may have at most 200 characters."}


def test_unknown_word_is_not_found(app, admin):
    with pytest.raises(NotFound):
        update_watched_word(admin, 999, "bodoh", REJECT)
    with pytest.raises(NotFound):
        delete_watched_word(admin, "1")


# -- regular expressions ------------------------------------------------------------
def test_a_valid_regex_is_saved_as_written(app, admin, veteran, comment):
    add_watched_word(admin, r"s[l1]ot\s*(88|99)", HOLD, is_regex=True)
    assert words() == [r"s[l1]ot\s*(88|99)"]
    assert screen("main SLOT 99", veteran, comment).action == HOLD


@pytest.mark.parametrize("pattern, error", [
    ("(unclosed", "missing )"),
    ("[a-", "unterminated character set"),
    ("*oops", "nothing to repeat"),
])
def test_an_invalid_regex_is_refused_with_the_compilers_error(app, admin, pattern, error):
    message = refusal(app, lambda: add_watched_word(admin, pattern, REJECT, is_regex=True))["pattern"]
    assert message.startswith("This regular expression is invalid: ") and error in message
    assert words() == []


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(.*a){30}", r"(?:x*)*y", r"((ab)+c)+", r"(\w+\s?)+$"])
def test_nested_quantifiers_are_refused(app, admin, pattern):
    assert has_nested_quantifier(pattern)
    message = refusal(app, lambda: add_watched_word(admin, pattern, REJECT, is_regex=True))["pattern"]
    assert "repeats a group that itself contains a repetition" in message


def test_slow_alternation_is_refused_by_the_probe(app, admin):
    """`(a|aa)+$` has no nested quantifier but backtracks exponentially: the probe catches it."""
    assert not has_nested_quantifier(r"(a|aa)+$")
    message = refusal(app, lambda: add_watched_word(admin, r"(a|aa)+$", REJECT, is_regex=True))["pattern"]
    assert message == "This regular expression takes too long to check on some texts. Please simplify it."


def test_huge_and_empty_matching_regexes_are_refused(app, admin):
    assert refusal(app, lambda: add_watched_word(admin, "a" * 201, REJECT, is_regex=True)) == {
        "pattern": "A regular expression may have at most 200 characters."}
    assert refusal(app, lambda: add_watched_word(admin, "x*", REJECT, is_regex=True)) == {
        "pattern": "This regular expression matches empty text, so it would match every post."}


@pytest.mark.parametrize("pattern", [r"\bjudi\s+online\b", r"wa\.me/\d+", r"(ab)+c", r"\b[a-z]+\d{3}\b", r"(a{2})?b"])
def test_ordinary_expressions_pass(pattern):
    assert problem(pattern) is None


def test_quadratic_expressions_are_refused_too(app, admin):
    """Unanchored `[a-z]{2,}\\d{3}` backtracks over every start in a long run of letters."""
    message = refusal(app, lambda: add_watched_word(admin, r"[a-z]{2,}\d{3}", REJECT, is_regex=True))["pattern"]
    assert message == "This regular expression takes too long to check on some texts. Please simplify it."


def test_an_invalid_regex_never_stalls_screening_after_refusal(app, admin, veteran, comment):
    """Refused and never saved: the next screen runs as before."""
    refusal(app, lambda: add_watched_word(admin, r"(a+)+$", REJECT, is_regex=True))
    assert screen("a" * 10_000 + "!", veteran, comment).action == PUBLISH


# -- switches -----------------------------------------------------------------------
def test_switches_are_stored_and_bad_policy_ids_refused(app, admin):
    set_premoderation(admin, hold_new_accounts=True, hold_policy_ids=[3, "3", 5])
    values = ModerationSetting.read_all()
    assert values[ModerationSetting.HOLD_NEW_ACCOUNTS] is True
    assert values[ModerationSetting.HOLD_POLICY_IDS] == [3, 5]
    assert ModerationSetting.HOLD_ALL not in values
    assert refusal(app, lambda: set_premoderation(admin, hold_policy_ids=["tiga"])) == {
        "hold_policy_ids": "Enter consultation numbers only."}
