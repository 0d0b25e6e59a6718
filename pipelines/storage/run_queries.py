"""The `crawl_runs` table and the counts the health report (`scrapy health`) reads."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from pipelines.storage.dialect import Dialect, dicts, first, marks

RUNNING = "running"  # finish_reason of a run that has not ended (or whose process died)
INTERRUPTED = "interrupted"  # what such a run becomes once its process is known gone

RUN_COLUMNS = (
    "source", "started_at", "finished_at", "finish_reason", "failed", "pages", "discovered",
    "new_articles", "duplicates", "near_duplicates", "dropped", "http_errors", "errors",
    "translation_requests", "translation_characters", "pending_translations",
    "robots_forbidden", "stats",
)  # fmt: skip


class RunQueries(Dialect):
    def start_run(self, source: str, started_at: datetime, pid: int, host: str) -> int:
        """A run's row as it starts (finish_reason 'running'); its id, for `record_run`."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "INSERT INTO crawl_runs (source, started_at, finished_at, finish_reason, failed,"
                " dropped, http_errors, stats, pid, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                [
                    self.adapt(name, value)
                    for name, value in (
                        ("source", source),
                        ("started_at", started_at),
                        ("finished_at", started_at),
                        ("finish_reason", RUNNING),
                        ("failed", False),
                        ("dropped", {}),
                        ("http_errors", {}),
                        ("stats", {}),
                        ("pid", pid),
                        ("host", host),
                    )  # fmt: skip
                ],
            )
            return int(first(cursor.fetchone()))

    def record_run(self, row: Mapping[str, Any], run_id: int | None = None) -> None:
        """One run's row of `crawl_runs`: a value for each of RUN_COLUMNS (others are
        ignored); it completes the row `start_run` made when given its id. `stats` may
        hold datetimes, as Scrapy's do."""
        values = {column: row[column] for column in RUN_COLUMNS}
        values["stats"] = _jsonable(values["stats"])
        params = [self.adapt(name, value) for name, value in values.items()]
        with self.transaction() as tx:
            if run_id is None:
                tx.execute(
                    f"INSERT INTO crawl_runs ({', '.join(RUN_COLUMNS)})"
                    f" VALUES ({marks(RUN_COLUMNS)})",
                    params,
                )
            else:
                assignments = ", ".join(f"{column} = ?" for column in RUN_COLUMNS)
                tx.execute(f"UPDATE crawl_runs SET {assignments} WHERE id = ?", [*params, run_id])

    def settle_lost_runs(self, host: str, alive: Callable[[int], bool]) -> list[str]:
        """Mark 'interrupted' (and failed) the runs of this host still 'running' whose
        process is gone: killed, or it could not reach the database to finish its row.
        Runs of other hosts are left alone (their processes cannot be looked at from
        here). The sources of the runs marked."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT id, source, pid FROM crawl_runs WHERE finish_reason = ? AND host = ?",
                (RUNNING, host),
            )
            lost = [(row[0], row[1]) for row in cursor.fetchall() if not alive(int(row[2]))]
            for run_id, _ in lost:
                tx.execute(
                    "UPDATE crawl_runs SET finish_reason = ?, failed = ? WHERE id = ?",
                    (INTERRUPTED, self.adapt("failed", True), run_id),
                )
            return [source for _, source in lost]

    def recent_runs(self, per_source: int = 10) -> dict[str, list[dict[str, Any]]]:
        """Each source's latest runs that ended (runs still going are not judged),
        newest first."""
        with self.transaction() as tx:
            cursor = tx.execute(
                "SELECT * FROM (SELECT r.*, ROW_NUMBER() OVER"
                " (PARTITION BY source ORDER BY finished_at DESC, id DESC) AS n FROM crawl_runs r"
                " WHERE finish_reason <> ?) ranked WHERE n <= ? ORDER BY source, n",
                (RUNNING, per_source),
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
