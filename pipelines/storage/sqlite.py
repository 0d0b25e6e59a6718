"""SQLite backend: the zero-setup default (`sqlite:///data/news.db`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.storage.backend import SQLBackend
from pipelines.storage.dialect import Tx


class SQLiteBackend(SQLBackend):
    name = "sqlite"

    def __init__(self, path: str):
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we open transactions ourselves.
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=30000")

    @contextmanager
    def transaction(self, *, exclusive: bool = False) -> Iterator[Tx]:
        # IMMEDIATE takes the write lock up front: writers queue instead of deadlocking.
        self.conn.execute("BEGIN IMMEDIATE" if exclusive else "BEGIN")
        try:
            yield self.conn  # type: ignore[misc]  # sqlite3.Connection has the Tx methods
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def has_table(self, tx: Tx, name: str) -> bool:
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return tx.execute(query, (name,)).fetchone() is not None

    def adapt(self, column: str, value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        if isinstance(value, list | dict):
            return json.dumps(value, ensure_ascii=False)
        return value

    def close(self) -> None:
        self.conn.close()
