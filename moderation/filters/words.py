"""Watched words: the compiled index of all entries, and the filter that uses it.

Every entry of every action is compiled once into one `WatchedIndex`:

* plain words go into one dictionary from key to entries (see
  wordforms.py for keys: spelling tricks and Indonesian affixes), so a text is
  checked with one tokenizing pass and set look-ups, however many words
  there are;
* phrases (several words) are checked token by token, only when a text
  contains each of their words somewhere;
* admins' regular expressions (`regex` module) run one by one within one
  time limit, each only on texts containing one of its required literals
  (patterns.py).

Natural text repeats its words, so the index remembers which tokens are clean
and looks only at new ones: a set difference in C for most of a comment. The
screen keeps one index per watched-words version and builds a new one only
when the version changes.
"""
import logging
import time
from dataclasses import dataclass
from typing import Any

import regex
from flask_babel import lazy_gettext as _l

from moderation.filters import FLAG, HOLD, MASK, REJECT, Reason
from moderation.filters import patterns
from moderation.filters.wordforms import (
    TOKEN_RE,
    is_token_char,
    leet_forms,
    positioned_tokens,
    runs_pattern,
    spaced_runs,
    split_tokens,
    token_keys,
    word_keys,
)

logger = logging.getLogger("musyawarah.moderation")

CACHE_LIMIT = 100_000  # remembered tokens per index; emptied when full

MESSAGES = {
    REJECT: lambda word: _l(
        "Your text contains a word that is not allowed here: \u201c%(word)s\u201d. Please rephrase it.",
        word=word,
    ),
    HOLD: lambda word: _l("Your post will appear after a moderator has checked it."),
    MASK: lambda word: _l("Some words in your text were hidden because they are not allowed here."),
    FLAG: lambda word: _l("A moderator may take a look at your post."),
}


@dataclass(frozen=True)
class WatchedEntry:
    """One watched word, phrase or expression as compiled."""

    id: Any
    pattern: str
    action: str
    runs: Any = None  # for words with doubled letters: see wordforms.runs_pattern


@dataclass(frozen=True)
class WordMatch:
    entry: WatchedEntry
    start: int
    end: int
    text: str


_NOTHING = (frozenset(), ())


