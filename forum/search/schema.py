"""The Whoosh schema, and turning a content's `search_document()` into index fields.

One index holds every kind of content (policies, clauses, aspirations,
comments, responses): results are ranked together and labelled by `kind`, and
one writer lock covers all of it.

Text is matched in two fields, both fed the title, clause heading and body
joined by a section separator (analysis.SECTION):

* `text`: the stems, with frequencies but no positions. Title words weigh 3,
  heading words 2, body words 1 (a boost per token rather than one field per
  part: a query word is then one posting list, not three).
* `pairs`: adjacent stems as one term (`jalan rusak`), so a phrase is a few
  posting lists instead of Whoosh's slow position checks.

`title`, `heading` and `body` are stored (not indexed) for excerpts.
`words` holds the vocabulary as written (analysis.unstemmed_words), carried by
a few `vocab:` documents (indexer.py): prefix queries (`kesehat*` is a
prefix of a word, not of a stem) and "did you mean" read it.

Filter fields are exact codes: `kind`, `category`, `agency`, `status`,
`stance`, `district` (kelurahan codes plus their kecamatan codes, so a
kecamatan filter finds content tagged with one of its kelurahan);
`kind`, `category` and `kecamatan` (comma-joined) are also columns, for
facet counts. `created` is the creation time in epoch
seconds, unsigned 32-bit (until 2106) with a coarse trie step: four terms per
document instead of sixteen, for range filters and "newest" sorting.
`digest` is a hash of the document, which `verify` compares with the database.
"""
import hashlib
import json
from bisect import bisect_left

from whoosh import formats
from whoosh.codec import whoosh3
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, FieldType, Schema
from whoosh.matching import ReadTooFar
from whoosh.system import pack_uint

from forum.search.analysis import SECTION, pair_terms, stem_terms, unstemmed_words

TEXT_PARTS = ("title", "heading", "body")
PART_BOOSTS = (3.0, 2.0, 1.0)
COLUMN_FIELDS = ("kind", "category", "kecamatan", "created")
VOCABULARY_PREFIX = "vocab:"  # ids of the documents that only carry new words (indexer.py)


class TermsField(FieldType):
    """A text field indexed from a function of its value: {term: (frequency, weight)}.

    No positions (phrases use the pair terms) and no per-document lengths
    (the scorer in reader.py does not normalize by length), so it costs one
    posting per distinct term; Whoosh's token-by-token analyzer protocol is
    skipped, which halves the indexing work.
    """

    def __init__(self, terms, boosts=()):
        self.terms, self.boosts = terms, tuple(boosts)
        self.format = formats.Frequency()
        self.scorable = self.stored = self.unique = False
        self.vector = None

    def __eq__(self, other):
        return type(other) is type(self) and (other.terms, other.boosts) == (self.terms, self.boosts)

    def index(self, value, **kwargs):
        found = self.terms(value, self.boosts) if self.boosts else self.terms(value)
        for term, (frequency, weight) in found.items():
            yield term.encode("utf-8"), frequency, weight, pack_uint(frequency)


def build_schema():
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True, sortable=True),
        title=STORED,
        heading=STORED,
        body=STORED,
        text=TermsField(stem_terms, PART_BOOSTS),
        pairs=TermsField(pair_terms),
        words=KEYWORD(scorable=False),
        category=ID(stored=True, sortable=True),
        agency=ID(stored=True),
        district=KEYWORD(commas=True),
        districts=STORED,
        kecamatan=ID(sortable=True),
        status=ID(stored=True),
        stance=ID(stored=True),
        author=STORED,
        created=NUMERIC(numtype=int, bits=32, signed=False, shift_step=8, stored=True, sortable=True),
        url=STORED,
        digest=STORED,
    )


def _epoch(moment):
    return int(moment.timestamp()) if moment is not None else 0


def _codes(values):
    return sorted({value for value in (values or ()) if value})


def index_fields(content_id, document):
    """Map a `search_document()` dict to the keyword arguments of add_document."""
    districts = _codes(document.get("districts"))
    kecamatan = _codes(code.split(".", 1)[0] for code in districts)
    fields = {
        "id": str(content_id),
        "kind": document["kind"],
        "title": document.get("title") or "",
        "heading": document.get("heading") or "",
        "body": document.get("body") or "",
        "category": document.get("category") or "",
        "agency": document.get("agency") or "",
        "district": ",".join(sorted(set(districts) | set(kecamatan))),
        "districts": ",".join(districts),
        "kecamatan": ",".join(kecamatan),
        "status": document.get("status") or "",
        "stance": document.get("stance") or "",
        "author": document.get("author") or "",
        "created": _epoch(document.get("created_at")),
        "url": document.get("url") or "",
    }
    fields["digest"] = digest(fields)
    fields["text"] = fields["pairs"] = SECTION.join(fields[name] for name in TEXT_PARTS)
    fields["words"] = " ".join(sorted(unstemmed_words(fields["text"])))
    # Empty values are left out (an empty ID would still cost a posting),
    # except in column fields: a segment without a column breaks Whoosh's
    # multi-segment column reader.
    return {name: value for name, value in fields.items() if value != "" or name in COLUMN_FIELDS}


def digest(fields):
    """A stable hash of the stored fields, for `verify`."""
    payload = {name: fields[name] for name in sorted(fields)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()[:32]


def _speed_up_whoosh():
    """Two fixes to Whoosh 2.7.4 internals (pinned; the project is unmaintained).

    Same results, less work:

    * Writing a segment looks for a lengths column on disk for every posting
      of a field that has none (our text fields): a `stat` per posting. A
      segment's files never change, so a miss may be remembered.
    * A posting list's `skip_to` steps through a block one posting at a time;
      a block's ids are a sorted tuple, so bisect. Phrases and multi-word
      queries leapfrog with `skip_to` between long posting lists.
    """
    cached_reader = whoosh3.W3PerDocReader._cached_reader

    def remembering_cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            self._readers[fieldname] = cached_reader(self, fieldname, column)
        return self._readers[fieldname]

    def bisecting_skip_to(self, targetid):
        if not self.is_active():
            raise ReadTooFar
        if targetid <= self.id():
            return
        if targetid > self.block_max_id():
            self._skip_to_block(lambda: targetid > self.block_max_id())
            if not self.is_active():
                return
            if self._ids is None:
                self._read_ids()
        self._i = bisect_left(self._ids, targetid, self._i)

    whoosh3.W3PerDocReader._cached_reader = remembering_cached_reader
    whoosh3.W3LeafMatcher.skip_to = bisecting_skip_to


_speed_up_whoosh()
