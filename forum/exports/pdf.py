"""HTML to PDF with WeasyPrint, fetching nothing from outside the app's own static files.

The summary page's HTML (same template, print stylesheet) becomes the PDF.
User text in it is already escaped; the URL fetcher still refuses anything
but files under `static/` and `data:` URLs, so a PDF build never makes a
network request, whatever an `<img>` in the page might say.
"""
import os
import tempfile
from urllib.parse import unquote, urlsplit

from flask import current_app
from weasyprint import HTML, default_url_fetcher

from forum.exports.files import ExportFile


def html_to_pdf(html, base_url=None):
    """Render `html` (a string) and return the PDF bytes.

    `base_url` resolves relative links; by default the app's static folder,
    so `/static/css/site.css`-style links in the template work.
    """
    static_dir = os.path.realpath(current_app.static_folder)
    document = HTML(string=html, base_url=base_url or _static_base_url(static_dir),
                    url_fetcher=_local_fetcher(static_dir))
    return document.write_pdf()


def pdf_file(html, name):
    """An ExportFile named `name` holding `html` rendered to PDF, in a temporary file."""
    handle, path = tempfile.mkstemp(prefix="musyawarah-", suffix=".pdf")
    with os.fdopen(handle, "wb") as output:
        output.write(html_to_pdf(html))
    return ExportFile(name, "application/pdf", path=path)


def _static_base_url(static_dir):
    return "file://" + os.path.dirname(static_dir) + "/"


def _local_fetcher(static_dir):
    def fetch(url, *args, **kwargs):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return default_url_fetcher(url, *args, **kwargs)
        if parts.scheme == "file":
            path = os.path.realpath(unquote(parts.path))
            if path.startswith(static_dir + os.sep):
                return default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"PDF rendering fetches only the app's static files, not {url!r}")

    return fetch
