"""The journal: articles that could not be written because the database was away.

They go to JSON-lines files under NEWS_JOURNAL_DIR, one file per failed batch; the next
run of the same source writes them before it crawls, then deletes the file. Writing is
idempotent, so a file replayed twice stores nothing twice.

A line that cannot be read back (a torn write, a disk error, a hand edit) never blocks
the source: it is moved, byte for byte, to a `.corrupt` file beside the journal, named
in a warning, and the file's other lines are replayed.
"""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


def _encode(value: Any) -> Any:
    return {"$datetime": value.isoformat()} if isinstance(value, datetime) else value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$datetime"}:
        return datetime.fromisoformat(value["$datetime"])
    return value


class Journal:
    def __init__(self, directory: Path | str, source: str):
        self.directory = Path(directory)
        # Source names are spider names already; this keeps any other string in the folder.
        self.source = re.sub(r"[^A-Za-z0-9_-]", "_", source)

    def spill(self, rows: list[dict[str, Any]]) -> Path:
        """Write rows to a new file (atomically: a crash leaves no half file)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.directory / f"{self.source}-{stamp}-{os.getpid()}.jsonl"
        partial = path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False))
                out.write("\n")
        partial.replace(path)
        return path

    def pending(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob(f"{self.source}-*.jsonl"))

    def take(self, path: Path) -> list[dict[str, Any]]:
        """The rows of a journal file; lines that cannot be read are quarantined."""
        rows, bad = [], []
        for line in path.read_bytes().splitlines(keepends=True):
            if not line.strip():
                continue
            row = _row_of(line)
            if row is None:
                bad.append(line)
            else:
                rows.append(row)
        if bad:
            quarantine = path.with_suffix(".corrupt")
            if not quarantine.exists():  # already there: this file was taken before a crash
                quarantine.write_bytes(b"".join(bad))
            logger.warning(
                "Journal %s: %d unreadable line(s) moved to %s (kept as they were);"
                " %d article(s) replayed",
                path,
                len(bad),
                quarantine,
                len(rows),
            )
        return rows


def _row_of(line: bytes) -> dict[str, Any] | None:
    """One journal line as a row, or None when it is not one (bad UTF-8, JSON or shape)."""
    try:
        value = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(value, dict):
        return None
    return {k: _decode(v) for k, v in value.items()}
