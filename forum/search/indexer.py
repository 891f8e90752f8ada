"""Keeping the index in step with the database: apply, rebuild, verify.

One writer at a time. `apply_pending` takes Whoosh's writer lock without
waiting (or waits `wait` seconds, for the CLI); if another process holds it
the rows stay in the outbox for that writer's next round, for the next commit
anywhere, or for `search sync`. Rows are applied in id order, in batches: for
each content id the current row is read from the database and the ONE
visibility rule (`Content.is_public`) decides: upsert the document, or delete
it. The database is the truth, so re-applying a row is always harmless.

The vocabulary (`words` field, see schema.py) is not stored per document:
each batch adds one small `vocab:` document holding the words the index has
not seen before. A civic corpus soon stops producing new words, so this costs
far fewer postings than indexing every document's words twice.
"""
import logging
import math
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import and_, false, func, not_, or_, select
from sqlalchemy.orm import Session, selectin_polymorphic
from whoosh.index import LockError

from forum.models import Content, ContentStatus
from forum.models.search import SearchOutbox
from forum.search import reader, store
from forum.search.schema import VOCABULARY_PREFIX, index_fields

log = logging.getLogger(__name__)

BATCH_ROWS = 500
BOOTSTRAP_MAX_DOCUMENTS = 5000  # a web process builds a missing index only for a small database
REBUILD_CHUNK = 1000
REBUILD_SEGMENT_DOCS = 10_000  # one segment per this many documents (per process): no spill to disk
WRITER_OPTIONS = {"limitmb": 256}
RECENT_IDS_WINDOW = 10_000  # ids below a rebuild's snapshot that may still commit


# -- reading content -----------------------------------------------------------
def _content_classes():
    return [mapper.class_ for mapper in Content.__mapper__.self_and_descendants]


def _load_statement():
    classes = _content_classes()
    options = [option for cls in classes if "search_loader_options" in vars(cls)
               for option in cls.search_loader_options()]
    statement = select(Content).options(*options)
    if len(classes) > 1:
        statement = statement.options(selectin_polymorphic(Content, classes[1:]))
    return statement


def load_documents(session, content_ids):
    """{content id: index fields} for the ids that are public now."""
    statement = _load_statement().where(Content.id.in_(content_ids))
    return {content.id: index_fields(content.id, content.search_document())
            for content in session.scalars(statement) if content.is_public}


def public_documents(session, chunk=REBUILD_CHUNK):
    """Every public content as (id, index fields), newest first, in bounded memory.

    Newest first, because a search that stops early over a very common word
    (reader.MATCH_BUDGET) then keeps the most recent matches.
    """
    statement = _load_statement().where(Content.status == ContentStatus.PUBLISHED)
    before = None
    while True:
        page = statement if before is None else statement.where(Content.id < before)
        batch = list(session.scalars(page.order_by(Content.id.desc()).limit(chunk)))
        if not batch:
            return
        for content in batch:
            if content.is_public:
                yield content.id, index_fields(content.id, content.search_document())
        before = batch[-1].id
        session.expunge_all()


def _add_vocabulary(writer, words):
    if words:
        writer.add_document(id=f"{VOCABULARY_PREFIX}{uuid.uuid4().hex}", words=" ".join(sorted(words)))


# -- applying the outbox ---------------------------------------------------------
def _pending_rows(session, state, limit):
    condition = SearchOutbox.id > state.last_id
    if state.gaps:
        condition = or_(condition, *(SearchOutbox.id.between(low, high) for low, high, _since in state.gaps))
    statement = (select(SearchOutbox.id, SearchOutbox.content_id)
                 .where(condition).order_by(SearchOutbox.id).limit(limit))
    return session.execute(statement).all()


def _apply_batch(ix, directory, engine, wait, root):
    """Apply one batch under the writer lock: number of rows, or None if locked."""
    try:
        writer = ix.writer(timeout=wait)
    except LockError:
        return None
    try:
        state = store.OutboxState.load(directory)  # read under the lock
        with Session(engine) as session:
            rows = _pending_rows(session, state, BATCH_ROWS)
            content_ids = sorted({content_id for _row_id, content_id in rows})
            documents = load_documents(session, content_ids) if rows else {}
        if not rows:
            writer.cancel()
            return 0
        _write_batch(writer, content_ids, documents, _open_searcher(writer, root, directory))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    state.advanced([row_id for row_id, _content_id in rows]).save(directory)
    return len(rows)


