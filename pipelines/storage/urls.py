"""NEWS_DATABASE_URL read once, strictly: which backend, which file or server.

Malformed URLs are refused with the form to write instead, rather than guessed at:
`sqlite://` would be a database in memory (a crawl that keeps nothing) and `sqlite:/x.db`
a file inside a folder named `sqlite:`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

SQLITE_FORMS = "sqlite:///relative/path.db or sqlite:////absolute/path.db"
POSTGRES_FORM = "postgresql://user:password@host:5432/dbname"


class DatabaseUrlError(ValueError):
    """NEWS_DATABASE_URL is malformed; the message (password masked) says how to write it."""


@dataclass(frozen=True)
class DatabaseUrl:
    kind: Literal["sqlite", "postgresql"]
    # PostgreSQL: the URL as given (libpq reads it); SQLite: the database file.
    url: str
    path: Path | None = None


def parse_database_url(url: str, base: Path | None = None) -> DatabaseUrl:
    """The backend and target of a database URL; a relative SQLite path is taken from
    `base` (the working directory when None)."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return DatabaseUrl("sqlite", url, _sqlite_path(url, base))
    if scheme in ("postgresql", "postgres"):
        if not url.startswith(f"{scheme}://"):
            raise _error(url, f"write it as {POSTGRES_FORM}")
        return DatabaseUrl("postgresql", url)
    raise _error(url, f"unsupported scheme {scheme!r} (use {SQLITE_FORMS}, or {POSTGRES_FORM})")


def _sqlite_path(url: str, base: Path | None) -> Path:
    parts = urlsplit(url)
    if not url.startswith("sqlite://"):
        # sqlite:/x.db, sqlite:x.db: one or no slash where three are needed.
        guess = url.removeprefix("sqlite:").lstrip("/") or "path.db"
        raise _error(url, f"write sqlite:///{guess} (three slashes), or {SQLITE_FORMS}")
    if parts.netloc:
        raise _error(url, f"a SQLite URL has no host ({parts.netloc!r}): use {SQLITE_FORMS}")
    if parts.query or parts.fragment:
        raise _error(url, f"a SQLite URL takes no options: use {SQLITE_FORMS}")
    # sqlite:///data/news.db -> data/news.db; sqlite:////srv/news.db -> /srv/news.db
    name = url.removeprefix("sqlite:///")
    if not name or name.startswith("sqlite:"):
        raise _error(url, f"no file path (an in-memory database keeps nothing): {SQLITE_FORMS}")
    if name == ":memory:":
        raise _error(url, f"an in-memory database keeps nothing: use {SQLITE_FORMS}")
    path = Path(name)
    return path if path.is_absolute() else (base or Path.cwd()) / path


def _error(url: str, advice: str) -> DatabaseUrlError:
    return DatabaseUrlError(f"NEWS_DATABASE_URL {redact(url)!r}: {advice}")


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    try:
        password = parts.password
    except ValueError:  # an unparseable netloc: show nothing of it
        return f"{parts.scheme}://***"
    if password is None:
        return url
    netloc = parts.netloc.replace(f":{password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()
