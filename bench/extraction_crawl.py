"""`bench.extraction --crawl`: a shared set served as a local site and crawled as a brand-new
source, added by YAML only, so that every page the pipeline drops counts against it.

The pages are served as recorded from a local HTTP server, listed in an RSS feed without
dates (so the page's own date is searched for, as for a source whose feed gives none); a
one-entry sources file names the site and the set's languages; a real `scrapy crawl`
stores into a fresh SQLite database while the local translation server echoes. What the
run stored, per page, and what it dropped, by reason (the run statistics), come back.
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

from bench.extraction_sets import Page
from newsspiders.testing.databases import query
from newsspiders.testing.http import BackgroundServer, links_feed
from newsspiders.testing.translate_server import TranslateServer

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "benchset"


@dataclass
class CrawlResult:
    texts: dict[str, str]  # page id -> stored text (absent: not stored)
    dropped: Counter[str]  # reason -> pages, from the run statistics
    seconds: float


class SetSite(BackgroundServer):
    """The set's pages at /a/<n>, and /feed.xml listing them."""

    def __init__(self, pages: list[Page]):
        self.paths = {f"/a/{n}": page for n, page in enumerate(pages)}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the handler's interface
                if self.path == "/feed.xml":
                    body, kind = links_feed(SOURCE, site.url, site.paths), "application/rss+xml"
                elif self.path in site.paths:
                    body, kind = (
                        site.paths[self.path].html.encode("utf-8"),
                        "text/html; charset=utf-8",
                    )
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


def crawl(pages: list[Page], languages: list[str]) -> CrawlResult:
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
    by_url = {f"{site.url}{path}": page.page_id for path, page in site.paths.items()}
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
