"""Running a search: parsed query -> Whoosh query -> highlighted, paged results.

Each query word becomes one term of the `text` field (its stem), a phrase
the pair terms of its words, a compound (`Covid-19`) "its joined form or the
pair of its parts", a prefix the stems of the most frequent words starting
with it (reader.py). Words are all required unless joined by OR; excluded
words are subtracted. Filters restrict each term's matcher rather than
the collector (reader.Restricted). Matches are counted only a few pages
ahead: beyond that the total is Whoosh's estimate.
"""
import math
import re
from collections import Counter

from whoosh import query as wq

from forum.search.analysis import pairs, query_groups, tokens
from forum.search.highlight import mark
from forum.search.parser import Group, Phrase, clean, parse
from forum.search.reader import BestCollector, Budget, NewestCollector, Restricted, open_index
from forum.search.results import Filters, SearchHit, SearchResults

MIN_PREFIX = 2
RELATED_TERMS = 8
EXCERPT_LENGTH = 240
COUNT_PAGES_AHEAD = 3  # matches are counted exactly up to this many pages past the current one
FACETS = ("kind", "category", "kecamatan")


# -- building the Whoosh query ---------------------------------------------------
def _term(stemmed):
    return wq.Term("text", stemmed)


def _phrase(stems):
    if len(stems) == 1:
        return _term(stems[0])
    terms = [wq.Term("pairs", pair) for pair in pairs(stems)]
    return terms[0] if len(terms) == 1 else wq.And(terms)


class QueryBuilder:
    """Turns a parsed Group into a Whoosh query; collects what to highlight and check."""

    def __init__(self, opened, everything=None):
        self.opened = opened
        self.everything = everything  # what an exclusion-only query subtracts from
        self.stems = set()      # matched stems, for highlighting
        self.words = []         # (word as typed, folded, stem) of plain words, for "did you mean"

    def build(self, group):
        positives, negatives = [], []
        for clause in group.clauses:
            alternatives = [q for q in (self._unit(unit, clause.negated) for unit in clause.alternatives)
                            if q is not None]
            if alternatives:
                combined = alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)
                (negatives if clause.negated else positives).append(combined)
        if not positives and not negatives:
            return None
        if not positives:
            positives = [self.everything or wq.Every("kind")]
        main = positives[0] if len(positives) == 1 else wq.And(positives)
        return wq.AndNot(main, wq.Or(negatives)) if negatives else main

    def _unit(self, unit, negated):
        if isinstance(unit, Group):
            return self.build(unit)
        if isinstance(unit, Phrase):
            stems = [s for _joined, parts in query_groups(unit.text) for _folded, s in parts]
            self._remember(stems, negated)
            return _phrase(stems) if stems else None
        if unit.prefix:
            return self._prefix(unit.text, negated)
        return self._word(unit.text, negated)

    def _remember(self, stems, negated):
        if not negated:
            self.stems.update(stems)

    def _word(self, text, negated):
        queries = []
        for joined, parts in query_groups(text):
            stems = [s for _folded, s in parts]
            self._remember(stems + ([joined[1]] if joined else []), negated)
            if joined is None and len(parts) == 1:
                if not negated:
                    self.words.append((text, parts[0][0], parts[0][1]))
                queries.append(_term(parts[0][1]))
            elif joined is None:
                queries.append(_phrase(stems))
            else:
                queries.append(wq.Or([_term(joined[1]), _phrase(stems)]))
        if not queries:
            return None
        return queries[0] if len(queries) == 1 else wq.And(queries)

    def _prefix(self, text, negated):
        groups = query_groups(text)
        folded = groups[-1][1][-1][0] if groups else ""
        if len(groups) != 1 or len(groups[0][1]) != 1 or len(folded) < MIN_PREFIX:
            return self._word(text, negated)  # too short or not one word: a plain word
        stems = self.opened.expand(folded)
        self._remember(stems, negated)
        return wq.Or([_term(s) for s in stems]) if stems else wq.NullQuery


