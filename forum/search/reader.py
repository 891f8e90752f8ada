"""Reading the index fast: open searchers, scoring, filtering, collecting.

Searchers stay open between requests (opening one costs far more than a
query): each thread keeps one per index root, checks on every request
whether the `current` generation changed (one readlink) and whether a commit
happened (one directory listing), and then reopens only the segments that
changed. Per searcher it caches prefix expansions, filter document sets and
facet columns; a refresh drops them. The indexer borrows the same searcher
to find the documents it replaces.

Prefix queries (`kesehat*`) do not expand to every matching term (raw Whoosh
prefix queries over a large vocabulary are slow): the vocabulary is scanned
for at most PREFIX_SCAN terms per field, mapped to stems, and the
PREFIX_EXPANSIONS stems with the most documents are searched like words.

A query matching a large part of the index (a very common word) is not
scored in full: the collector visits at most MATCH_BUDGET matches, newest
segments first, and rebuilds write newest content first, so the best of the
most recent matches are returned and the total is an estimate. Facet counts
are taken over the matches visited (exact when the total is).
"""
import threading
from collections import OrderedDict

from whoosh import collectors, scoring, sorting
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.query.wrappers import WrappingQuery
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher
from whoosh.util.text import utf8decode

from forum.search import store
from forum.search.analysis import stem

PREFIX_SCAN = 300
PREFIX_EXPANSIONS = 8
CACHE_SIZE = 256
MATCH_BUDGET = 1000   # matches scored at most, per search
FILTER_BUDGET = 10000  # postings a filter may reject, per search
VOCABULARY_FIELDS = ("words", "text")  # words as written, and words stemming keeps

_local = threading.local()


def _lru_get(cache, key, compute):
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = cache[key] = compute()
    if len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
    return value


class SaturatedTfIdf(scoring.WeightingModel):
    """BM25 without length normalization (b = 0): idf * tf * (k1 + 1) / (tf + k1).

    Posts are short and similar in length, so normalizing by length changes
    little, while looking up each candidate's length was the largest cost of
    scoring. `tf` is the token weight sum, so title words (weight 3) count
    more. Block quality (the block's best weight) lets Whoosh skip blocks
    that cannot reach the top results.
    """

    K1 = 1.2

    def supports_block_quality(self):
        return True

    def scorer(self, searcher, fieldname, text, qf=1):
        # Text fields are stored without lengths (schema.py): "unscorable" to
        # Whoosh, but weights and document frequencies are all this needs.
        idf = searcher.get_parent().idf(fieldname, text)
        return _SaturatedScorer(idf * qf, self.K1, searcher.term_info(fieldname, text).max_weight())


class _SaturatedScorer(scoring.BaseScorer):
    def __init__(self, idf, k1, max_weight):
        self.idf, self.k1 = idf, k1
        self._max = self._score(max_weight)

    def _score(self, weight):
        return self.idf * weight * (self.k1 + 1) / (weight + self.k1)

    def supports_block_quality(self):
        return True

    def score(self, matcher):
        return self._score(matcher.weight())

    def max_quality(self):
        return self._max

    def block_quality(self, matcher):
        return self._score(matcher.block_max_weight())


class OpenIndex:
    """A searcher kept open for one index generation, with its caches."""

    def __init__(self, root):
        self.ix, self.directory = store.open_index(root)
        self.generation = self.ix.latest_generation()
        self.searcher = self.ix.searcher(weighting=SaturatedTfIdf())
        self.segment_columns = OrderedDict()  # (segment reader id, column) -> (reader, values)
        self._reset()

    def _reset(self):
        self.prefixes = OrderedDict()
        self.filters = OrderedDict()
        self.columns = {}

    def refresh(self):
        """Catch up with the index's latest commit, reopening only changed segments.

        Whoosh's own `Searcher.refresh()` means to reuse unchanged segment
        readers but looks them up by the wrong key, so it reopens every
        segment: over 100 ms on a large index, after every write. A segment
        whose id and deletions are unchanged is reused here.
        """
        if self.ix.latest_generation() == self.generation:
            return self
        toc = self.ix._read_toc()
        previous = {reader.segment().segment_id(): reader for reader, _offset in self.reader.leaf_readers()
                    if reader.segment() is not None}
        readers = []
        for segment in toc.segments:
            reader = previous.get(segment.segment_id())
            if reader is not None and set(reader.segment().deleted_docs()) == set(segment.deleted_docs()):
                del previous[segment.segment_id()]
            else:
                reader = SegmentReader(self.ix.storage, toc.schema, segment, generation=toc.generation)
            readers.append(reader)
        for unused in previous.values():
            unused.close()
        if not readers:
            combined = EmptyReader(toc.schema)
        else:
            combined = readers[0] if len(readers) == 1 else MultiReader(readers, generation=toc.generation)
        self.searcher = Searcher(combined, fromindex=self.ix, weighting=self.searcher.weighting)
        self.generation = toc.generation
        self._reset()
        return self

    @property
    def reader(self):
        return self.searcher.reader()

    def document_frequency(self, stemmed):
        return self.reader.doc_frequency("text", stemmed)

    def expand(self, prefix):
        """The stems of the most frequent indexed words starting with `prefix`."""
        return _lru_get(self.prefixes, prefix, lambda: self._expand(prefix))

    def _expand(self, prefix):
        reader = self.reader
        candidates = set()
        for fieldname in VOCABULARY_FIELDS:
            for count, term in enumerate(reader.expand_prefix(fieldname, prefix)):
                if count >= PREFIX_SCAN:
                    break
                word = utf8decode(term)[0]
                candidates.add(stem(word) if fieldname == "words" else word)
        ranked = sorted(((self.document_frequency(s), s) for s in candidates), reverse=True)
        return [s for frequency, s in ranked[:PREFIX_EXPANSIONS] if frequency]

    def segment_docs(self, searcher, filter_query):
        """The set of a segment's document numbers matching `filter_query` (cached)."""
        reader = searcher.reader()
        key = (id(reader), repr(filter_query))
        return _lru_get(self.filters, key, lambda: (reader, set(filter_query.docs(searcher))))[1]

    def column(self, name):
        """A column's values for every document, as one list (facet counts).

        Read once per searcher; segments that did not change since the last
        refresh are reused from the segment cache.
        """
        if name not in self.columns:
            values = []
            for segment, _offset in self.reader.leaf_readers():
                key = (id(segment), name)
                values.extend(_lru_get(self.segment_columns, key,
                                       lambda: (segment, list(segment.column_reader(name))))[1])
            self.columns[name] = values
        return self.columns[name]

    def suggest(self, word):
        """The closest indexed word to a word the index does not know, or None."""
        maxdist = 1 if len(word) <= 4 else 2
        candidates = set()
        for segment, _offset in self.reader.leaf_readers():
            for fieldname in VOCABULARY_FIELDS:
                candidates.update(segment.terms_within(fieldname, word, maxdist, prefix=1))
        ranked = []
        for candidate in candidates:
            frequency = self.document_frequency(stem(candidate))
            if frequency and candidate != word:
                ranked.append((_distance(word, candidate), -frequency, candidate))
        return min(ranked)[2] if ranked else None