def _open_searcher(writer, root, directory):
    """This process's open searcher (reader.py) if it sees exactly the writer's segments.

    Whoosh's update_document opens a searcher over every segment for each
    document it replaces, over 100 ms on a large index; the searcher the
    process keeps for queries is usually one refresh away from the same view.
    """
    if root is None:
        return None
    try:
        opened = reader.open_index(root)
    except store.IndexUnavailable:
        return None
    if opened.directory == directory and opened.generation == writer.generation - 1:
        return opened.searcher
    return None


def _write_batch(writer, content_ids, documents, searcher=None):
    own = searcher is None
    searcher = searcher or writer.searcher()
    try:
        known = searcher.reader()
        new_words = set()
        for content_id in content_ids:
            writer.delete_by_term("id", str(content_id), searcher=searcher)
            fields = documents.get(content_id)
            if fields is not None:
                new_words.update(word for word in fields.pop("words", "").split() if ("words", word) not in known)
                writer.add_document(**fields)
        _add_vocabulary(writer, new_words)
    finally:
        if own:
            searcher.close()


def _has_pending(engine, directory):
    with Session(engine) as session:
        return bool(_pending_rows(session, store.OutboxState.load(directory), 1))


@dataclass
class Applied:
    rows: int = 0
    locked: bool = False  # another writer held the lock: rows may remain


def apply_into(ix, directory, engine, wait=0.0, root=None):
    """Apply every pending row to the index in `directory` (the current one of `root`, if given)."""
    result = Applied()
    while _has_pending(engine, directory):
        count = _apply_batch(ix, directory, engine, wait, root)
        if count is None:
            result.locked = True
            break
        result.rows += count
    return result


def apply_pending(root, engine, wait=0.0, bootstrap_limit=None):
    """Apply pending outbox rows to the current index under `root`.

    A missing index (a new installation, or a folder lost from disk) is built
    from the database when it holds at most `bootstrap_limit` published
    contents (default BOOTSTRAP_MAX_DOCUMENTS; math.inf: any number);
    otherwise it needs `search rebuild`. Never from the outbox alone:
    `search prune` deletes applied rows, so it no longer holds every change.
    Raises store.IndexUnavailable when it cannot work.
    """
    if store.current_dir(root) is None:
        _bootstrap(root, engine, BOOTSTRAP_MAX_DOCUMENTS if bootstrap_limit is None else bootstrap_limit, wait)
    ix, directory = store.open_index(root)
    return apply_into(ix, directory, engine, wait, root)


def _bootstrap(root, engine, limit, wait):
    with Session(engine) as session:
        count = session.scalar(select(func.count()).select_from(Content)
                               .where(Content.status == ContentStatus.PUBLISHED))
    if count > limit:
        raise store.IndexUnavailable(f"no search index in {root}: run `search rebuild`")
    # A caller that may not wait (a web request) leaves the building to whoever holds the lock.
    with store.layout_lock(root, blocking=wait > 0) as locked:
        if locked and store.current_dir(root) is None:
            _build(root, engine)


# -- rebuilding ------------------------------------------------------------------
def _snapshot_state(session):
    """The outbox position a rebuild starts from, with recent unseen ids as gaps."""
    last_id = session.scalar(select(func.max(SearchOutbox.id))) or 0
    low = max(last_id - RECENT_IDS_WINDOW, 0)
    seen = session.scalars(select(SearchOutbox.id).where(SearchOutbox.id > low)).all()
    return store.OutboxState(low).advanced(seen) if seen else store.OutboxState(last_id)


def rebuild(root, engine, on_progress=None, procs=1):
    """Build a new generation from the database, catch up, swap it in.

    The old generation keeps answering (and taking incremental updates) until
    the swap, which happens while holding its writer lock after a last
    catch-up, so no change is lost in between. With `procs` > 1 the analysis
    and segment writing run in that many worker processes (Whoosh's MpWriter)
    while this one reads the database. Returns the number of documents.
    """
    with store.layout_lock(root):
        return _build(root, engine, on_progress, procs)


def _build(root, engine, on_progress=None, procs=1):
    """`rebuild` under the layout lock: a new generation from the database, swapped in."""
    with Session(engine) as session:
        state = _snapshot_state(session)
        total = session.scalar(select(func.count()).select_from(Content)
                               .where(Content.status == ContentStatus.PUBLISHED))
        ix, directory = store.new_generation(root)
        count = _write_all(ix, public_documents(session), total, on_progress, procs)
    state.save(directory)
    apply_into(ix, directory, engine)
    _swap_in(root, ix, directory, engine)
    return count


