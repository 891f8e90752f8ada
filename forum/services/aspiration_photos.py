"""Photos on aspirations: checked by content, re-encoded without metadata, stored by generated name.

At most three per aspiration, each JPEG, PNG or WebP of at most 5 MB. The
bytes are opened with Pillow (the name and the declared type are ignored),
so anything that is not really such an image is refused. Every photo is
re-encoded (JPEG, or PNG when it has transparency), which drops EXIF and
GPS data, and is reduced to at most 1600 px; a 320 px copy serves lists.
Files live in UPLOAD_DIR (forum/services/attachments.py) under random
names; nothing a user types becomes a path. Photos come with a new
aspiration (forum/services/aspirations.py `submit_aspiration`) or are added
by its author while it waits for verification (`add_photos`).
"""
import io
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l, lazy_ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from forum import activity
from forum.errors import Conflict, NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.models import AspirationPhoto, AspirationState
from forum.permissions import require
from forum.services import on_rollback, transaction
from forum.services.attachments import upload_dir

MAX_PHOTOS = 3
MAX_BYTES = 5 * 1024 * 1024
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
FULL_SIZE = 1600
THUMB_SIZE = 320
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding


@dataclass
class CheckedPhoto:
    full: bytes
    thumb: bytes
    extension: str
    width: int
    height: int


def _given(files):
    return [f for f in files or () if f is not None and getattr(f, "filename", None)]


def _encode(image, keep_alpha):
    buffer = io.BytesIO()
    if keep_alpha:
        image.save(buffer, "PNG", optimize=True)
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def _check(file_storage):
    data = file_storage.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationFailed(fields={"photos": _l("Each photo may be at most 5 MB.")})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationFailed(fields={"photos": _l("Only JPEG, PNG or WebP photos can be added.")})
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationFailed(fields={"photos": _l("This photo has too many pixels.")})
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed(fields={"photos": _l("This file is not a photo we can read (JPEG, PNG or WebP).")}) \
            from None
    keep_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    if keep_alpha:
        image = image.convert("RGBA")
    full = image.copy()
    full.thumbnail((FULL_SIZE, FULL_SIZE))
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE))
    return CheckedPhoto(full=_encode(full, keep_alpha), thumb=_encode(thumb, keep_alpha),
                        extension="png" if keep_alpha else "jpg", width=full.width, height=full.height)


def read_photos(files, room=MAX_PHOTOS):
    """Check every uploaded photo (at most `room`) before anything is stored; a list of CheckedPhoto."""
    given = _given(files)
    if len(given) > room:
        message = lazy_ngettext("Add at most %(num)d photo.", "Add at most %(num)d photos.", room)
        raise ValidationFailed(fields={"photos": message})
    return [_check(file_storage) for file_storage in given]


def store(aspiration, photos):
    """Write the files and add their rows after its photos, in the caller's transaction.

    The files written are removed again if that transaction does not commit.
    """
    if not photos:
        return
    written = []
    on_rollback(lambda: discard(written))
    directory = upload_dir()
    for position, photo in enumerate(photos, start=len(aspiration.photos) + 1):
        stem = secrets.token_hex(16)
        names = (f"{stem}.{photo.extension}", f"{stem}-kecil.{photo.extension}")
        for name, data in zip(names, (photo.full, photo.thumb)):
            path = directory / name
            path.write_bytes(data)
            written.append(path)
        db.session.add(AspirationPhoto(aspiration=aspiration, position=position, stored_name=names[0],
                                       thumb_name=names[1], width=photo.width, height=photo.height))


def discard(paths):
    """Remove files written for a transaction that did not commit."""
    for path in paths:
        path.unlink(missing_ok=True)


@transaction()
def add_photos(actor, aspiration, files):
    """The author adds photos to `aspiration` while it is `submitted`, up to three in all; one transaction.

    Forbidden to anyone else; a Conflict once it has moved on or has three.
    The row lock makes a concurrent verification or upload wait, so the
    state and the count read here are the ones the commit lands on.
    """
    require(actor, "aspiration.add_photos", aspiration)
    db.session.refresh(aspiration, with_for_update=True)
    if aspiration.state != AspirationState.SUBMITTED:
        raise Conflict(_l("Photos can be added only while the aspiration waits for verification."),
                       code="wrong_state")
    room = MAX_PHOTOS - len(aspiration.photos)
    if room <= 0:
        raise Conflict(_l("This aspiration already has %(max)d photos.", max=MAX_PHOTOS), code="photos_full")
    photos = read_photos(files, room)
    if not photos:
        raise ValidationFailed(fields={"photos": _l("Choose at least one photo.")})
    store(aspiration, photos)
    activity.touch(aspiration.id)  # its page shows the photos; the session hook sees only content rows
    return aspiration


def photo_file(viewer, photo_id, thumb=False):
    """(path, mimetype) of a photo whose aspiration `viewer` may read; NotFound otherwise."""
    photo = db.session.get(AspirationPhoto, photo_id) if 0 < photo_id <= MAX_ID else None
    if photo is None or not photo.aspiration.is_visible_to(viewer):
        raise NotFound()
    name = photo.thumb_name if thumb else photo.stored_name
    path = upload_dir() / name
    if not path.is_file():
        raise NotFound()
    return path, "image/png" if name.endswith(".png") else "image/jpeg"
