"""Shared fixtures: the fixture news sites, the local translator, and a scrapy runner.

A test's database is SQLite. A test whose point is storage behaviour is marked
`each_backend` and runs twice, on SQLite and on PostgreSQL; a test that only makes
sense on one backend parametrises `database_url` itself (indirect=True).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from newsspiders.testing.databases import POSTGRES, postgres_schema, query
from newsspiders.testing.serve import FixtureSites
from newsspiders.testing.translate_server import TranslateServer
from tests.inprocess import run_command

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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "each_backend: the test's database (`database_url`, `project`) is SQLite, then"
        " PostgreSQL: one run per backend",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One run per backend for tests marked `each_backend`; SQLite for the others."""
    uses_database = "database_url" in metafunc.fixturenames
    chosen = _parametrised(metafunc, "database_url")  # the test names its backends itself
    # A module's mark covers its tests that have a database; a test's own mark must have
    # one to vary, or it would run once and claim to cover both backends.
    own_mark = any(mark.name == "each_backend" for mark in metafunc.definition.own_markers)
    if own_mark and (not uses_database or chosen):
        raise pytest.UsageError(
            f"{metafunc.definition.nodeid}: each_backend, but no database to vary"
        )
    marked = metafunc.definition.get_closest_marker("each_backend") is not None
    if marked and uses_database and not chosen:
        metafunc.parametrize("database_url", BACKENDS, indirect=True)


def _parametrised(metafunc: pytest.Metafunc, name: str) -> bool:
    """Does the test parametrise `name` itself (`@pytest.mark.parametrize`)?"""
    for mark in metafunc.definition.iter_markers("parametrize"):
        names = mark.args[0] if mark.args else mark.kwargs["argnames"]
        if isinstance(names, str):
            names = [part.strip() for part in names.split(",")]
        if name in names:
            return True
    return False


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or (the `postgres` run of a test marked
    `each_backend`, or parametrised so) a fresh PostgreSQL schema."""
    backend = getattr(request, "param", "sqlite")
    assert backend in BACKENDS, backend
    if backend == "sqlite":
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

    def command(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """`scrapy *args` in this process (tests/inprocess.py): for commands that start no
        crawler, where a new process is not what the test is about."""
        return run_command(args, self.env(**env), ROOT)

    def rows(self, sql: str, *params: object) -> list[dict[str, Any]]:
        return query(self.database_url, sql, *params)

    def runs(self) -> list[dict[str, Any]]:
        """Every crawl's row of `crawl_runs`, oldest first (see `crawl_runs`)."""
        return crawl_runs(self.database_url)


@contextmanager
def module_project(tmp: Path, backend: str, sources: str, translator_url: str) -> Iterator[Project]:
    """A Project for a module-scoped fixture: one crawl that several tests only read."""
    path = tmp / "sources.yaml"
    path.write_text(sources, encoding="utf-8")
    if backend == "sqlite":
        yield Project(tmp, path, f"sqlite:///{tmp}/news.db", translator_url)
        return
    with postgres_schema("test") as url:
        yield Project(tmp, path, url, translator_url)


JSON_COLUMNS = ("dropped", "http_errors", "stats")


def crawl_runs(database_url: str) -> list[dict[str, Any]]:
    """Every crawl's row of `crawl_runs`, oldest first, with its JSON columns as dicts
    (SQLite keeps them as text, PostgreSQL as JSONB). `stats` is Scrapy's whole stats
    dict: what a test reads a crawl's figures from, rather than from its log."""
    rows = query(database_url, "SELECT * FROM crawl_runs ORDER BY id")
    for row in rows:
        for column in JSON_COLUMNS:
            if isinstance(row[column], str):
                row[column] = json.loads(row[column])
    return rows


@pytest.fixture
def project(
    tmp_path: Path, sites: FixtureSites, translator: TranslateServer, database_url: str
) -> Project:
    """A sources file of the fixture sites, an empty database, the local translator.
    The database is SQLite, or each backend in turn for a test marked `each_backend`."""
    sources = tmp_path / "sources.yaml"
    sources.write_text(sites.demo_sources(), encoding="utf-8")
    return Project(tmp_path, sources, database_url, translator.url)
