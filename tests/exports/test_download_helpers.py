"""Download responses and PDF rendering: headers, file clean-up, no outside fetches."""
import os

from forum.exports.pdf import html_to_pdf
from forum.exports.response import content_disposition, file_download, streamed_download


def test_content_disposition_has_ascii_fallback_and_rfc5987_name():
    header = content_disposition("ringkasan-perda-ruang-terbuka-hijau-é.csv")
    assert header.startswith('attachment; filename="ringkasan-perda-ruang-terbuka-hijau-e.csv"')
    assert "filename*=UTF-8''ringkasan-perda-ruang-terbuka-hijau-%C3%A9.csv" in header
    hostile = content_disposition('a"b\r\n.csv')
    assert hostile.startswith('attachment; filename="a_b__.csv"; ')
    assert "\r" not in hostile and "\n" not in hostile


def test_streamed_download_is_not_cached(app):
    with app.test_request_context():
        response = streamed_download(iter(["a,b\r\n", "1,2\r\n"]), "x.csv", "text/csv")
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.response) == b"a,b\r\n1,2\r\n"


def test_file_download_removes_the_temporary_file(app, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"PK data")
    with app.test_request_context():
        response = file_download(str(path), "export.xlsx", "application/octet-stream")
        assert b"".join(response.response) == b"PK data"
        response.close()
    assert not os.path.exists(path)


def test_html_to_pdf_renders_and_fetches_nothing_outside(app):
    html = ('<html><body><h1>Ringkasan</h1><img src="http://example.com/track.png">'
            '<img src="file:///etc/passwd"></body></html>')
    with app.app_context():
        pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
