"""The indexer: visibility, idempotence, crashes, the writer lock, gaps, rebuild, verify."""
import os
from datetime import timedelta

import pytest
from whoosh import index as whoosh_index

from forum import search
from forum.extensions import db
from forum.models import Content, ContentStatus, SearchOutbox
from forum.search import indexer, store
from forum.search.schema import VOCABULARY_PREFIX


@pytest.fixture
def root(app):
    return app.config["SEARCH_INDEX_DIR"]


@pytest.fixture
def quiet(app):
    app.config["SEARCH_APPLY_AFTER_COMMIT"] = False
    return app


def indexed(root):
    """{content id: stored fields} of every content document in the index."""
    ix, _directory = store.open_index(root)
    with ix.searcher() as searcher:
        return {int(fields["id"]): fields for fields in searcher.all_stored_fields()
                if not fields["id"].startswith(VOCABULARY_PREFIX)}


@pytest.mark.parametrize("status", [ContentStatus.HIDDEN, ContentStatus.REMOVED, ContentStatus.DELETED,
                                    ContentStatus.PENDING])
def test_content_that_stops_being_public_leaves_the_index(write, find, root, status):
    content = write("Jembatan penyeberangan retak.")
    assert find("jembatan") == [content.id]
    content.status = status
    db.session.commit()
    assert find("jembatan") == []
    assert content.id not in indexed(root)


def test_hidden_content_leaves_the_index_after_sync(quiet, write, find, root):
    content = write("Jembatan penyeberangan retak.")
    search.sync()
    assert find("jembatan") == [content.id]
    content.status = ContentStatus.HIDDEN
    db.session.commit()
    assert find("jembatan") == [content.id]  # not applied yet
    search.sync()
    assert find("jembatan") == []


def test_restored_content_comes_back(write, find):
    content = write("Taman kota kotor.", status=ContentStatus.HIDDEN)
    assert find("taman") == []
    content.status = ContentStatus.PUBLISHED
    db.session.commit()
    assert find("taman") == [content.id]


@pytest.mark.no_search_verify  # the anonymity is faked for the test's duration only
def test_anonymous_content_is_indexed_without_its_author(write, root, monkeypatch):
    monkeypatch.setattr(Content, "is_anonymous", property(lambda self: "rahasia" in self.body_html),
                        raising=False)
    named, anonymous = write("Keluhan biasa."), write("Keluhan rahasia.")
    stored = indexed(root)
    assert stored[named.id]["author"] == named.author.display_name
    assert "author" not in stored[anonymous.id]


def test_applying_the_same_rows_again_changes_nothing(write, root):
    contents = [write(f"Saluran air {n} tersumbat.") for n in range(3)]
    before = indexed(root)
    _ix, directory = store.open_index(root)
    store.OutboxState().save(directory)  # forget the position: everything is applied again
    assert search.sync() == 3
    assert indexed(root) == before
    assert search.verify().ok
    assert sorted(before) == sorted(c.id for c in contents)


def test_a_crash_between_commit_and_recording_the_position_is_recovered(quiet, write, root, monkeypatch):
    write("Lampu taman mati.")
    search.sync()
    applied_so_far = db.session.query(db.func.max(SearchOutbox.id)).scalar()
    content = write("Trotoar berlubang.")

    def crash(self, directory):
        raise SystemExit("killed after the index commit")

    monkeypatch.setattr(store.OutboxState, "save", crash)
    with pytest.raises(SystemExit):
        indexer.apply_pending(root, db.engine)
    monkeypatch.undo()
    _ix, directory = store.open_index(root)
    assert store.OutboxState.load(directory).last_id == applied_so_far  # the crash lost the position...
    assert content.id in indexed(root)                     # ...after the documents were committed
    assert search.sync() == 1
    assert search.verify().ok
    assert len(indexed(root)) == 2


