"""PostgreSQL backend (`postgresql://…`): psycopg 3 with a connection pool."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
import psycopg
from psycopg import Connection
from psycopg.types.json import Json, Jsonb, set_json_loads
from psycopg_pool import ConnectionPool

from pipelines.storage.backend import SQLBackend
from pipelines.storage.dialect import Cursor, Tx

# Article writers serialise on this lock (per transaction), so that the duplicate checks
# and the inserts of two crawls never interleave. Batches keep the wait short.
ARTICLE_WRITE_LOCK = 7_406_339_021


class _PgTx:
    """The shared `?`-placeholder SQL, bound through psycopg (never formatted in)."""

    def __init__(self, conn: Connection[Any]):
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        if not params:
            return self.conn.execute(sql)  # type: ignore[arg-type]  # our own constant SQL
        return self.conn.execute(sql.replace("?", "%s"), params)  # type: ignore[arg-type]

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self.conn.cursor() as cursor:
                cursor.executemany(sql.replace("?", "%s"), rows)  # type: ignore[arg-type]


class PostgresBackend(SQLBackend):
    name = "postgres"

    def __init__(self, conninfo: str, max_connections: int = 4):
        # One direct connection first: a wrong address fails now, with libpq's reason,
        # instead of the pool retrying in the background until the first write.
        psycopg.connect(conninfo, connect_timeout=10).close()
        # A short wait for a pooled connection: a database that went away should turn
        # into an error (and the journal) quickly, not stall every stage for minutes.
        self.pool = ConnectionPool(
            conninfo, min_size=1, max_size=max_connections, open=True, timeout=5,
            configure=_configure,
        )  # fmt: skip

    @contextmanager
    def transaction(self, *, exclusive: bool = False) -> Iterator[Tx]:
        with self.pool.connection() as conn, conn.transaction():
            if exclusive:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (ARTICLE_WRITE_LOCK,))
            yield _PgTx(conn)

    def has_table(self, tx: Tx, name: str) -> bool:
        row = tx.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()
        return bool(row and row[0])

    def adapt(self, column: str, value: Any) -> Any:
        if not isinstance(value, list | dict):
            return value
        # Centroids are JSON columns (migration 0013): read often, never queried inside.
        return Json(value) if column == "centroid" else Jsonb(value)

    def close(self) -> None:
        self.pool.close(timeout=2)


def _configure(conn: Connection[Any]) -> None:
    # A run reads the window's story centroids (20,000 JSON values with 50,000
    # articles in it); orjson decodes them several times faster than json.
    set_json_loads(orjson.loads, conn)
