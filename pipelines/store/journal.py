"""The journal: articles that could not be written because the database was away.

They go to JSON-lines files under NEWS_JOURNAL_DIR, one file per failed batch; the next
run of the same source writes them before it crawls, then deletes the file. Writing is
idempotent, so a file replayed twice stores nothing twice.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


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

    @staticmethod
    def read(path: Path) -> list[dict[str, Any]]:
        with path.open(encoding="utf-8") as lines:
            return [
                {k: _decode(v) for k, v in json.loads(line).items()}
                for line in lines
                if line.strip()
            ]
