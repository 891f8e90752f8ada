"""Flask download responses for exports: streamed text or a finished temporary file.

Both carry `Content-Disposition: attachment` (with an ASCII fallback name
and the exact name as RFC 5987 `filename*`) and `Cache-Control: no-store`,
so neither a browser nor a proxy keeps a copy of residents' feedback.
"""
import os
import unicodedata
from urllib.parse import quote

from flask import Response, request, stream_with_context
from werkzeug.wsgi import wrap_file


def content_disposition(filename):
    """`attachment; filename="..."; filename*=UTF-8''...` for any file name."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in ascii_name) or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _download(response, filename):
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def streamed_download(chunks, filename, mimetype):
    """Send text chunks (an iterator of str) as they are produced, encoded as UTF-8."""
    encoded = (chunk.encode("utf-8") for chunk in chunks)
    return _download(Response(stream_with_context(encoded), mimetype=mimetype), filename)


def file_download(path, filename, mimetype):
    """Send a finished temporary file and delete it once the response is closed."""
    handle = open(path, "rb")
    response = Response(wrap_file(request.environ, handle), mimetype=mimetype, direct_passthrough=True)
    response.content_length = os.path.getsize(path)
    response.call_on_close(lambda: os.unlink(path))
    return _download(response, filename)


def bytes_download(payload, filename, mimetype):
    """Send bytes already in memory (a PDF of a bounded summary)."""
    return _download(Response(payload, mimetype=mimetype), filename)
