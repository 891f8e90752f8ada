"""Flask download responses for exports: `send_export(export_file)` sends what a builder returned.

Every page, API and moderation download sends an `ExportFile`
(forum/exports/files.py) through `send_export`, which picks streamed text, a
finished temporary file or bytes in memory. A streamed body is produced
after the view has returned, on the request's own database session (see
`streamed_download`). Every download carries
`Content-Disposition: attachment` (with an ASCII fallback name and the exact
name as RFC 5987 `filename*`) and `Cache-Control: no-store`, so neither a
browser nor a proxy keeps a copy of residents' feedback.
"""
import os
import unicodedata
from urllib.parse import quote

from flask import Response, request, stream_with_context
from werkzeug.wsgi import wrap_file

from forum.extensions import db


def content_disposition(filename):
    """`attachment; filename="..."; filename*=UTF-8''...` for any file name."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in ascii_name) or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def send_export(export):
    """The download response for an ExportFile, with the file's own extra headers last."""
    if export.chunks is not None:
        response = streamed_download(export.chunks, export.filename, export.mimetype)
    elif export.path is not None:
        response = file_download(export.path, export.filename, export.mimetype)
    else:
        response = bytes_download(export.content, export.filename, export.mimetype)
    for name, value in export.headers.items():
        response.headers[name] = value
    return response


def _download(response, filename):
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def streamed_download(chunks, filename, mimetype):
    """Send text chunks (an iterator of str) as they are produced, encoded as UTF-8.

    The chunks are produced while the server sends the body, after the request
    has ended: rows are read in batches as they go out, so memory stays bounded
    whatever the size of the export. `stream_with_context` gives the body the
    request's contexts back, but (since Flask 3.1.2) only once the request's
    teardown has run, and that teardown closes the request's database session:
    the objects the view loaded (the policy, the survey) would be detached,
    and the first lazy attribute the body reads (`policy.agency`) would fail.
    So the body keeps the request's session instead: it leaves the scoped
    registry here, so the teardown has nothing of it to close, and goes back in
    when the body starts. The teardown at the end of the body closes it, and
    closing the response does if the body never runs (a HEAD request).
    """
    session = db.session()
    db.session.registry.clear()
    encoded = (chunk.encode("utf-8") for chunk in _on_session(session, chunks))
    response = Response(stream_with_context(encoded), mimetype=mimetype)
    response.call_on_close(session.close)
    return _download(response, filename)


def _on_session(session, chunks):
    db.session.registry.set(session)
    yield from chunks


def file_download(path, filename, mimetype):
    """Send a finished temporary file and delete it once the response is closed."""
    handle = open(path, "rb")
    response = Response(wrap_file(request.environ, handle), mimetype=mimetype, direct_passthrough=True)
    response.content_length = os.path.getsize(path)
    response.call_on_close(lambda: os.unlink(path))
    return _download(response, filename)


def bytes_download(payload, filename, mimetype):
    """Send bytes already in memory (a small document such as an account's data)."""
    return _download(Response(payload, mimetype=mimetype), filename)
