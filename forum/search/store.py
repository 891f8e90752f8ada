"""Where the index lives on disk, and how far it has read the outbox.

`SEARCH_INDEX_DIR` holds generations (`gen-*`, each a complete Whoosh index)
and a symlink `current` naming the one in use. A rebuild writes a new
generation and swaps the link with one atomic rename, so searchers keep
answering from the old generation until they notice the change (they read
the link on every request). The previous generation is kept one swap longer
for searchers still holding it.

Each generation records the outbox position it has applied in
`outbox-state.json` (written atomically, after the Whoosh commit): the last
applied id and the "gaps", ranges of lower ids not seen yet. On PostgreSQL a
transaction may take id 10, another take 11 and commit first; 10 shows up
later and must still be applied. Gaps are re-read until they fill or expire
after GAP_SECONDS (ids of rolled-back transactions never fill). A crash after
the commit and before the state write only means some rows are applied twice,
which is harmless: applying a row re-reads the content from the database.
"""
import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index

from forum.search.schema import build_schema

CURRENT = "current"
STATE_FILE = "outbox-state.json"
GAP_SECONDS = 3600
MAX_GAPS = 500


class IndexUnavailable(Exception):
    """The index is missing or cannot be opened (corrupt, wrong schema)."""


def current_dir(root):
    """The generation in use, or None when there is none yet."""
    try:
        return Path(root) / os.readlink(Path(root) / CURRENT)
    except (FileNotFoundError, NotADirectoryError):
        return None


def open_index(root):
    """Open the current generation: (index, its directory)."""
    directory = current_dir(root)
    if directory is None:
        raise IndexUnavailable(f"no search index in {root}")
    try:
        return index.open_dir(str(directory)), directory
    except Exception as error:  # a damaged index fails in many ways
        raise IndexUnavailable(f"search index in {directory} cannot be opened: {error!r}") from error


def new_generation(root):
    """Create an empty index in a new generation directory (not yet current)."""
    directory = Path(root) / f"gen-{time.time_ns()}-{os.getpid()}"
    directory.mkdir(parents=True)
    return index.create_in(str(directory), build_schema()), directory


def swap(root, directory):
    """Make `directory` current (one atomic rename), then drop older generations."""
    previous = current_dir(root)
    link = Path(root) / f".{CURRENT}-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    os.symlink(directory.name, link)
    os.replace(link, Path(root) / CURRENT)
    keep = {directory.name, previous.name if previous else None}
    for old in Path(root).glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def layout_lock(root, blocking=True):
    """Serialize creating and swapping generations; yields False if busy."""
    Path(root).mkdir(parents=True, exist_ok=True)
    with open(Path(root) / ".layout.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class OutboxState:
    """How far a generation has applied the outbox."""

    last_id: int = 0
    gaps: list = field(default_factory=list)  # [low, high, first seen (epoch s)]

    def advanced(self, seen_ids, now=None):
        """The state after applying the rows `seen_ids` (ascending)."""
        now = time.time() if now is None else now
        seen = set(seen_ids)
        gaps = []
        for low, high, since in self.gaps:
            gaps.extend([a, b, since] for a, b in _ranges_without(low, high, seen))
        last = self.last_id
        for row_id in sorted(seen):
            if row_id > last + 1:
                gaps.append([last + 1, row_id - 1, now])
            last = max(last, row_id)
        gaps = sorted((gap for gap in gaps if now - gap[2] < GAP_SECONDS), key=lambda gap: gap[2])
        return OutboxState(last, sorted(gaps[-MAX_GAPS:]))

    def save(self, directory):
        path = Path(directory) / STATE_FILE
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "w") as handle:
            json.dump({"last_id": self.last_id, "gaps": self.gaps}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)

    @classmethod
    def load(cls, directory):
        try:
            with open(Path(directory) / STATE_FILE) as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return cls()
        return cls(int(data["last_id"]), [list(gap) for gap in data["gaps"]])


def _ranges_without(low, high, seen):
    """Split [low, high] around the ids in `seen`."""
    start = low
    for row_id in sorted(i for i in seen if low <= i <= high):
        if row_id > start:
            yield start, row_id - 1
        start = row_id + 1
    if start <= high:
        yield start, high
