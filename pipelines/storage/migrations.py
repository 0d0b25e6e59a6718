"""Numbered SQL migrations per backend, recorded in `schema_migrations`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations_for(backend: str) -> list[Migration]:
    """The backend's migrations in order (files NNNN_name.sql in migrations/<backend>/)."""
    folder = resources.files("pipelines.storage") / "migrations" / backend
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def latest_version(backend: str) -> int:
    return max((m.version for m in migrations_for(backend)), default=0)
