"""Pages served as a local site and crawled as a brand-new source, added by YAML only, so
that every page the pipeline drops is seen (`bench.extraction --crawl`, and the tests of
what a crawl keeps).

The pages are served as given from a local HTTP server, listed in an RSS feed without
dates (so the page's own date is searched for, as for a source whose feed gives none); a
one-entry sources file names the site and its languages; a real `scrapy crawl` stores
into a fresh SQLite database while the local translation server echoes. What the run
stored, per page, and what it dropped, by reason (the run statistics), come back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import yaml

from newsspiders.testing.databases import query
from newsspiders.testing.http import BackgroundServer, links_feed
from newsspiders.testing.translate_server import TranslateServer

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "benchset"


@dataclass
class CrawlResult:
    texts: dict[str, str]  # page key -> stored text (absent: not stored)
    dropped: Counter[str]  # reason -> pages, from the run statistics
    seconds: float


class SetSite(BackgroundServer):
    """The pages at /a/<n>, and /feed.xml listing them."""

    def __init__(self, pages: dict[str, str]):
        self.keys = {f"/a/{n}": key for n, key in enumerate(pages)}
        self.pages = pages
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the handler's interface
                if self.path == "/feed.xml":
                    body, kind = links_feed(SOURCE, site.url, site.keys), "application/rss+xml"
                elif self.path in site.keys:
                    html = site.pages[site.keys[self.path]]
                    body, kind = html.encode("utf-8"), "text/html; charset=utf-8"
                elif self.path == "/robots.txt":
                    body, kind = b"", "text/plain"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.serve(Handler)


def crawl(pages: dict[str, str], languages: list[str]) -> CrawlResult:
    """Crawl `pages` (key -> HTML) as one new source declaring `languages`."""
    site = SetSite(pages)
    translator = TranslateServer()
    translator.echo_unknown, translator.latency = True, 0.0
    try:
        with tempfile.TemporaryDirectory(prefix="bench-extraction-") as tmp:
            return _crawl(site, translator, languages, Path(tmp))
    finally:
        site.close()
        translator.close()


def _crawl(
    site: SetSite, translator: TranslateServer, languages: list[str], tmp: Path
) -> CrawlResult:
    sources = tmp / "sources.yaml"
    entry = {
        "name": SOURCE,
        "country": "US",
        "language": languages,
        "homepage": f"{site.url}/",
        "feeds": [f"{site.url}/feed.xml"],
    }
    sources.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True))
    database = f"sqlite:///{tmp}/news.db"
    env = {
        "NEWS_SOURCES": str(sources),
        "NEWS_DATABASE_URL": database,
        "NEWS_TRANSLATORS": "libretranslate",
        "NEWS_LIBRETRANSLATE_URL": translator.url,
        "NEWS_DOWNLOAD_DELAY": "0",
        "NEWS_JOURNAL_DIR": str(tmp / "journal"),
    }
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", SOURCE],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"the crawl failed ({result.returncode}): {result.stderr[-2000:]}")
    by_url = {f"{site.url}{path}": key for path, key in site.keys.items()}
    texts = {
        by_url[row["url"]]: row["text"]
        for row in query(database, "SELECT url, text FROM articles")
        if row["url"] in by_url
    }
    (run,) = query(database, "SELECT dropped FROM crawl_runs")
    dropped = run["dropped"]
    if isinstance(dropped, str):
        dropped = json.loads(dropped)
    return CrawlResult(texts, Counter(dropped or {}), seconds)
