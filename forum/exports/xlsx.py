"""XLSX workbooks written row by row (openpyxl write-only mode) into a temporary file.

Every sheet has its header row frozen, filters on the header and set column
widths; every cell goes through `safe_cell`, and text longer than a cell can
hold (32,767 characters) is cut with an ellipsis. Memory stays bounded
whatever the number of rows: openpyxl streams the sheets to disk.
"""
import os
import tempfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from forum.exports.cells import safe_cell
from forum.exports.files import ExportFile

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CELL_LIMIT = 32767
DEFAULT_WIDTH = 16
_BOLD = Font(bold=True)


class XlsxBuilder:
    """Add sheets in order, then `save()` to get the path of the finished file (or `file()` an ExportFile).

    The caller removes the file when done (`forum.exports.response.file_download` does).
    """

    def __init__(self):
        self._workbook = Workbook(write_only=True)

    def add_sheet(self, title, header, rows, widths=None):
        """A sheet named `title` (at most 31 characters) with `header` and `rows`.

        `widths` maps column positions (0-based) to a width in characters;
        other columns get a default width.
        """
        sheet = self._workbook.create_sheet(title=title[:31])
        widths = widths or {}
        for position in range(len(header)):
            letter = get_column_letter(position + 1)
            sheet.column_dimensions[letter].width = widths.get(position, DEFAULT_WIDTH)
        sheet.freeze_panes = "A2"
        sheet.append([self._header_cell(sheet, name) for name in header])
        count = 0
        for row in rows:
            sheet.append([_cell_value(value) for value in row])
            count += 1
        last_column = get_column_letter(max(len(header), 1))
        sheet.auto_filter.ref = f"A1:{last_column}{count + 1}"
        return count

    def save(self):
        """Write the workbook to a new temporary file and return its path."""
        handle, path = tempfile.mkstemp(prefix="musyawarah-", suffix=".xlsx")
        os.close(handle)
        self._workbook.save(path)
        return path

    def file(self, filename):
        """The finished workbook as an ExportFile named `filename`."""
        return ExportFile(filename, MIMETYPE, path=self.save())

    @staticmethod
    def _header_cell(sheet, name):
        cell = WriteOnlyCell(sheet, value=_cell_value(name))
        cell.font = _BOLD
        return cell


def _cell_value(value):
    value = safe_cell(value)
    if isinstance(value, str) and len(value) > CELL_LIMIT:
        return value[: CELL_LIMIT - 1] + "…"
    return value
