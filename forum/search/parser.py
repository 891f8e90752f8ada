"""The query language, parsed forgivingly: no input is an error.

    banjir jalan            all words (AND)
    banjir OR genangan      either (ATAU works too)
    "jalan rusak"           a phrase
    kesehat*                words starting with a prefix
    -banjir                 exclude (NOT banjir too)
    (banjir OR genangan) -sampah    groups

Whatever does not fit is read as plain words: an unclosed quote gives its
words, a stray `)` is dropped, an unclosed `(` runs to the end, a lone `*` or
`-` means nothing. Control characters become spaces, and the query is cut to
MAX_QUERY_CHARS and MAX_UNITS words so a huge query costs no more than a
long one.
"""
import re
from dataclasses import dataclass

MAX_QUERY_CHARS = 400
MAX_UNITS = 24
MAX_DEPTH = 4

OR_WORDS = frozenset({"OR", "ATAU", "|"})
AND_WORDS = frozenset({"AND", "DAN", "&"})
NOT_WORDS = frozenset({"NOT", "BUKAN"})

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_LEX = re.compile(r'(-*)("[^"]*"?|\(|\)|[^\s()"]+)')


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Group:
    clauses: tuple  # of Clause, all required


@dataclass(frozen=True)
class Clause:
    alternatives: tuple  # of Word, Phrase or Group: any may match
    negated: bool = False


def clean(text):
    """The query text as it will be read: no control characters, bounded."""
    text = _CONTROL.sub(" ", str(text or ""))
    return " ".join(text[:MAX_QUERY_CHARS].split())


def parse(text):
    """Parse a query string into a Group (possibly with no clauses)."""
    tokens = [(bool(dashes), token) for dashes, token in _LEX.findall(clean(text))]
    parser = _Parser(tokens)
    return Group(tuple(parser.sequence(depth=0)))


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.position = 0
        self.units = 0

    def sequence(self, depth):
        clauses = []
        join_next = negate_next = False
        while self.position < len(self.tokens) and self.units < MAX_UNITS:
            negated, token = self.tokens[self.position]
            self.position += 1
            if token == ")":
                if depth:
                    break
                continue  # a stray closing parenthesis
            if not negated and token in OR_WORDS:
                join_next = bool(clauses) and not clauses[-1].negated
                continue
            if not negated and token in AND_WORDS:
                continue
            if not negated and token in NOT_WORDS:
                negate_next = True
                continue
            negated = negated or negate_next
            negate_next = False
            units = self._units(token, depth)
            if not units:
                continue
            if join_next and not negated:
                clauses[-1] = Clause(clauses[-1].alternatives + (units[0],))
                units = units[1:]
            clauses.extend(Clause((unit,), negated) for unit in units)
            join_next = False
        return clauses

    def _units(self, token, depth):
        """The units a token stands for (several for an unclosed quote)."""
        if token == "(":
            if depth >= MAX_DEPTH:
                return []
            inner = self.sequence(depth + 1)
            return [Group(tuple(inner))] if inner else []
        if token.startswith('"'):
            if len(token) > 1 and token.endswith('"'):
                words = token[1:-1].split()
                self.units += len(words)
                return [Phrase(" ".join(words))] if words else []
            return [unit for word in token.strip('"').split() for unit in self._units(word, depth)]
        text = token.rstrip("*")
        if not text.strip("*-"):
            return []
        self.units += 1
        return [Word(text, prefix=token.endswith("*"))]
