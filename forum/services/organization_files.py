"""An organization's files: the public logo and the private supporting document.

The logo goes through the aspiration photos' check (forum/services/aspiration_photos.py):
opened by Pillow whatever its name, re-encoded without metadata and reduced,
here to the 320 px size. The supporting document is a PDF (checked by its
signature, as policy attachments are) or a JPEG (re-encoded the same way, at
full size), at most 10 MB; it is served only to admins and verifiers, as a
download. Files live in UPLOAD_DIR under random names, written inside the
caller's transaction and removed again if it does not commit.
"""
import secrets

from flask_babel import lazy_gettext as _l

from forum.errors import NotFound, ValidationFailed
from forum.services import aspiration_photos, on_rollback
from forum.services.attachments import EOF_MARKER, EOF_WINDOW, MAX_BYTES, PDF_MAGIC, upload_dir

PDF = "application/pdf"
JPEG = "image/jpeg"


def _given(file_storage):
    return file_storage is not None and bool(getattr(file_storage, "filename", None))


def _as_image(file_storage, field):
    """A CheckedPhoto of the upload, its problem named on `field`."""
    try:
        (photo,) = aspiration_photos.read_photos([file_storage], room=1)
    except ValidationFailed as error:
        raise ValidationFailed(fields={field: error.fields["photos"]}) from None
    return photo


def read_logo(file_storage):
    """(bytes, extension) of the re-encoded logo, None when none was given; ValidationFailed on `logo`."""
    if not _given(file_storage):
        return None
    photo = _as_image(file_storage, "logo")
    return photo.thumb, photo.extension


def read_document(file_storage):
    """(bytes, extension, mimetype) of the supporting document; ValidationFailed on `document`."""
    if not _given(file_storage):
        raise ValidationFailed(fields={"document": _l("Attach a supporting document (PDF or JPEG).")})
    head = file_storage.stream.read(len(PDF_MAGIC))
    file_storage.stream.seek(0)
    if head == PDF_MAGIC:
        data = file_storage.stream.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValidationFailed(fields={"document": _l("The document may be at most 10 MB.")})
        if EOF_MARKER not in data[-EOF_WINDOW:]:
            raise ValidationFailed(fields={"document": _l("This PDF is incomplete or damaged.")})
        return data, "pdf", PDF
    try:
        photo = _as_image(file_storage, "document")
    except ValidationFailed:
        raise ValidationFailed(fields={"document": _l("The document must be a PDF or a JPEG image.")}) from None
    return photo.full, photo.extension, JPEG if photo.extension == "jpg" else "image/png"


def write(data, extension):
    """Store `data` under a new random name in the current transaction; return the name."""
    name = f"{secrets.token_hex(16)}.{extension}"
    path = upload_dir() / name
    on_rollback(lambda: path.unlink(missing_ok=True))
    path.write_bytes(data)
    return name


def remove_after_commit(name):
    """Delete a replaced file (called once the change that replaced it committed)."""
    if name:
        (upload_dir() / name).unlink(missing_ok=True)


def stored_path(name):
    """The path of a stored file; NotFound when there is none."""
    path = upload_dir() / name if name else None
    if path is None or not path.is_file():
        raise NotFound()
    return path
