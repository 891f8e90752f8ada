"""`ExportFile`: what every export builder returns, and how the command line saves one.

Builders (forum/reports/formats.py lists the exports') never make a Flask
response: they return an `ExportFile` holding exactly one body, `chunks`
(an iterator of text, produced while it is sent, for streamed CSV and
JSON), `path` (a finished temporary file, for XLSX, PDF and ZIP) or
`content` (bytes already in memory: a survey's PDF, an account's data).
`forum.exports.response.send_export` sends one; `save` writes one to disk.
"""
import shutil
from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class ExportFile:
    filename: str
    mimetype: str
    chunks: Iterator[str] | None = None
    path: str | None = None
    content: bytes | None = None
    headers: dict = field(default_factory=dict)  # sent after the download's own, and over them

    def save(self, out_path):
        """Write the file to `out_path` (the temporary file is moved there, not copied)."""
        if self.chunks is not None:
            with open(out_path, "w", encoding="utf-8", newline="") as output:
                for chunk in self.chunks:
                    output.write(chunk)
        elif self.path is not None:
            shutil.move(self.path, out_path)
        else:
            with open(out_path, "wb") as output:
                output.write(self.content)
