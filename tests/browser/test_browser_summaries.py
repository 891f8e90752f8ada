"""An official reads a consultation's feedback summary in Chromium (no JavaScript) and downloads CSV and XLSX.

The consultation and its feedback come from tests/exports/conftest.py's
fixture (imported below); the download goes through the real page link, and
the file is parsed and compared with the summary the page showed.
"""
import csv
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.steps import log_in
from tests.exports.conftest import consultation, make_consultation, serpong_resident  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_official_reads_the_summary_and_downloads_csv(nojs_page, live_server, t, consultation, tmp_path):
    page = nojs_page
    log_in(page, live_server, t, consultation.official)
    page.goto(live_server(f"/dinas/konsultasi/{consultation.policy.id}/pratinjau"))
    page.get_by_role("link", name=t("Feedback summary of this consultation")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Feedback summary"))
    expect(page.get_by_role("img", name=t("Stance per clause: against to the left, in support to the right"))
           ).to_be_visible()
    figures = page.locator(".summary-figures")
    expect(figures).to_contain_text("6")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=t("CSV (spreadsheet, one row per comment)")).click()
    download = download_info.value
    assert download.suggested_filename == f"ringkasan-konsultasi-{consultation.policy.id}.csv"
    path = tmp_path / "ringkasan.csv"
    download.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == 7
    assert sum(1 for row in rows if row["official_response"] == "False") == 6

    with page.expect_download() as download_info:
        page.get_by_role("link", name=t("Excel workbook (XLSX)")).click()
    workbook_path = tmp_path / "ringkasan.xlsx"
    download_info.value.save_as(workbook_path)
    assert load_workbook(workbook_path)["Komentar"].max_row == 8
