"""What a database dialect supplies to the shared queries, and the SQL helpers they use.

The queries are written once, with `?` placeholders; a backend (`sqlite.py`,
`postgres.py`) supplies the connection, its transactions and value adaptation.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

CHUNK = 500  # ids per IN (...) list

T = TypeVar("T")


class Cursor(Protocol):
    @property
    def description(self) -> Any: ...

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Tx(Protocol):
    """One open transaction."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


class Dialect(ABC):
    """The base of every query mixin, so that each can call what the backend supplies."""

    name: str

    @abstractmethod
    def transaction(self, *, exclusive: bool = False) -> AbstractContextManager[Tx]:
        """A transaction; `exclusive` ones (article writes) never run two at a time."""

    @abstractmethod
    def has_table(self, tx: Tx, name: str) -> bool: ...

    @abstractmethod
    def adapt(self, column: str, value: Any) -> Any:
        """A Python value as this database wants it bound."""

    def close(self) -> None:  # noqa: B027 (optional hook)
        pass


def first(row: Sequence[Any] | None) -> Any:
    """The first column of a row, or None for no row."""
    return None if row is None else row[0]


def marks(items: Sequence[Any]) -> str:
    """The `?, ?, …` placeholders for an IN (...) or VALUES (...) list."""
    return ", ".join("?" * len(items))


def chunks(items: list[T]) -> Iterator[list[T]]:
    """The items in lists of at most CHUNK, to keep IN (...) lists bounded."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def dicts(cursor: Cursor) -> list[dict[str, Any]]:
    """The cursor's remaining rows, each as {column name: value}."""
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def aware(value: Any) -> datetime | None:
    """An aware UTC datetime from either backend's stored time, or None."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC) if isinstance(value, datetime) else None


def utc_now() -> str:
    """Now, as the ISO text the `*_at` bookkeeping columns hold."""
    return datetime.now(UTC).isoformat()