def _rebuild_writer(ix, procs):
    if procs > 1:
        return ix.writer(procs=procs, multisegment=True, **WRITER_OPTIONS)
    return ix.writer(**WRITER_OPTIONS)


def _write_all(ix, documents, total, on_progress, procs=1):
    count = 0
    words = set()
    writer = _rebuild_writer(ix, procs)
    try:
        for count, (_content_id, fields) in enumerate(documents, start=1):
            words.update(fields.pop("words", "").split())
            writer.add_document(**fields)
            if count % (REBUILD_SEGMENT_DOCS * procs) == 0:
                writer.commit(merge=False)
                writer = _rebuild_writer(ix, procs)
            if on_progress and count % 100 == 0:
                on_progress(count, total)
        _add_vocabulary(writer, words)
        writer.commit(merge=False)
    except BaseException:
        writer.cancel()
        raise
    written = ix.doc_count() - (1 if words else 0)  # the vocabulary document
    if written != count:  # a worker process died: its segment is missing
        raise RuntimeError(f"search rebuild wrote {written} of {count} documents")
    if on_progress:
        on_progress(count, total)
    return count


def _swap_in(root, ix, directory, engine):
    try:
        old_ix, _old_directory = store.open_index(root)
        old_writer = old_ix.writer(timeout=60.0)
    except (store.IndexUnavailable, LockError):
        old_writer = None  # nothing usable to hold still: swap anyway
    try:
        apply_into(ix, directory, engine)
        store.swap(root, directory)
    finally:
        if old_writer is not None:
            old_writer.cancel()


# -- verifying -------------------------------------------------------------------
@dataclass
class Verification:
    missing: list = field(default_factory=list)  # public in the database, absent from the index
    extra: list = field(default_factory=list)    # in the index, not public (or gone)
    stale: list = field(default_factory=list)    # indexed, but the document changed since
    pending: int = 0                             # outbox rows not applied yet (counted to 10,000)

    @property
    def ok(self):
        return not (self.missing or self.extra or self.stale)

    def differences(self):
        """One line per kind of difference, naming up to 20 ids."""
        kinds = (("missing from the index", self.missing), ("not public but indexed", self.extra),
                 ("indexed but changed since", self.stale))
        return [f"{len(ids)} {label}: {', '.join(map(str, ids[:20]))}{' ...' if len(ids) > 20 else ''}"
                for label, ids in kinds if ids]


def verify(root, engine):
    """Compare every indexed document with the database (raises IndexUnavailable)."""
    ix, directory = store.open_index(root)
    with ix.searcher() as searcher:
        indexed = {int(stored["id"]): stored.get("digest") for stored in searcher.all_stored_fields()
                   if not stored["id"].startswith(VOCABULARY_PREFIX)}
    result = Verification()
    with Session(engine) as session:
        for content_id, fields in public_documents(session):
            digest = indexed.pop(content_id, None)
            if digest is None:
                result.missing.append(content_id)
            elif digest != fields["digest"]:
                result.stale.append(content_id)
        state = store.OutboxState.load(directory)
        result.pending = len(_pending_rows(session, state, 10_000))
    result.missing.sort()
    result.stale.sort()
    result.extra = sorted(indexed)
    return result


def prune(root, engine, before):
    """Delete outbox rows written before `before` that this index has applied.

    Rows this index has not applied (above its last id, or in one of its
    gaps: ids that may still commit) stay, so pruning never loses an update
    for the index it runs beside. Another node whose index lags behind the
    pruned rows must run `search rebuild`. Returns the number of rows deleted.
    """
    _ix, directory = store.open_index(root)
    state = store.OutboxState.load(directory)
    table = SearchOutbox.__table__
    unseen = [table.c.id.between(low, high) for low, high, _since in state.gaps]
    condition = and_(table.c.id <= state.last_id, table.c.created_at < before, not_(or_(false(), *unseen)))
    with engine.begin() as connection:
        return connection.execute(table.delete().where(condition)).rowcount


def follow(root, engine, seconds, interval=0.5):
    """Tail the outbox for `seconds` (a node keeping its own local index)."""
    deadline = time.monotonic() + seconds
    total = Applied()
    while True:
        applied = apply_pending(root, engine, wait=interval, bootstrap_limit=math.inf)
        total.rows += applied.rows
        if time.monotonic() >= deadline:
            return total
        time.sleep(interval)
