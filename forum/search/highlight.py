"""Highlighted excerpts: escaped text with `<mark>` around the matched words.

The stored plain text is analyzed again (analysis.tokens gives each word's
characters) and a word is marked when its stem is one the query searched for.
The excerpt is the window of about `length` characters with the most distinct
matched stems. Every piece of text is escaped; `<mark>` is the only markup.
"""
from markupsafe import Markup, escape

from forum.search.analysis import tokens

ELLIPSIS = "\u2026"


def _marked_spans(text, stems):
    """(start, end) of each matched word, without overlaps (a compound wins over its parts)."""
    spans = []
    for _folded, stemmed, _position, start, end, _joined in tokens(text):
        if stemmed in stems and not (spans and start < spans[-1][1]):
            spans.append((start, end, stemmed))
    return spans


def _window(text, spans, length):
    """The [start, end) of the excerpt: the window with the most distinct stems."""
    if len(text) <= length:
        return 0, len(text)
    best_start, best_score = 0, -1
    for index, (start, _end, _stem) in enumerate(spans):
        covered = {stem for s, e, stem in spans[index:] if e <= start + length}
        if len(covered) > best_score:
            best_start, best_score = start, len(covered)
    # Open a little before the first match, at a word boundary.
    start = max(0, best_start - length // 5)
    if start:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space > best_start - length // 2 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    return start, end


def mark(text, stems, length=None):
    """`text` (or an excerpt of about `length` characters) with matches marked."""
    text = text or ""
    spans = _marked_spans(text, stems) if stems else []
    start, end = _window(text, spans, length) if length else (0, len(text))
    pieces = [ELLIPSIS] if start > 0 else []
    cursor = start
    for span_start, span_end, _stem in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(Markup("<mark>%s</mark>") % text[span_start:span_end])
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append(ELLIPSIS)
    return Markup("").join(pieces)
