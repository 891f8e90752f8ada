"""PDF attachments of policies: checked by content, stored by generated name.

A file is accepted only when it is at most 10 MB, starts with the `%PDF-`
signature and has an `%%EOF` marker near its end; the name the uploader gave
only decides the download name. Files live in `app.config["UPLOAD_DIR"]`
under a random name, so nothing a user types becomes a path. Removal keeps the
row (`removed_at`) and deletes the file after the commit.
"""
import hashlib
import os
import re
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.errors import NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.models import Attachment
from forum.permissions import require
from forum.services import on_rollback, transaction
from forum.services.policies import visible_policy
from forum.timeutil import utcnow

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_POLICY = 20
PDF_MAGIC = b"%PDF-"
EOF_MARKER = b"%%EOF"
EOF_WINDOW = 1024  # the PDF spec lets trailing bytes follow %%EOF; allow some
NAME_MAX = 200
_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f/\\]+")


def upload_dir():
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _download_name(filename):
    """A readable download name from what the uploader called the file."""
    name = _UNSAFE_NAME_CHARS.sub(" ", os.path.basename((filename or "").replace("\\", "/"))).strip()
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    return (stem.strip()[: NAME_MAX - 4] or "lampiran") + ".pdf"


def _read_pdf(file_storage):
    """The file's bytes if it is a PDF of allowed size; ValidationFailed otherwise."""
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise ValidationFailed(fields={"file": _l("Choose a PDF file to upload.")})
    data = file_storage.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationFailed(fields={"file": _l("The file is larger than 10 MB. Upload a smaller PDF.")})
    if not data.startswith(PDF_MAGIC) or EOF_MARKER not in data[-EOF_WINDOW:]:
        raise ValidationFailed(fields={"file": _l("This file is not a PDF. Only PDF files can be attached.")})
    return data


def add_attachment(actor, policy, file_storage):
    """Check and store one PDF for `policy`; return the Attachment."""
    require(actor, "policy.draft", policy)
    data = _read_pdf(file_storage)
    count = db.session.scalar(
        select(func.count(Attachment.id)).where(Attachment.policy_id == policy.id, Attachment.removed_at.is_(None))
    )
    if count >= MAX_PER_POLICY:
        raise ValidationFailed(fields={"file": _l("A policy can have at most %(max)d attachments.", max=MAX_PER_POLICY)})
    stored_name = secrets.token_hex(16) + ".pdf"
    path = upload_dir() / stored_name
    with transaction():
        on_rollback(lambda: path.unlink(missing_ok=True))
        path.write_bytes(data)
        attachment = Attachment(
            policy=policy,
            original_name=_download_name(file_storage.filename),
            stored_name=stored_name,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        db.session.add(attachment)
    return attachment


def _find(attachment_id):
    attachment = db.session.get(Attachment, attachment_id) if 0 < attachment_id <= MAX_ID else None
    if attachment is None or attachment.removed_at is not None:
        raise NotFound()
    return attachment


def remove_attachment(actor, attachment_id):
    """Mark the attachment removed and delete its file; return its policy."""
    attachment = _find(attachment_id)
    policy = visible_policy(actor, attachment.policy_id)
    require(actor, "policy.draft", policy)
    stored_name = attachment.stored_name
    with transaction():
        attachment.removed_at = utcnow()
    (upload_dir() / stored_name).unlink(missing_ok=True)
    return policy


def attachment_for_download(user, attachment_id):
    """(attachment, file path) when `user` may read the attachment's policy; else NotFound."""
    attachment = _find(attachment_id)
    visible_policy(user, attachment.policy_id)
    path = upload_dir() / attachment.stored_name
    if not path.is_file():
        raise NotFound()
    return attachment, path


def current_attachments(policy):
    return [attachment for attachment in policy.attachments if attachment.removed_at is None]
