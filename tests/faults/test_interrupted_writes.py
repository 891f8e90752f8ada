"""Writes that store files beside their rows never leave a row without its file.

A file is written first, then the transaction naming it commits. A refused
commit deletes the file again. A connection that breaks during the commit (a
database restart, a cut network) leaves the outcome unknown: the database may
have saved the rows before the answer was lost, so the files stay; a file no
row names is harmless, a row whose file is gone is not. (A worker killed with
`kill -9` between the two steps leaves at most such an unnamed file.)
"""
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.datastructures import FileStorage

from forum.extensions import db
from forum.models import Aspiration, AspirationPhoto, Attachment, PolicyPhase
from forum.services import aspirations, attachments
from tests.factories import make_policy, no_post_rate  # noqa: F401  (a fixture)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
BROKEN_CONNECTION = OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))
REFUSED = IntegrityError("COMMIT", {}, Exception("duplicate key value violates unique constraint"))


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 40)).save(buffer, "JPEG")
    return FileStorage(stream=io.BytesIO(buffer.getvalue()), filename="foto.jpg")


@pytest.fixture
def next_commit_fails(monkeypatch):
    """The next commit of the app's session raises `error`, after saving when `landed`."""

    def arm(error, landed):
        real_commit = type(db.session).commit
        armed = [True]

        def commit():
            if not armed:
                return real_commit(db.session)
            armed.clear()
            if landed:
                real_commit(db.session)
            raise error

        monkeypatch.setattr(db.session, "commit", commit)

    return arm


@pytest.fixture
def upload_files(app):
    return lambda: sorted(path.name for path in Path(app.config["UPLOAD_DIR"]).glob("*"))


@pytest.fixture
def draft(official):
    return make_policy(official.agency, phase=PolicyPhase.DRAFT)


def add_attachment(official, draft):
    attachments.add_attachment(official, draft, FileStorage(stream=io.BytesIO(PDF), filename="rancangan.pdf"))


def submit_with_photo(resident):
    aspirations.submit_aspiration(
        resident, aspiration_type="complaint", title="Drainase tersumbat di Jalan Raya Jombang",
        body="Setiap hujan air meluap ke jalan.", category="kebencanaan", district="pondok-aren.pondok-betung",
        visibility="public", location="RT 03/RW 05", photos=[jpeg()])


def test_an_attachment_saved_before_the_connection_broke_keeps_its_file(
        client, login, official, draft, next_commit_fails, upload_files):
    next_commit_fails(BROKEN_CONNECTION, landed=True)
    with pytest.raises(OperationalError):
        add_attachment(official, draft)

    attachment = db.session.query(Attachment).one()
    assert upload_files() == [attachment.stored_name]
    assert login(official).get(f"/lampiran/{attachment.id}").data == PDF


def test_a_refused_attachment_leaves_no_file(official, draft, next_commit_fails, upload_files):
    next_commit_fails(REFUSED, landed=False)
    with pytest.raises(IntegrityError):
        add_attachment(official, draft)

    assert db.session.query(Attachment).count() == 0 and upload_files() == []


def test_photos_saved_before_the_connection_broke_keep_their_files(
        resident, no_post_rate, next_commit_fails, upload_files):
    next_commit_fails(BROKEN_CONNECTION, landed=True)
    with pytest.raises(OperationalError):
        submit_with_photo(resident)

    photo = db.session.query(AspirationPhoto).one()
    assert upload_files() == sorted([photo.stored_name, photo.thumb_name])


def test_refused_photos_leave_no_files(resident, no_post_rate, next_commit_fails, upload_files):
    next_commit_fails(REFUSED, landed=False)
    with pytest.raises(IntegrityError):
        submit_with_photo(resident)

    assert db.session.query(Aspiration).count() == 0 and upload_files() == []
