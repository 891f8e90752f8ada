"""The transaction helper of the services: commit at the end, roll back on any error, nest."""
from io import BytesIO

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from forum.extensions import db
from forum.models import Attachment, User
from forum.services import TransactionSpoiled, attachments, on_rollback, transaction
from tests.factories import make_policy


@pytest.fixture
def committed_name(app):
    """The display name of a user as another connection reads it: only what was committed."""

    def read(user_id):
        with db.engine.connect() as connection:
            return connection.scalar(select(User.display_name).where(User.id == user_id))

    return read


def test_a_block_commits_at_its_end(resident, committed_name):
    with transaction():
        resident.display_name = "Nama Baru"
        db.session.flush()
    assert committed_name(resident.id) == "Nama Baru"


def test_an_error_rolls_back_and_is_raised_again(resident, committed_name):
    with pytest.raises(KeyError):
        with transaction():
            resident.display_name = "Nama Baru"
            db.session.flush()
            raise KeyError("boom")
    assert committed_name(resident.id) != "Nama Baru"
    assert resident.display_name != "Nama Baru"  # the session forgot the change too


def test_the_decorator_keeps_the_return_value_and_commits(resident, committed_name):
    @transaction()
    def rename(user, name):
        user.display_name = name
        return user

    assert rename(resident, "Nama Baru") is resident
    assert committed_name(resident.id) == "Nama Baru"


def test_nested_blocks_commit_once_at_the_outermost(resident, committed_name):
    with transaction():
        with transaction():
            resident.display_name = "Nama Baru"
            db.session.flush()
        assert committed_name(resident.id) != "Nama Baru"  # the inner block did not commit
    assert committed_name(resident.id) == "Nama Baru"


def test_an_error_in_an_inner_block_rolls_back_the_whole_unit(resident, make_user, committed_name):
    other = make_user()
    with pytest.raises(KeyError):
        with transaction():
            other.display_name = "Lain"
            with transaction():
                resident.display_name = "Nama Baru"
                raise KeyError("boom")
    assert committed_name(other.id) != "Lain"
    assert committed_name(resident.id) != "Nama Baru"


def test_an_inner_error_caught_outside_spoils_the_unit(resident, committed_name):
    with pytest.raises(TransactionSpoiled):
        with transaction():
            resident.display_name = "Nama Baru"
            try:
                with transaction():
                    raise KeyError("boom")
            except KeyError:
                pass
    assert committed_name(resident.id) != "Nama Baru"


def test_the_depth_is_reset_after_an_error(resident, committed_name):
    with pytest.raises(KeyError):
        with transaction():
            with transaction():
                raise KeyError("boom")
    with transaction():  # a fresh outermost block: it commits again
        resident.display_name = "Nama Baru"
    assert committed_name(resident.id) == "Nama Baru"
    assert db.session.info.get("transaction_depth") is None
    assert db.session.info.get("transaction_spoiled") is None


def test_undo_steps_run_only_when_the_unit_rolls_back(resident):
    undone = []
    with transaction():
        on_rollback(lambda: undone.append("committed unit"))
    with pytest.raises(KeyError):
        with transaction():
            with transaction():
                on_rollback(lambda: undone.append("inner step"))
            raise KeyError("boom")  # the inner block had ended, but its unit had not
    assert undone == ["inner step"]


def test_undo_needs_an_open_transaction(app):
    with pytest.raises(RuntimeError):
        on_rollback(lambda: None)


def test_a_file_written_for_a_commit_that_fails_is_removed(app, official, monkeypatch):
    policy = make_policy(official.agency)
    pdf = FileStorage(stream=BytesIO(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), filename="a.pdf")

    def refuse():
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patch:
        patch.setattr(db.session, "commit", refuse)
        with pytest.raises(RuntimeError):
            attachments.add_attachment(official, policy, pdf)
    assert list(attachments.upload_dir().iterdir()) == []
    assert db.session.scalar(select(Attachment.id)) is None
