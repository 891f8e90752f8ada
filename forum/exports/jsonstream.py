"""Stream a JSON document whose last member is a long array, one item at a time.

The head (the summary, the totals) is small and dumped whole; the array's
items (one per comment, aspiration or response) are dumped as they are read,
so the document never sits in memory whole.
"""
import json

from forum.exports.files import ExportFile


def json_file(filename, chunks):
    """A streamed JSON ExportFile of `chunks` (a generator, run while the file is sent)."""
    return ExportFile(filename, "application/json", chunks=chunks)


def json_chunks(head, key, items):
    """Yield the JSON text of `head` (a non-empty dict) with `key` added last, holding `items` as an array."""
    yield json.dumps(head, ensure_ascii=False)[:-1] + f', "{key}": ['
    separator = ""
    for item in items:
        yield separator + json.dumps(item, ensure_ascii=False)
        separator = ","
    yield "]}"
