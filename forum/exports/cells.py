"""Neutralise spreadsheet cells against formula injection (CSV and XLSX).

A cell whose text begins with `=`, `+`, `-`, `@`, a tab or a carriage return
(or the full-width `＝ ＋ － ＠`, which some spreadsheet programs fold into
the ASCII ones) may be evaluated as a formula when the file is opened. Such
text gets an apostrophe in front, as OWASP recommends. Control characters
that XML (hence XLSX) cannot hold, NUL among them, are dropped; tab, line
feed and carriage return inside the text stay. Numbers stay numbers.
"""
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_FIRST_CHARACTERS = frozenset(FORMULA_STARTS)
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def safe_cell(value):
    """The value as it may go into a spreadsheet cell.

    None stays None (an empty cell); int, float and bool pass unchanged;
    anything else becomes text, cleaned and neutralised. Called once per
    cell of an export, so the common case (clean text) does no copying.
    """
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = value if isinstance(value, str) else str(value)
    if _UNWRITABLE.search(text):
        text = _UNWRITABLE.sub("", text)
    if text[:1] in _FIRST_CHARACTERS:
        return "'" + text
    return text