def test_a_crash_before_the_commit_loses_nothing(quiet, write, root, monkeypatch):
    write("Banjir rob.")
    search.sync()
    content = write("Drainase mampet.")
    monkeypatch.setattr(indexer, "load_documents", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        indexer.apply_pending(root, db.engine)
    monkeypatch.undo()
    assert content.id not in indexed(root)
    search.sync()
    assert content.id in indexed(root)


def test_lock_held_by_another_writer_leaves_rows_for_later(write, find, root):
    first = write("Pasar becek.")
    ix, _directory = store.open_index(root)
    other = ix.writer()  # another process is writing
    try:
        second = write("Pasar kumuh.")  # commit: the lock is busy, no error
        applied = indexer.apply_pending(root, db.engine)
        assert applied.locked and applied.rows == 0
        assert find("pasar") == [first.id]
        assert search.verify().missing == [second.id]
    finally:
        other.cancel()
    search.sync()
    assert sorted(find("pasar")) == sorted([first.id, second.id])
    assert search.verify().ok


def test_rows_committed_out_of_order_are_still_applied(quiet, write, root):
    """On PostgreSQL a transaction can take id 2 and commit after id 3 is applied."""
    search.sync()  # an empty index, in step
    contents = [write(f"Pengaduan nomor {n}.") for n in range(3)]
    first, late, last = (row.id for row in db.session.query(SearchOutbox).order_by(SearchOutbox.id))
    late = db.session.get(SearchOutbox, late)
    late_row = {"id": late.id, "content_id": late.content_id, "op": late.op, "created_at": late.created_at}
    db.session.delete(late)  # not committed yet, as far as the indexer can see
    db.session.commit()
    search.sync()
    _ix, directory = store.open_index(root)
    state = store.OutboxState.load(directory)
    assert state.last_id == last and [late.id, late.id] in [gap[:2] for gap in state.gaps]
    assert contents[1].id not in indexed(root)
    db.session.execute(SearchOutbox.__table__.insert().values(**late_row))  # ...now it commits
    db.session.commit()
    search.sync()
    assert contents[1].id in indexed(root)
    assert [late.id, late.id] not in [gap[:2] for gap in store.OutboxState.load(directory).gaps]


def test_gaps_fill_split_and_expire():
    state = store.OutboxState(5, [[2, 4, 0.0]])
    assert state.advanced([6], now=10.0).gaps == [[2, 4, 0.0]]
    assert state.advanced([6], now=store.GAP_SECONDS + 1).gaps == []
    assert state.advanced([3], now=10.0).gaps == [[2, 2, 0.0], [4, 4, 0.0]]
    assert state.advanced([3, 9], now=10.0) == store.OutboxState(9, [[2, 2, 0.0], [4, 4, 0.0], [6, 8, 10.0]])


@pytest.mark.parametrize("procs", [1, 2])
def test_rebuild_equals_incremental(app, write, root, kelurahan, monkeypatch, procs):
    monkeypatch.setitem(app.config, "SEARCH_REBUILD_PROCS", procs)
    monkeypatch.setattr(indexer, "REBUILD_SEGMENT_DOCS", 2)  # several segments, and commits between them
    contents = [write(f"Perbaikan jalan lingkungan nomor {n} di Covid-19 RT/RW 0{n}.") for n in range(9)]
    contents[1].status = ContentStatus.HIDDEN
    contents[2].body_html = "<p>Pembangunan drainase baru.</p>"
    db.session.commit()
    incremental = indexed(root)
    old_directory = store.current_dir(root)
    assert search.rebuild() == 8
    assert store.current_dir(root) != old_directory
    assert old_directory.exists()  # kept one swap longer for searchers still on it
    assert indexed(root) == incremental
    assert search.verify().ok


def test_rebuild_keeps_changes_made_while_it_ran(write, root, monkeypatch):
    write("Sebelum.")
    original = indexer._write_all

    def write_all_then_change(*args):
        count = original(*args)
        write("Sesudah, selama pembangunan indeks.")  # applied to the old generation (or left pending)
        return count

    monkeypatch.setattr(indexer, "_write_all", write_all_then_change)
    search.rebuild()
    monkeypatch.undo()
    assert len(indexed(root)) == 2
    assert search.verify().ok


def test_verify_finds_missing_extra_and_stale_documents(quiet, write, root):
    kept, changed, gone = write("Tetap."), write("Berubah."), write("Hilang.")
    search.sync()
    changed.body_html = "<p>Sudah berubah.</p>"
    gone.status = ContentStatus.REMOVED
    new = write("Baru.")
    result = search.verify()
    assert (result.missing, result.extra, result.stale, result.pending) == ([new.id], [gone.id], [changed.id], 3)
    search.sync()
    assert search.verify().ok
    assert kept.id in indexed(root)


def test_cli_verify_exits_1_on_a_difference_and_0_after_sync(quiet, write, runner):
    search.sync()
    write("Sinyal lemah.")
    result = runner.invoke(args=["search", "verify"])
    assert result.exit_code == 1, result.output
    assert "missing from the index" in result.output
    assert runner.invoke(args=["search", "sync"]).exit_code == 0
    result = runner.invoke(args=["search", "verify"])
    assert result.exit_code == 0, result.output


def test_cli_verify_exits_1_on_a_document_planted_in_the_index(write, runner, root):
    write("Asli.")
    ix, _directory = store.open_index(root)
    with ix.writer() as writer:
        writer.add_document(id="999999", kind="content", category="", created=0, digest="x")
    assert runner.invoke(args=["search", "verify"]).exit_code == 1
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "1 documents" in result.output
    assert runner.invoke(args=["search", "verify"]).exit_code == 0


def test_cli_sync_follow_applies_rows_for_the_given_time(quiet, write, runner, find):
    content = write("Pohon peneduh ditebang.")
    result = runner.invoke(args=["search", "sync", "--follow", "--seconds", "0.3"])
    assert result.exit_code == 0, result.output
    assert find("pohon") == [content.id]


def test_missing_index_reports_unavailable_and_sync_rebuilds_it(quiet, write, root, runner):
    content = write("Halte rusak.")
    assert not search.search("halte").available
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0 and "rebuilding" in result.output
    assert [hit.id for hit in search.search("halte").items] == [content.id]


def test_corrupt_index_reports_unavailable_and_rebuild_repairs_it(write, root):
    content = write("Pipa PDAM bocor.")
    directory = store.current_dir(root)
    for name in os.listdir(directory):
        if name.endswith((".toc", ".seg")):
            with open(directory / name, "wb") as handle:
                handle.write(b"\x00garbage")
    results = search.search("pipa")
    assert not results.available and results.items == []
    with pytest.raises(store.IndexUnavailable):
        search.verify()
    search.rebuild()
    assert [hit.id for hit in search.search("pipa").items] == [content.id]


def test_a_web_process_does_not_build_a_missing_index_for_a_large_database(quiet, write, root, monkeypatch):
    write("Satu.")
    write("Dua.")
    monkeypatch.setattr(indexer, "BOOTSTRAP_MAX_DOCUMENTS", 1)
    with pytest.raises(store.IndexUnavailable):
        indexer.apply_pending(root, db.engine, bootstrap_limit=indexer.BOOTSTRAP_MAX_DOCUMENTS)
    assert store.current_dir(root) is None
    assert not whoosh_index.exists_in(root)


def test_prune_deletes_only_old_rows_the_index_has_applied(quiet, write, runner):
    old_applied = write("Lampu jalan padam.")
    search.sync()
    old_pending = write("Trotoar berlubang.")
    recent_applied = write("Drainase tersumbat.")
    rows = {row.content_id: row for row in SearchOutbox.query}
    long_ago = rows[old_applied.id].created_at - timedelta(days=30)
    rows[old_applied.id].created_at = rows[old_pending.id].created_at = long_ago
    db.session.commit()
    search.sync()  # applies old_pending and recent_applied
    pending_after = write("Halte rusak.")  # not applied: above the index's position
    SearchOutbox.query.filter_by(content_id=pending_after.id).update({"created_at": long_ago})
    db.session.commit()

    result = runner.invoke(args=["search", "prune", "--days", "14"])

    assert result.exit_code == 0, result.output
    assert "2 rows deleted" in result.output
    assert sorted(row.content_id for row in SearchOutbox.query) == [recent_applied.id, pending_after.id]
    search.sync()
    assert search.verify().ok


def test_prune_without_an_index_says_to_rebuild(quiet, write, runner):
    write("Sampah menumpuk.")
    result = runner.invoke(args=["search", "prune"])
    assert result.exit_code != 0 and "search rebuild" in result.output


def test_a_segment_merged_away_during_a_refresh_reopens_the_index(write, find, monkeypatch):
    """Another process's writer may delete a segment between the reader's look at the index and its open."""
    from forum.search import reader

    first = write("Trotoar Jalan Raya Serpong rusak")
    assert find("trotoar") == [first.id]  # this thread now keeps a searcher open
    second = write("Trotoar Pamulang juga rusak")
    real_segment_reader = reader.SegmentReader
    calls = []

    def gone_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise FileNotFoundError("_MAIN_1.seg")
        return real_segment_reader(*args, **kwargs)

    monkeypatch.setattr(reader, "SegmentReader", gone_once)
    assert sorted(find("trotoar")) == sorted([first.id, second.id])
