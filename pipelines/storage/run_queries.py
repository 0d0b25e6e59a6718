"""The `crawl_runs` table and the counts the health report (`scrapy health`) reads."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pipelines.storage.dialect import Dialect, dicts, marks

RUN_COLUMNS = (
    "source", "started_at", "finished_at", "finish_reason", "failed", "pages", "discovered",
    "new_articles", "duplicates", "near_duplicates", "dropped", "http_errors", "errors",
    "translation_requests", "translation_characters", "pending_translations",
    "robots_forbidden", "stats",
)  # fmt: skip


class RunQueries(Dialect):
    def record_run(self, row: Mapping[str, Any]) -> None:
        """One run's row of `crawl_runs`: a value for each of RUN_COLUMNS (others are
        ignored). `stats` may hold datetimes, as Scrapy's do."""
        values = {column: row[column] for column in RUN_COLUMNS}
        values["stats"] = _jsonable(values["stats"])
        with self.transaction() as tx:
            tx.execute(
                f"INSERT INTO crawl_runs ({', '.join(RUN_COLUMNS)}) VALUES ({marks(RUN_COLUMNS)})",
                [self.adapt(name, value) for name, value in values.items()],
            )

    def recent_runs(self, per_source: int = 10) -> dict[str, list[dict[str, Any]]]:
        """Each source's latest runs, newest first."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT * FROM (SELECT r.*, ROW_NUMBER() OVER"
                " (PARTITION BY source ORDER BY finished_at DESC, id DESC) AS n FROM crawl_runs r)"
                " ranked WHERE n <= ? ORDER BY source, n",
                (per_source,),
            )
            runs: dict[str, list[dict[str, Any]]] = {}
            for row in dicts(cursor):
                run = self._run(row)
                runs.setdefault(run["source"], []).append(run)
            return runs

    def article_counts(self, since: datetime) -> dict[str, int]:
        """Articles stored per source since a moment (by fetch time)."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT source, COUNT(*) FROM articles WHERE fetched_at >= ? GROUP BY source",
                (self.adapt("fetched_at", since),),
            )
            return {row[0]: int(row[1]) for row in cursor.fetchall()}

    def pending_counts(self) -> dict[str, int]:
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT source, COUNT(*) FROM articles WHERE translation_status = 'pending'"
                " GROUP BY source"
            )
            return {row[0]: int(row[1]) for row in cursor.fetchall()}

    def _run(self, row: dict[str, Any]) -> dict[str, Any]:
        for column in ("dropped", "http_errors", "stats"):
            if isinstance(row.get(column), str):
                row[column] = json.loads(row[column])
        for column in ("started_at", "finished_at"):
            if isinstance(row.get(column), str):
                row[column] = datetime.fromisoformat(row[column])
        row["failed"] = bool(row["failed"])
        return row


def _jsonable(stats: dict[str, Any]) -> dict[str, Any]:
    """Scrapy's stats hold datetimes; keep them as ISO strings."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in stats.items()}
