"""Shared fixtures: the fixture news sites, the local translator, and a scrapy runner."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from newsspiders.testing.databases import POSTGRES, postgres_schema, query
from newsspiders.testing.serve import FixtureSites
from newsspiders.testing.translate_server import TranslateServer

ROOT = Path(__file__).resolve().parents[1]
DEMO_SOURCES = ROOT / "config" / "sources.demo.yaml"
BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def sites() -> Iterator[FixtureSites]:
    served = FixtureSites()  # free ports, so tests never collide with a running demo
    yield served
    served.close()


@pytest.fixture(scope="session")
def translator() -> Iterator[TranslateServer]:
    server = TranslateServer()
    yield server
    server.close()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each backend: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/news.db"
        return
    try:
        with postgres_schema("test") as url:
            yield url
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {POSTGRES} is not reachable ({exc}); start it first")


@dataclass
class Project:
    """One isolated setup: a sources file, a database, a translator URL."""

    tmp: Path
    sources: Path
    database_url: str
    translator_url: str

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "NEWS_SOURCES": str(self.sources),
            "NEWS_DATABASE_URL": self.database_url,
            "NEWS_TRANSLATORS": "libretranslate",
            "NEWS_LIBRETRANSLATE_URL": self.translator_url,
            "NEWS_TRANSLATE_TIMEOUT": "5",
            "NEWS_DOWNLOAD_DELAY": "0",
            # One extraction worker: the pool is still a real process pool, and a
            # fixture site's few pages don't repay the start-up of a second one.
            "NEWS_EXTRACT_PROCESSES": "1",
            **extra,
        }

    def scrapy(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "scrapy", *args],
            cwd=ROOT,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=240,
        )

    def rows(self, sql: str, *params: object) -> list[dict[str, Any]]:
        return query(self.database_url, sql, *params)


@pytest.fixture
def project(
    tmp_path: Path, sites: FixtureSites, translator: TranslateServer, database_url: str
) -> Project:
    """Runs once per backend: every end-to-end test body covers SQLite and PostgreSQL."""
    sources = tmp_path / "sources.yaml"
    sources.write_text(sites.demo_sources(), encoding="utf-8")
    return Project(tmp_path, sources, database_url, translator.url)
