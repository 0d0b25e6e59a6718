"""Throwaway databases on the machine's real PostgreSQL, for tests and benchmarks."""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

# The real PostgreSQL of the machine (CI starts it); every user gets a schema of its own.
POSTGRES = os.environ.get("NEWS_TEST_POSTGRES", "postgresql://127.0.0.1:5432/test")


@contextmanager
def postgres_schema(prefix: str, server: str = POSTGRES) -> Iterator[str]:
    """A database URL whose tables live in a fresh schema, dropped with its tables after."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield f"{server}?options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def query(database_url: str, sql: str, *params: object) -> list[dict[str, Any]]:
    """Rows as dicts from either backend; `sql` uses `?` placeholders."""
    if database_url.startswith("sqlite:///"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        conn.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in conn.execute(sql, params).fetchall()]
        finally:
            conn.close()
    with psycopg.connect(database_url) as pg:
        cursor = pg.execute(sql.replace("?", "%s"), params)  # type: ignore[arg-type]
        names = [column.name for column in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def json_column(value: Any) -> Any:
    """A JSON column's value as `query` returns it: SQLite gives its text, psycopg the
    parsed value."""
    return json.loads(value) if isinstance(value, str) else value
