"""The outbox hook: one row per indexed change, in the same transaction as the change."""
import pytest
from sqlalchemy import select

from forum import search
from forum.extensions import db
from forum.models import Content, ContentStatus, SearchOutbox


@pytest.fixture
def quiet(app):
    """Keep the rows in the outbox: no applying after commit."""
    app.config["SEARCH_APPLY_AFTER_COMMIT"] = False
    return app


def ops(rows):
    return [(row.content_id, row.op) for row in rows]


def test_new_content_writes_an_upsert_row_in_its_transaction(quiet, write, outbox_rows):
    content = write("Jalan rusak di depan sekolah.", commit=False)
    db.session.flush()
    in_transaction = db.session.scalars(select(SearchOutbox)).all()
    assert ops(in_transaction) == [(content.id, "upsert")]
    db.session.commit()
    assert ops(outbox_rows()) == [(content.id, "upsert")]


def test_rollback_leaves_neither_content_nor_outbox_row(quiet, write, outbox_rows):
    write("Banjir setinggi lutut.", commit=False)
    db.session.flush()
    db.session.rollback()
    assert outbox_rows() == []
    assert db.session.query(Content).count() == 0


def test_content_not_public_writes_a_delete_row(quiet, write, outbox_rows):
    content = write("Ditahan untuk ditinjau.", status=ContentStatus.PENDING)
    assert ops(outbox_rows()) == [(content.id, "delete")]


@pytest.mark.parametrize("status", [ContentStatus.HIDDEN, ContentStatus.REMOVED, ContentStatus.DELETED])
def test_status_change_writes_a_row(quiet, write, outbox_rows, status):
    content = write("Lampu jalan mati.")
    content.status = status
    db.session.commit()
    assert ops(outbox_rows()) == [(content.id, "upsert"), (content.id, "delete")]


def test_edit_writes_a_row(quiet, write, outbox_rows):
    content = write("Sampah menumpuk.")
    content.body_html = "<p>Sampah menumpuk di pasar.</p>"
    db.session.commit()
    assert len(outbox_rows()) == 2


def test_counter_changes_write_no_row(quiet, write, outbox_rows):
    content = write("Trotoar rusak.")
    content.up_count += 3
    content.flag_count += 1
    content.reply_count += 2
    db.session.commit()
    assert len(outbox_rows()) == 1


def test_setting_a_loaded_field_to_the_same_value_writes_no_row(quiet, write, outbox_rows):
    content = write("Parkir liar.")
    assert content.status == ContentStatus.PUBLISHED  # loaded: the hook can see nothing changed
    content.status = ContentStatus.PUBLISHED
    db.session.commit()
    assert len(outbox_rows()) == 1


def test_renaming_an_author_reindexes_their_content(quiet, write, resident, outbox_rows):
    first, second = write("Satu."), write("Dua.")
    resident.display_name = "Nama Baru"
    db.session.commit()
    assert sorted(ops(outbox_rows())[2:]) == [(first.id, "upsert"), (second.id, "upsert")]


def test_one_flush_of_several_contents_writes_one_row_each(quiet, write, outbox_rows):
    contents = [write(f"Isi {n}.", commit=False) for n in range(3)]
    db.session.commit()
    assert sorted(row.content_id for row in outbox_rows()) == sorted(c.id for c in contents)


def test_commit_applies_the_rows_to_the_index(write, find):
    content = write("Genangan air di Jalan Merdeka.")
    assert find("genangan") == [content.id]


def test_after_commit_failure_never_reaches_the_caller(write, find, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(search.indexer, "apply_pending", broken)
    content = write("Pohon tumbang.")  # commits without raising
    assert content.id is not None
    monkeypatch.undo()
    search.sync()
    assert find("pohon") == [content.id]
