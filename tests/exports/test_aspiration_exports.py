"""Aspiration exports for an agency: what is in them, what never is, and who may have them."""
import csv
import io
import json

import pytest
from openpyxl import load_workbook

from forum.errors import Forbidden, ValidationFailed
from forum.reports import aspirations as aspiration_reports
from forum.services import summaries, tokens
from tests.aspirations.conftest import aspiration_in, staff, submit  # noqa: F401  (fixtures)
from tests.factories import no_post_rate  # noqa: F401  (fixture)


def text_of(export):
    return "".join(export.chunks)


def csv_rows(export):
    return list(csv.DictReader(io.StringIO(text_of(export)[1:])))


def test_forwarded_aspirations_with_response_times(aspiration_in, official):
    answered = aspiration_in("answered")
    waiting = aspiration_in("forwarded", title="Lampu jalan padam di Serpong")
    aspiration_in("verified", title="Belum diteruskan")
    aspiration_in("forwarded", title="Rahasia warga", visibility="confidential")
    rows = {int(row["aspiration_id"]): row for row in csv_rows(summaries.export_aspirations(official, "csv"))}
    assert set(rows) == {answered.id, waiting.id}
    assert rows[answered.id]["state"] == "answered" and rows[answered.id]["on_time"] == "True"
    assert float(rows[answered.id]["response_hours"]) >= 0
    assert rows[waiting.id]["on_time"] == "" and rows[waiting.id]["response_hours"] == ""
    assert rows[answered.id]["kecamatan"] == "Pondok Aren"
    assert rows[answered.id]["author"].startswith("W-")
    assert answered.author.display_name not in json.dumps(rows)


def test_filters_and_formats_agree(aspiration_in, official):
    aspiration_in("answered")
    aspiration_in("forwarded", title="Jalan berlubang", category="infrastruktur")
    only_answered = csv_rows(summaries.export_aspirations(official, "csv", states=["answered"]))
    assert [row["state"] for row in only_answered] == ["answered"]
    by_category = csv_rows(summaries.export_aspirations(official, "csv", category="infrastruktur"))
    assert [row["title"] for row in by_category] == ["Jalan berlubang"]
    assert csv_rows(summaries.export_aspirations(official, "csv", kecamatan="serpong")) == []
    document = json.loads(text_of(summaries.export_aspirations(official, "json")))
    assert len(document["aspirations"]) == 2
    assert document["totals"]["by_state"] == {"answered": 1, "forwarded": 1}
    assert document["totals"]["on_time"] == 1 and document["totals"]["awaiting"] == 1
    workbook = load_workbook(summaries.export_aspirations(official, "xlsx").path)
    assert workbook["Aspirasi"].max_row == 3
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_hostile_text_is_neutralised(aspiration_in, official):
    aspiration_in("forwarded", title="=HYPERLINK(\"http://evil.example\")", body="Hubungi 081234567890 segera.")
    row = csv_rows(summaries.export_aspirations(official, "csv"))[0]
    assert row["title"].startswith("'=")
    assert "081234567890" not in row["text"]


def test_who_may_export_aspirations(aspiration_in, official, resident, moderator, admin):
    aspiration_in("forwarded")
    for outsider in (resident, moderator, None):
        with pytest.raises(Forbidden):
            summaries.export_aspirations(outsider, "csv")
    with pytest.raises(ValidationFailed) as refused:
        summaries.export_aspirations(admin, "csv")
    assert "agency" in refused.value.fields
    assert len(csv_rows(summaries.export_aspirations(admin, "csv", agency="diskominfo"))) == 1


def test_pdf_report_holds_the_totals_and_the_newest_rows(app, aspiration_in, official, monkeypatch):
    oldest = aspiration_in("answered", title="Jalan rusak di Jurang Mangu")
    newest = aspiration_in("forwarded", title="Lampu jalan padam di Serpong")
    aspiration_in("forwarded", title="Rahasia warga", visibility="confidential")
    export = summaries.export_aspirations(official, "pdf")
    assert export.filename.endswith(".pdf") and export.mimetype == "application/pdf"
    with open(export.path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    monkeypatch.setattr(aspiration_reports, "PDF_ROWS", 1)
    html = aspiration_reports.report_html(official.agency, aspiration_reports.AspirationFilters())
    assert newest.title in html and oldest.title not in html and "Rahasia warga" not in html
    assert "1 aspirasi terbaru dari 2" in html  # Indonesian, the default language


def test_bad_filters_are_named(official):
    with pytest.raises(ValidationFailed) as refused:
        summaries.export_aspirations(official, "docx", states=["lost"], category="nope")
    assert set(refused.value.fields) == {"format", "status", "category"}
    with pytest.raises(ValidationFailed):
        summaries.export_aspirations(official, "csv", since="31-12-2026")


def test_pages_and_api(client, login, aspiration_in, official, resident):
    aspiration_in("forwarded")
    _row, raw = tokens.create_token(official, official, "test")
    login(official)
    assert client.get("/dinas/ekspor-aspirasi").status_code == 200
    download = client.get("/dinas/ekspor-aspirasi?format=csv&status=forwarded")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    assert len(list(csv.DictReader(io.StringIO(download.get_data().decode("utf-8")[1:])))) == 1
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert client.get("/dinas/ekspor-aspirasi?format=docx").status_code == 422
    login(resident)
    assert client.get("/dinas/ekspor-aspirasi").status_code == 403
    answer = client.get("/api/v1/aspirations/export?format=json", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 200 and len(json.loads(answer.get_data())["aspirations"]) == 1
    assert client.get("/api/v1/aspirations/export?format=csv").status_code == 401