def open_index(root):
    """This thread's open searcher for `root` (raises store.IndexUnavailable)."""
    cache = _local.__dict__.setdefault("indexes", {})
    directory = store.current_dir(root)
    if directory is None:
        cache.pop(root, None)
        raise store.IndexUnavailable(f"no search index in {root}")
    opened = cache.get(root)
    if opened is not None and opened.directory == directory:
        try:
            return opened.refresh()
        except FileNotFoundError:
            # A writer merged away a segment between our reading the table of
            # contents and opening it: read the index afresh.
            opened.searcher.close()
    opened = cache[root] = OpenIndex(root)
    return opened


def _distance(a, b):
    """Levenshtein distance (short words only: suggestions)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


# -- filtering and collecting -------------------------------------------------------
class Budget:
    """How many more postings a filtered search may step over (shared by its matchers)."""

    def __init__(self, steps=FILTER_BUDGET):
        self.left = steps

    @property
    def exhausted(self):
        return self.left <= 0


class _Allowed(WrappingMatcher):
    """The child's matches whose ids are in `ids`, giving up when the budget runs out.

    Block-quality skipping passes through to the child (Whoosh's own
    FilterMatcher forgets to filter after a quality skip).
    """

    def __init__(self, child, ids, budget, boost=1.0):
        super().__init__(child, boost)
        self._ids, self._budget = ids, budget
        self._skip()

    def _skip(self):
        child, ids, budget = self.child, self._ids, self._budget
        while child.is_active() and child.id() not in ids and budget.left > 0:
            budget.left -= 1
            child.next()

    def is_active(self):
        return self.child.is_active() and not self._budget.exhausted

    def _replacement(self, newchild):
        return _Allowed(newchild, self._ids, self._budget, self.boost)

    def copy(self):
        return self._replacement(self.child.copy())

    def reset(self):
        self.child.reset()
        self._skip()

    def next(self):
        self.child.next()
        self._skip()
        return True  # may have moved to another block: check quality again

    def skip_to(self, id):
        self.child.skip_to(id)
        self._skip()

    def skip_to_quality(self, minquality):
        skipped = self.child.skip_to_quality(minquality / self.boost)
        self._skip()
        return skipped

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()


class Restricted(WrappingQuery):
    """`child` among the documents matching `filter_query`, within `budget`.

    Whoosh's `filter=` makes the collector visit every match; restricting the
    matcher instead keeps block-quality skipping. Stepping over the matches
    the filter rejects costs time too: a common word under a narrow filter
    stops after FILTER_BUDGET of them (`budget.exhausted` then tells).
    Allowed sets are cached per segment.
    """

    def __init__(self, child, filter_query, opened, budget=None):
        super().__init__(child)
        self.filter_query, self.opened = filter_query, opened
        self.budget = budget or Budget()

    def _rewrap(self, child):
        return Restricted(child, self.filter_query, self.opened, self.budget)

    def matcher(self, searcher, context=None):
        allowed = self.opened.segment_docs(searcher, self.filter_query)
        return _Allowed(self.child.matcher(searcher, context), allowed, self.budget)


class _OverBudget(Exception):
    pass


class _Budgeted:
    """Visit segments newest first; stop after `budget` matches (`complete` tells).

    With `record` (a list), the global number of every visited match is
    appended to it, for facet counts.
    """

    def __init__(self, *args, budget=MATCH_BUDGET, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget, self.visited, self.complete, self.record = budget, 0, True, record

    def run(self):
        try:
            for subsearcher, offset in reversed(list(self.top_searcher.leaf_searchers())):
                self.set_subsearcher(subsearcher, offset)
                self.collect_matches()
        except _OverBudget:
            self.complete = False
        finally:
            self.finish()

    def collect_matches(self):
        collect, record = self.collect, self.record
        for sub_docnum in self.matches():
            collect(sub_docnum)
            if record is not None:
                record.append(self.offset + sub_docnum)
            self.visited += 1
            if self.visited >= self.budget:
                raise _OverBudget


class BestCollector(_Budgeted, collectors.TopCollector):
    """The `limit` best-scored matches."""


class NewestCollector(_Budgeted, collectors.SortingCollector):
    """The `limit` newest matches."""

    def __init__(self, limit, record=None):
        super().__init__(sorting.FieldFacet("created", reverse=True), limit=limit, record=record)