class WatchedIndex:
    """All watched entries of one version, compiled for fast scanning."""

    def __init__(self, version, rows):
        """`rows`: iterables of (id, pattern, action, is_regex)."""
        self.version = version
        self.words = {}
        self.phrases = {}        # first-word key -> [(tuple of key sets, entry)]
        self.phrase_keys = set()
        self.expressions = []    # (required literals or None, compiled, entry)
        self._clean = set()
        self._analysis = {}
        for entry_id, pattern, action, is_regex in rows:
            if is_regex:
                self._add_expression(entry_id, pattern, action)
            else:
                self._add_words(entry_id, pattern, action)

    # -- building -----------------------------------------------------------------
    def _add_words(self, entry_id, pattern, action):
        parts = TOKEN_RE.findall(pattern.lower())
        if not parts:
            return
        if len(parts) == 1:
            word = parts[0]
            entry = WatchedEntry(entry_id, pattern, action, runs_pattern(leet_forms(word)[0]))
            for key in word_keys(word):
                self.words.setdefault(key, []).append(entry)
            return
        entry = WatchedEntry(entry_id, pattern, action)
        steps = tuple(frozenset(word_keys(part)) for part in parts)
        for key in steps[0]:
            self.phrases.setdefault(key, []).append((steps, entry))
        for step in steps:
            self.phrase_keys |= step

    def _add_expression(self, entry_id, pattern, action):
        try:
            compiled = patterns.compile_one(pattern)
        except regex.error:
            logger.warning("watched expression %s is invalid and was skipped", entry_id)
            return
        entry = WatchedEntry(entry_id, pattern, action)
        self.expressions.append((patterns.required_literals(pattern), compiled, entry))

    # -- scanning -----------------------------------------------------------------
    def scan(self, text):
        """Every match of a watched entry in `text`, in order of position."""
        lowered = text.lower()
        tokens = split_tokens(lowered)
        unique = set(tokens)
        spaced = spaced_runs(text, tokens, unique)
        suspects = unique.union(token for _start, _end, token in spaced) if spaced else unique
        hits, keys_seen = {}, set()
        for token in suspects - self._clean:
            keys, entries = self._analyze(token)
            if entries:
                hits[token] = entries
            keys_seen |= keys
        found = self._expression_matches(text, lowered)
        if (keys_seen and self._phrase_possible(keys_seen)) or (hits and len(lowered) != len(text)):
            found.extend(self._positioned_matches(text))
        elif hits:
            found.extend(self._located_matches(text, lowered, hits, unique, spaced))
        return sorted(found, key=lambda match: match.start)

    def _analyze(self, token):
        """(keys that matter for phrases, matching entries) for one token; remembers clean tokens."""
        if token in self._clean:
            return _NOTHING
        if token.isdigit():  # numbers are many and mostly unique: look up, never remember
            return frozenset(), tuple(self.words.get(token, ()))
        known = self._analysis.get(token)
        if known is not None:
            return known
        keys = token_keys(token)
        hits = []
        for key in keys:
            for entry in self.words.get(key, ()):
                if entry not in hits and (entry.runs is None or any(entry.runs.search(f) for f in leet_forms(token))):
                    hits.append(entry)
        phrase_keys = frozenset(keys & self.phrase_keys)
        if not hits and not phrase_keys:
            if len(self._clean) >= CACHE_LIMIT:
                self._clean.clear()
            self._clean.add(token)
            return _NOTHING
        result = (phrase_keys, tuple(hits))
        if len(self._analysis) >= CACHE_LIMIT:
            self._analysis.clear()
        self._analysis[token] = result
        return result

    def _phrase_possible(self, keys_seen):
        """True when every word of some phrase occurs somewhere in the text."""
        return any(
            all(not step.isdisjoint(keys_seen) for step in steps)
            for key in keys_seen.intersection(self.phrases)
            for steps, _entry in self.phrases[key]
        )

    def _located_matches(self, text, lowered, hits, unique, spaced):
        """Find where the matching tokens are, without tokenizing again."""
        found = []
        for token, entries in hits.items():
            if token not in unique:
                continue
            start = lowered.find(token)
            while start >= 0:
                end = start + len(token)
                if not is_token_char(lowered[start - 1:start]) and not is_token_char(lowered[end:end + 1]):
                    found.extend(WordMatch(entry, start, end, text[start:end]) for entry in entries)
                start = lowered.find(token, end)
        for start, end, token in spaced:
            found.extend(WordMatch(entry, start, end, text[start:end]) for entry in hits.get(token, ()))
        return found

    def _positioned_matches(self, text):
        """Words and phrases, token by token (texts with a possible phrase, or unusual casing)."""
        placed = [(start, end, self._analyze(token)) for start, end, token in positioned_tokens(text)]
        found = []
        for i, (start, end, (keys, hits)) in enumerate(placed):
            found.extend(WordMatch(entry, start, end, text[start:end]) for entry in hits)
            for key in keys:
                for steps, entry in self.phrases.get(key, ()):
                    last = i + len(steps) - 1
                    if last < len(placed) and all(
                        not steps[k].isdisjoint(placed[i + k][2][0]) for k in range(len(steps))
                    ):
                        found.append(WordMatch(entry, start, placed[last][1], text[start:placed[last][1]]))
        return found

    def _expression_matches(self, text, lowered):
        """Admins' expressions, all within `patterns.RUN_TIMEOUT`; what runs out of time is skipped."""
        found = []
        deadline = time.monotonic() + patterns.RUN_TIMEOUT
        for literals, compiled, entry in self.expressions:
            if literals is not None and not any(literal in lowered for literal in literals):
                continue
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise TimeoutError
                found.extend(
                    WordMatch(entry, m.start(), m.end(), m.group())
                    for m in compiled.finditer(text, timeout=remaining) if m.end() > m.start()
                )
            except TimeoutError:
                logger.warning("watched expression %s timed out on a %d-character text; skipped", entry.id, len(text))
        return found


def mask_text(matched):
    """`goblok` -> `g*****`: the first character stays so the sentence still reads."""
    return matched[:1] + "*" * (len(matched) - 1)


def watched_words(submission):
    """Reasons for every watched word, phrase or expression in the text."""
    seen = set()
    for match in submission.index.scan(submission.text):
        entry = match.entry
        if entry.action == MASK:
            yield Reason(
                MASK, "watched.mask", MESSAGES[MASK](match.text), detail=match.text,
                span=(match.start, match.end), replacement=mask_text(match.text), rule=entry.pattern,
            )
        elif entry.id not in seen:
            seen.add(entry.id)
            yield Reason(
                entry.action, f"watched.{entry.action}", MESSAGES[entry.action](match.text),
                detail=match.text, rule=entry.pattern,
            )
