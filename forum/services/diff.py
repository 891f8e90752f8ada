"""Clause-by-clause comparison of two versions of a policy, with word-level changes.

Sections are paired by `clause_key`, which a clause keeps across versions even
when clauses are inserted or reordered. Each pair is `unchanged`, `changed`
(heading or text differ), or `moved` (same text, but its place among the
other clauses changed); a clause only in the new version is `added`, one only
in the old version `removed`.

The word-level diff works on the Markdown sources and returns `Markup` built
from escaped text plus `<ins>` and `<del>` only: every token is escaped before
it is wrapped, so no user text can become markup here (this output does not
go through the bleach allowlist of forum/text.py).
"""
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from markupsafe import Markup, escape

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
MOVED = "moved"
UNCHANGED = "unchanged"

# Words, runs of whitespace, and single punctuation marks: whitespace is kept
# as tokens so the rendered text keeps its line breaks.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class ClauseDiff:
    """One clause across two versions; `old` or `new` is None when added or removed."""

    status: str
    old: object
    new: object
    moved: bool
    heading_html: Markup
    body_html: Markup

    @property
    def clause_key(self):
        return (self.new or self.old).clause_key


def word_diff(old_text, new_text):
    """Escaped `new_text` with deletions in `<del>` and insertions in `<ins>`."""
    old_tokens = _TOKENS.findall(old_text or "")
    new_tokens = _TOKENS.findall(new_text or "")
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    parts = []
    for op, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(new_tokens[new_start:new_end])))
            continue
        if op in ("delete", "replace"):
            parts.append(Markup("<del>%s</del>") % "".join(old_tokens[old_start:old_end]))
        if op in ("insert", "replace"):
            parts.append(Markup("<ins>%s</ins>") % "".join(new_tokens[new_start:new_end]))
    return Markup("").join(parts)


def _moved_keys(old_order, new_order):
    """Keys of paired clauses outside the longest common subsequence of the two orders."""
    matcher = SequenceMatcher(None, old_order, new_order, autojunk=False)
    kept = set()
    for block in matcher.get_matching_blocks():
        kept.update(new_order[block.b:block.b + block.size])
    return set(new_order) - kept


def section_diff(old_version, new_version):
    """List of ClauseDiff in reading order: the new version's clauses, removed ones where they were."""
    old_sections = list(old_version.sections)
    new_sections = list(new_version.sections)
    old_by_key = {section.clause_key: section for section in old_sections}
    new_keys = {section.clause_key for section in new_sections}
    paired_old_order = [s.clause_key for s in old_sections if s.clause_key in new_keys]
    paired_new_order = [s.clause_key for s in new_sections if s.clause_key in old_by_key]
    moved = _moved_keys(paired_old_order, paired_new_order)

    # A removed clause is shown after the clause that preceded it in the old version.
    removed_after = {}
    previous_key = None
    for section in old_sections:
        if section.clause_key not in new_keys:
            removed_after.setdefault(previous_key, []).append(section)
        else:
            previous_key = section.clause_key

    result = [_removed(section) for section in removed_after.get(None, [])]
    for section in new_sections:
        old = old_by_key.get(section.clause_key)
        result.append(_added(section) if old is None else _paired(old, section, section.clause_key in moved))
        result.extend(_removed(gone) for gone in removed_after.get(section.clause_key, []))
    return result


def _added(section):
    return ClauseDiff(
        ADDED, None, section, False,
        word_diff("", section.heading), word_diff("", section.body_source),
    )


def _removed(section):
    return ClauseDiff(
        REMOVED, section, None, False,
        word_diff(section.heading, ""), word_diff(section.body_source, ""),
    )


def _paired(old, new, moved):
    same = old.heading == new.heading and old.body_source == new.body_source
    if same:
        status = MOVED if moved else UNCHANGED
    else:
        status = CHANGED
    return ClauseDiff(
        status, old, new, moved,
        word_diff(old.heading, new.heading), word_diff(old.body_source, new.body_source),
    )
