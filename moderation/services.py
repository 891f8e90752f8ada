"""Admins' edits of the screen: watched words, pre-moderation switches, default lists.

Every edit is one transaction that also bumps the watched-words version, so
every worker rebuilds its compiled index on its next check (screen.py). A
word is refused with a field error when it is empty, too long, a duplicate,
or (for regular expressions) invalid, pathological or too slow: see
filters/patterns.py. Nothing invalid is ever saved.
"""
import csv
import re
from contextlib import contextmanager
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from forum.errors import NotFound, ValidationFailed
from forum.extensions import db
from forum.forms import clean_text
from forum.permissions import require
from forum.services import transaction
from moderation.filters import WATCHED_ACTIONS, patterns
from moderation.filters.wordforms import TOKEN_RE
from moderation.models import ModerationSetting, WatchedWord
from moderation.screen import invalidate_cache

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_LISTS = {"id": "watched_words_id.csv", "en": "watched_words_en.csv"}
PERMISSION = "moderation.configure"
WORD_MAX_LENGTH = 100
WORD_MIN_LETTERS = 3
PHRASE_MAX_WORDS = 6
WORD_CHARS_RE = re.compile(r"^[0-9A-Za-z\u00C0-\u024F@$' -]+$")


# -- validation ---------------------------------------------------------------------
def clean_pattern(pattern, is_regex):
    """The pattern as stored, or ValidationFailed naming the problem."""
    pattern = clean_text(pattern or "").strip()
    if not pattern:
        raise ValidationFailed(fields={"pattern": _l("This field is required.")})
    if is_regex:
        problem = patterns.problem(pattern)
        if problem:
            raise ValidationFailed(fields={"pattern": problem})
        return pattern
    pattern = " ".join(pattern.lower().split())
    if len(pattern) > WORD_MAX_LENGTH:
        raise ValidationFailed(fields={"pattern": _l("A word or phrase may have at most %(max)d characters.",
                                                     max=WORD_MAX_LENGTH)})
    if not WORD_CHARS_RE.match(pattern):
        raise ValidationFailed(fields={"pattern": _l(
            "A word may contain only letters, digits and spaces. Use a regular expression for anything else."
        )})
    words = TOKEN_RE.findall(pattern)
    if len(words) > PHRASE_MAX_WORDS:
        raise ValidationFailed(fields={"pattern": _l("A phrase may have at most %(max)d words.",
                                                     max=PHRASE_MAX_WORDS)})
    if sum(len(word) for word in words) < WORD_MIN_LETTERS:
        raise ValidationFailed(fields={"pattern": _l("A word must have at least %(min)d letters.",
                                                     min=WORD_MIN_LETTERS)})
    return pattern


def _clean_action(action):
    if action not in WATCHED_ACTIONS:
        raise ValidationFailed(fields={"action": _l("Choose one of the actions in the list.")})
    return action


def _clean_note(note):
    note = clean_text(note or "").strip() or None
    if note and len(note) > WatchedWord.NOTE_MAX:
        raise ValidationFailed(fields={"note": _l("A note may have at most %(max)d characters.",
                                                  max=WatchedWord.NOTE_MAX)})
    return note


def _refuse_duplicate(pattern, is_regex, except_id=None):
    query = db.select(WatchedWord.id).where(WatchedWord.pattern == pattern, WatchedWord.is_regex == is_regex)
    if except_id is not None:
        query = query.where(WatchedWord.id != except_id)
    if db.session.scalar(query) is not None:
        raise ValidationFailed(fields={"pattern": _duplicate_message()})


def _duplicate_message():
    return _l("This word is already on the list.")


@contextmanager
def _edit():
    """One change to the lists, one transaction: bump the version with it, and let this process see it at once."""
    try:
        with transaction():
            yield
            ModerationSetting.bump_watched_words_version()
    except IntegrityError:
        raise ValidationFailed(fields={"pattern": _duplicate_message()}) from None
    invalidate_cache()


def _find(word_id):
    word = db.session.get(WatchedWord, word_id) if isinstance(word_id, int) else None
    if word is None:
        raise NotFound(_l("This watched word does not exist."))
    return word


# -- watched words --------------------------------------------------------------------
def add_watched_word(user, pattern, action, is_regex=False, note=None):
    """Add a watched word (or phrase, or regular expression); return the row."""
    require(user, PERMISSION)
    with _edit():
        is_regex = bool(is_regex)
        word = WatchedWord(
            pattern=clean_pattern(pattern, is_regex), action=_clean_action(action), is_regex=is_regex,
            note=_clean_note(note), created_by_id=user.id,
        )
        _refuse_duplicate(word.pattern, is_regex)
        db.session.add(word)
    return word


def update_watched_word(user, word_id, pattern, action, is_regex=False, note=None):
    """Change a watched word; return the row."""
    require(user, PERMISSION)
    word = _find(word_id)
    with _edit():
        is_regex = bool(is_regex)
        cleaned = clean_pattern(pattern, is_regex)
        _refuse_duplicate(cleaned, is_regex, except_id=word.id)
        word.pattern, word.action, word.is_regex = cleaned, _clean_action(action), is_regex
        word.note = _clean_note(note)
    return word


def delete_watched_word(user, word_id):
    """Remove a watched word from the lists."""
    require(user, PERMISSION)
    word = _find(word_id)
    with _edit():
        db.session.delete(word)


# -- pre-moderation switches ----------------------------------------------------------
def set_premoderation(user, hold_new_accounts=None, hold_all=None, hold_policy_ids=None):
    """Change the switches that are given (None leaves a switch as it is)."""
    require(user, PERMISSION)
    if hold_policy_ids is not None:
        try:
            hold_policy_ids = sorted({int(policy_id) for policy_id in hold_policy_ids})
        except (TypeError, ValueError):
            raise ValidationFailed(fields={"hold_policy_ids": _l("Enter consultation numbers only.")}) from None
    with transaction():
        for key, value in (
            (ModerationSetting.HOLD_NEW_ACCOUNTS, hold_new_accounts),
            (ModerationSetting.HOLD_ALL, hold_all),
            (ModerationSetting.HOLD_POLICY_IDS, hold_policy_ids),
        ):
            if value is not None:
                ModerationSetting.put(key, value if key == ModerationSetting.HOLD_POLICY_IDS else bool(value))
    invalidate_cache()


# -- the shipped default lists --------------------------------------------------------
def default_entries():
    """(pattern, action, category, list name) for every line of the shipped lists."""
    entries = []
    for name, filename in DEFAULT_LISTS.items():
        with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
            lines = (line for line in handle if line.strip() and not line.lstrip().startswith("#"))
            for pattern, action, category in csv.reader(lines):
                entries.append((pattern.strip(), action.strip(), category.strip(), name))
    return entries


def install_default_watched_words():
    """Add the shipped words that are not on the lists yet (idempotent); return how many were added."""
    existing = set(db.session.scalars(db.select(WatchedWord.pattern).where(WatchedWord.is_regex.is_(False))))
    new = []
    for pattern, action, category, name in default_entries():
        cleaned = clean_pattern(pattern, is_regex=False)
        if cleaned in existing:
            continue
        existing.add(cleaned)
        new.append(WatchedWord(pattern=cleaned, action=_clean_action(action), is_regex=False,
                               note=f"default list ({name}): {category}"))
    if new:
        with _edit():
            db.session.add_all(new)
    return len(new)
