"""Admins' regular expressions for watched words: checked before saving, time-limited when run.

An admin's expression must never stall posting. Three guards, in order:

1. `problem()` refuses, with a message, what cannot be saved: too long,
   invalid (the compiler's own error is shown), matching empty text,
   quantified groups that contain a quantifier themselves (`(a+)+`,
   `(.*a){30}`: the classic catastrophic backtracking), and any expression
   that does not finish within `PROBE_TIMEOUT` on adversarial probe texts
   built from its own characters (`(a|aa)+$`).
2. The screen runs the saved expressions (PyPI `regex` module) with
   `timeout=`, all of them together within `RUN_TIMEOUT` per submission: a
   match that takes longer is abandoned (logged), never waited for.

Each expression is compiled on its own, and skipped for texts that lack its
`required_literals()` (substrings one of which every match contains, such
as `gacor` in `gacor\\w*`): a substring test is far cheaper than a scan, and
most texts contain none of them.
"""
import regex
from flask_babel import lazy_gettext as _l

MAX_LENGTH = 200
RUN_TIMEOUT = 0.05      # seconds, for all admin expressions on one submission
PROBE_TIMEOUT = 0.05    # seconds, per probe text when saving
PROBE_LENGTH = 5000
FLAGS = regex.IGNORECASE | regex.VERSION0

_QUANTIFIER_CHARS = "*+{"
MAX_LITERALS = 8
_INLINE_FLAG_RE = regex.compile(r"\(\?[a-zA-Z^-]")


def compile_one(pattern):
    """Compile an admin expression as the screen will (raises regex.error)."""
    return regex.compile(pattern, FLAGS)


def problem(pattern):
    """Why `pattern` may not be saved (a lazy message), or None when it may."""
    if len(pattern) > MAX_LENGTH:
        return _l("A regular expression may have at most %(max)d characters.", max=MAX_LENGTH)
    try:
        compiled = compile_one(pattern)
    except regex.error as error:
        return _l("This regular expression is invalid: %(error)s", error=str(error))
    if compiled.search("") is not None:
        return _l("This regular expression matches empty text, so it would match every post.")
    if has_nested_quantifier(pattern):
        return _l(
            "This regular expression repeats a group that itself contains a repetition "
            "(such as (a+)+), which can take extremely long to check. Please simplify it."
        )
    if not _finishes_on_probes(compiled, pattern):
        return _l("This regular expression takes too long to check on some texts. Please simplify it.")
    return None


def has_nested_quantifier(pattern):
    """True when a repeated group contains a repetition: `(a+)+`, `(.*a){30}`, `(?:x*)*`.

    A small scanner over the pattern: it skips escapes and character classes,
    tracks for each open group whether a quantifier occurred inside it, and
    looks at what follows each closing parenthesis.
    """
    stack = []          # for each open group: has it seen a quantifier?
    for i, char in _outside_classes(pattern):
        if char == "(":
            stack.append(False)
        elif char == ")" and stack:
            inner = stack.pop()
            if inner and _quantified(pattern, i + 1):
                return True
            if stack and (inner or _quantified(pattern, i + 1)):
                stack[-1] = True
        elif char in _QUANTIFIER_CHARS and _quantified(pattern, i) and stack:
            stack[-1] = True
    return False


def _outside_classes(pattern, start=0):
    """(index, char) of every character from `start` that is neither escaped nor in a character class."""
    i = start
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
        elif pattern[i] == "[":
            i = _skip_class(pattern, i)
        else:
            yield i, pattern[i]
            i += 1


def _skip_class(pattern, start):
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _quantified(pattern, i):
    """True when a quantifier that may repeat (not `?`) starts at `i`."""
    if i >= len(pattern):
        return False
    if pattern[i] in "*+":
        return True
    if pattern[i] == "{":
        close = pattern.find("}", i)
        body = pattern[i + 1:close] if close > 0 else ""
        parts = body.split(",")
        if close > 0 and 1 <= len(parts) <= 2 and all(p.strip().isdigit() or p.strip() == "" for p in parts):
            upper = parts[-1].strip()
            return upper == "" or int(upper) > 1
    return False


def required_literals(pattern):
    """Lowercase strings one of which every match contains (the longest found); None if unknown.

    Reads the top level of the pattern only. Plain characters extend a run;
    a small class such as `[l1]` forks it (`slot`, `s1ot`, at most
    `MAX_LITERALS` strings); groups, escapes like `\\d` and optional atoms
    end it. A top-level `|` or an inline flag (which may change how the
    pattern reads) gives nothing.
    """
    if _INLINE_FLAG_RE.search(pattern):
        return None
    best, run = (), [""]
    i, length = 0, len(pattern)
    while i < length:
        char, choices = pattern[i], None
        if char == "|":
            return None
        if char == "[":
            end = _skip_class(pattern, i)
            choices = _small_class(pattern[i + 1:end - 1])
            width = end - i
        elif char == "\\" and not pattern[i + 1:i + 2].isalnum():
            choices, width = pattern[i + 1:i + 2], 2
        elif char not in "()*+?{}.^$\\":
            choices, width = char, 1
        if not choices or len(run) * len(choices) > MAX_LITERALS:
            best, run = _longer(best, run), [""]
            i = _skip_group(pattern, i) if char == "(" else _skip_class(pattern, i) if char == "[" else (
                _skip_quantifier(pattern, i) if char in "*+?{" else i + 1 + (char == "\\"))
            continue
        i += width
        if i < length and (pattern[i] in "*?" or pattern.startswith("{0", i)):
            best, run = _longer(best, run), [""]   # optional: not required
            continue
        run = [text + choice.lower() for text in run for choice in choices]
        if i < length and pattern[i] in "+{":
            best, run = _longer(best, run), [""]   # repeated: required once, but the run ends here
    best = _longer(best, run)
    return best or None


def _small_class(body):
    """The characters of a plain class body such as `l1` or `o0`; None for anything else."""
    if not body or len(body) > 4 or body[0] == "^" or any(char in body for char in "\\-[]"):
        return None
    return body


def _skip_quantifier(pattern, i):
    """The index after the quantifier at `i`, with its lazy `?` or possessive `+`."""
    if pattern[i] == "{":
        close = pattern.find("}", i)
        i = close if close > 0 else i
    i += 1
    return i + 1 if i < len(pattern) and pattern[i] in "?+" else i


def _longer(best, run):
    """The better of the strings found so far and the current run: longer wins."""
    return tuple(run) if run[0] and (not best or len(run[0]) > len(best[0])) else best


def _skip_group(pattern, start):
    """The index just after the parenthesis closing the group opened at `start`."""
    depth = 0
    for i, char in _outside_classes(pattern, start):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return i + 1
    return len(pattern)


def _finishes_on_probes(compiled, pattern):
    letters = sorted({char for char in pattern.lower() if char.isalnum()})[:8] or ["a"]
    probes = [char * PROBE_LENGTH + "\u0000" for char in letters]
    probes.append("".join(letters) * (PROBE_LENGTH // len(letters)) + "\u0000")
    probes.append(" ".join(letters) * (PROBE_LENGTH // (2 * len(letters))) + "\u0000")
    try:
        for probe in probes:
            for _match in compiled.finditer(probe, timeout=PROBE_TIMEOUT):
                pass
    except TimeoutError:
        return False
    return True