# -- running a search ------------------------------------------------------------
def run(root, text, filters, sort="relevance", page=1, per_page=20, facets=False, max_results=1000):
    """Search the index under `root` (raises store.IndexUnavailable)."""
    opened = open_index(root)
    filter_query = filters.query()
    builder = QueryBuilder(opened, everything=filter_query)
    main = builder.build(parse(text))
    results = SearchResults(query=clean(text), page=page, per_page=per_page,
                            sort=sort, max_results=max_results)
    if main is None and filter_query is None:
        return results  # nothing asked: nothing found, no error
    budget = Budget()
    if main is None:  # filters only: browse, newest first
        main, results.sort = filter_query, "newest"
    elif filter_query is not None:
        main = main.accept(lambda q: Restricted(q, filter_query, opened, budget) if isinstance(q, wq.Term) else q)
    start = (page - 1) * per_page
    # Collect a few pages beyond this one: if fewer match, the count is exact.
    counted = min(max_results, start + per_page * COUNT_PAGES_AHEAD) + 1
    limit = max(counted, start + per_page) if start < max_results else counted
    visited = [] if facets else None  # facets count every match: no quality skipping then
    collector = (NewestCollector(limit, record=visited) if results.sort == "newest"
                 else BestCollector(limit=limit, usequality=not facets, record=visited))
    opened.searcher.search_with_collector(main, collector)
    found = collector.results()
    if collector.complete and not budget.exhausted and collector.visited < limit:
        results.total = collector.visited
    else:
        results.total = max(limit, main.estimate_size(opened.reader))
        results.total_exact = False
    if start < max_results:
        results.items = [_hit(hit, builder.stems) for hit in found[start:start + per_page]]
    if builder.words:
        results.suggestion = _suggestion(opened, builder.words, results.query)
    if facets:
        results.facets = _facets(opened, visited)
    return results


def _hit(hit, stems):
    stored = hit.fields()
    return SearchHit.from_stored(
        stored,
        title_html=mark(stored.get("title", ""), stems),
        excerpt_html=mark(stored.get("heading", "") + " " + stored.get("body", "") if stored.get("heading")
                          else stored.get("body", ""), stems, EXCERPT_LENGTH),
        score=hit.score or 0.0,
    )


def _suggestion(opened, words, query_text):
    """The query with each unknown word replaced by its closest indexed word."""
    suggestion, changed = query_text, False
    for typed, folded, stemmed in words:
        if opened.document_frequency(stemmed):
            continue
        better = opened.suggest(folded)
        if better:
            suggestion = re.sub(re.escape(typed), better, suggestion, count=1)
            changed = True
    return suggestion if changed else None


def _facets(opened, docnums):
    """{facet: {code: count}} over the documents `docnums` (kind, category, kecamatan)."""
    counts = {}
    for name in FACETS:
        column = opened.column(name)
        found = Counter()
        for value in Counter(column[docnum] for docnum in docnums).items():
            for code in value[0].split(","):
                if code:
                    found[code] += value[1]
        counts[name] = dict(found)
    return counts


def related(root, text, kinds=(), exclude_id=None, limit=5):
    """Public content about the same things as `text` ("similar aspirations")."""
    opened = open_index(root)
    reader = opened.reader
    counts = Counter(token[1] for token in tokens(text or ""))
    total = max(reader.doc_count(), 1)
    weighted = sorted(((n * math.log(total / (1 + opened.document_frequency(s))), s)
                       for s, n in counts.items() if opened.document_frequency(s)), reverse=True)
    if not weighted:
        return []
    main = wq.Or([_term(s) for _weight, s in weighted[:RELATED_TERMS]])
    filter_query = Filters(kinds=tuple(kinds)).query()
    if filter_query is not None:
        main = Restricted(main, filter_query, opened)
    stems = {s for _weight, s in weighted[:RELATED_TERMS]}
    collector = BestCollector(limit=limit + 1)
    opened.searcher.search_with_collector(main, collector)
    return [_hit(hit, stems) for hit in collector.results() if hit["id"] != str(exclude_id)][:limit]
