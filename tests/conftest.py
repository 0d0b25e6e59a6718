"""Shared fixtures: the fixture news sites, the local translator, and a scrapy runner."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fixtures.serve import FixtureSites
from tests.fixtures.sites import SITE_ORDER
from tests.fixtures.translate_server import TranslateServer

ROOT = Path(__file__).resolve().parents[1]
DEMO_SOURCES = ROOT / "config" / "sources.demo.yaml"
DEMO_BASE_PORT = 18081


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


def sources_for(sites: FixtureSites, text: str | None = None) -> str:
    """The demo sources file, its fixed demo ports replaced by the test servers' ports."""
    text = text if text is not None else DEMO_SOURCES.read_text(encoding="utf-8")
    for offset, key in enumerate(SITE_ORDER):
        text = text.replace(f"http://127.0.0.1:{DEMO_BASE_PORT + offset}", sites.urls[key])
    assert not re.search(r"127\.0\.0\.1:180\d\d", text), "a demo port was left unreplaced"
    return text


@dataclass
class Project:
    """One isolated setup: a sources file, a database, a translator URL."""

    tmp: Path
    sources: Path
    database: Path
    translator_url: str

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "NEWS_SOURCES": str(self.sources),
            "NEWS_DATABASE_URL": f"sqlite:///{self.database}",
            "NEWS_TRANSLATORS": "libretranslate",
            "NEWS_LIBRETRANSLATE_URL": self.translator_url,
            "NEWS_TRANSLATE_TIMEOUT": "5",
            "NEWS_DOWNLOAD_DELAY": "0",
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

    def rows(self, sql: str, *params: object) -> list[sqlite3.Row]:
        conn = sqlite3.connect(self.database)
        conn.row_factory = sqlite3.Row
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()


@pytest.fixture
def project(tmp_path: Path, sites: FixtureSites, translator: TranslateServer) -> Project:
    sources = tmp_path / "sources.yaml"
    sources.write_text(sources_for(sites), encoding="utf-8")
    return Project(tmp_path, sources, tmp_path / "news.db", translator.url)
