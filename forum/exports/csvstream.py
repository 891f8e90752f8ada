"""Stream rows as CSV text, so a large export never sits in memory whole.

The first chunk carries a UTF-8 byte order mark: without it Excel reads the
file as the local code page and garbles Indonesian text. Rows are gathered
into chunks of a few hundred so the response is not a write per row.
"""
import csv
import io

from forum.exports.cells import safe_cell
from forum.exports.files import ExportFile

BOM = "\ufeff"
ROWS_PER_CHUNK = 500


def csv_file(filename, header, rows):
    """A streamed CSV ExportFile of `header` and `rows` (Flask adds `; charset=utf-8` to a text type)."""
    return ExportFile(filename, "text/csv", chunks=csv_chunks(header, rows))


def csv_chunks(header, rows):
    """Yield CSV text: the BOM and header row first, then `rows` (iterables of cells)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([safe_cell(name) for name in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(cell) for cell in row])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
