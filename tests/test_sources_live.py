"""`scrapy sources check --live` against fixture sources on 127.0.0.1: a live one, a
stale one, one robots.txt forbids, dead ones (404, no server, too slow), one that moved,
one whose articles do not extract, one read through a sitemap index."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from newsspiders.testing.http import QuietHandler, Responder, RoutedServer, closed_port
from newsspiders.testing.sites import load_sites, render_article
from tests.conftest import ROOT

FRENCH = load_sites()["lejournal"]
NOW = datetime.now(UTC)
STALE_DATE = datetime(2020, 1, 6, 8, 0, tzinfo=UTC)
# Seconds: long enough that a loaded test machine answers every other request in time.
SLOW_TIMEOUT = 4


def rss(items: list[tuple[str, datetime]]) -> bytes:
    rows = "".join(
        f"<item><title>{path}</title><link>{path}</link><pubDate>{format_datetime(when)}</pubDate></item>"
        for path, when in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{rows}</channel></rss>'.encode()


def urlset(items: list[tuple[str, datetime]], base: str) -> bytes:
    rows = "".join(
        f"<url><loc>{base}{path}</loc><lastmod>{when.isoformat()}</lastmod></url>"
        for path, when in items
    )
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'.encode()


class LiveCheckWeb(RoutedServer):
    """Each source under its own path; robots.txt forbids /forbidden/."""

    def route(self, path: str) -> Responder | None:
        return routes(self).get(path)


def article(h: QuietHandler, web: LiveCheckWeb) -> None:
    h.reply(
        200,
        render_article(FRENCH, FRENCH.articles[0], web.url).encode(),
        "text/html; charset=utf-8",
    )


def slow(h: QuietHandler) -> None:
    time.sleep(SLOW_TIMEOUT * 2)  # longer than the test's --timeout
    with contextlib.suppress(OSError):  # the checker has long hung up
        h.reply(200, rss([("/live/a.html", NOW)]), "application/rss+xml")


def trickle(h: QuietHandler) -> None:
    """Headers at once, then a byte at a time: each read is quick, the whole is not."""
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", "1000")
    h.end_headers()
    with contextlib.suppress(OSError):
        for _ in range(SLOW_TIMEOUT * 4):
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(0.5)


def routes(web: LiveCheckWeb) -> dict[str, Callable[[QuietHandler], None]]:
    fresh = NOW - timedelta(hours=2)
    feed = "application/rss+xml"
    live_items = [
        ("/live/a.html", fresh),
        ("/live/b.html", fresh - timedelta(days=1)),
        ("http://elsewhere.invalid/c.html", NOW),
    ]
    return {
        "/robots.txt": lambda h: h.reply(
            200, b"User-agent: *\nDisallow: /forbidden/\n", "text/plain"
        ),
        # The newest item is on another site: a crawl's offsite filter drops it, the check too.
        "/live/feed.xml": lambda h: h.reply(200, rss(live_items), feed),
        "/live/a.html": lambda h: article(h, web),
        "/live/b.html": lambda h: article(h, web),
        "/stale/feed.xml": lambda h: h.reply(200, rss([("/stale/a.html", STALE_DATE)]), feed),
        "/stale/a.html": lambda h: article(h, web),
        "/forbidden/feed.xml": lambda h: h.reply(200, rss([("/live/a.html", fresh)]), feed),
        "/moved/feed.xml": lambda h: h.reply(301, b"", "text/plain", Location="/live/feed.xml"),
        "/short/feed.xml": lambda h: h.reply(200, rss([("/short/a.html", fresh)]), feed),
        "/short/a.html": lambda h: h.reply(
            200, b"<html><body><p>Teaser only.</p></body></html>", "text/html"
        ),
        "/slow/feed.xml": slow,
        "/trickle/feed.xml": trickle,
        "/indexed/sitemap_index.xml": lambda h: h.reply(
            200,
            f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{web.url}/indexed/news.xml</loc></sitemap></sitemapindex>".encode(),
            "application/xml",
        ),
        "/indexed/news.xml": lambda h: h.reply(
            200, urlset([("/live/a.html", fresh)], web.url), "application/xml"
        ),
    }


def entry(name: str, homepage: str, discovery: str, extra: str = "") -> str:
    return (
        f"  - name: {name}\n    country: FR\n    language: fr\n    homepage: {homepage}/\n"
        f"    tags: [europe]\n    {discovery}\n{extra}"
    )


@pytest.fixture(scope="module")
def web() -> Iterator[LiveCheckWeb]:
    server = LiveCheckWeb()
    yield server
    server.close()


@pytest.fixture()
def sources_file(tmp_path: Path, web: LiveCheckWeb) -> Path:
    base = web.url
    gone = f"http://127.0.0.1:{closed_port()}"
    text = "sources:\n" + "".join(
        [
            entry("live", base, f"feeds: [{base}/live/feed.xml]"),
            entry("stale", base, f"feeds: [{base}/stale/feed.xml]"),
            entry("forbidden", base, f"feeds: [{base}/forbidden/feed.xml]"),
            entry("notfound", base, f"feeds: [{base}/nothing/feed.xml]"),
            entry("unreachable", gone, f"feeds: [{gone}/feed.xml]"),
            entry("slow", base, f"feeds: [{base}/slow/feed.xml]"),
            entry("trickle", base, f"feeds: [{base}/trickle/feed.xml]"),
            # Nothing to fetch: a spider_class finds its own way.
            entry("custom", base, "spider_class: newsspiders.spiders.news.NewsSpider"),
            entry("moved", base, f"feeds: [{base}/moved/feed.xml]"),
            entry("short", base, f"feeds: [{base}/short/feed.xml]"),
            entry("indexed", base, f"sitemaps: [{base}/indexed/sitemap_index.xml]"),
            entry("candidate", base, f"feeds: [{base}/live/feed.xml]",
                  "    enabled: false\n    disabled_reason: not checked yet\n"),
        ]
    )  # fmt: skip
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def live_check(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "sources", "check", str(path), "--live",
         "--delay", "0", "--timeout", str(SLOW_TIMEOUT), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def by_source(stdout: str) -> dict[str, dict[str, Any]]:
    return {entry["source"]: entry for entry in json.loads(stdout)["sources"]}


def test_each_enabled_source_is_judged_and_a_dead_one_fails_the_check(
    sources_file: Path, web: LiveCheckWeb
) -> None:
    run = live_check(sources_file)  # stdout is not a terminal: JSON
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert report["dead"] == ["forbidden", "notfound", "unreachable", "slow", "trickle"]
    found = by_source(run.stdout)
    assert "candidate" not in found  # disabled: only checked when named

    (live,) = found["live"]["urls"]
    assert live["status"] == 200 and live["robots"] == "allowed" and live["items"] == 2
    assert live["verdict"] == "ok" and live["extracts"] is True
    assert live["sample_url"] == f"{web.url}/live/a.html"  # the newest item
    newest = datetime.fromisoformat(live["newest"])
    assert abs(newest - (NOW - timedelta(hours=2))) < timedelta(seconds=2)

    (stale,) = found["stale"]["urls"]
    assert stale["verdict"] == "stale" and found["stale"]["verdict"] == "stale"
    assert stale["newest"].startswith("2020-01-06") and "days old" in stale["reason"]
    assert stale["extracts"] is True  # the sample is still tried

    (forbidden,) = found["forbidden"]["urls"]
    assert forbidden["robots"] == "forbidden" and forbidden["verdict"] == "dead"
    assert forbidden["status"] is None and web.hits["/forbidden/feed.xml"] == 0  # never asked

    (notfound,) = found["notfound"]["urls"]
    assert notfound["status"] == 404 and notfound["reason"] == "HTTP 404"
    (unreachable,) = found["unreachable"]["urls"]
    assert unreachable["reason"] == "unreachable: connection refused"
    assert unreachable["robots"] == "unreachable"
    (slow,) = found["slow"]["urls"]
    assert slow["reason"] == f"no answer within {SLOW_TIMEOUT} s"
    (trickle,) = found["trickle"]["urls"]
    assert trickle["reason"] == f"no answer within {SLOW_TIMEOUT} s"
    assert found["custom"] == {
        "source": "custom",
        "country": "FR",
        "enabled": True,
        "verdict": "unchecked",
        "urls": [],
    }

    (moved,) = found["moved"]["urls"]
    assert moved["status"] == 200 and moved["final_url"] == f"{web.url}/live/feed.xml"
    assert moved["verdict"] == "ok"

    (short,) = found["short"]["urls"]
    assert short["verdict"] == "no-text" and short["extracts"] is False
    assert short["reason"].startswith("article: ")

    (indexed,) = found["indexed"]["urls"]
    assert indexed["kind"] == "sitemap" and indexed["items"] == 1 and indexed["verdict"] == "ok"


def test_a_named_source_is_checked_even_disabled_and_shown_as_a_table(
    sources_file: Path,
) -> None:
    run = live_check(
        sources_file, "--source", "candidate", "--source", "stale", "--format", "table"
    )
    assert run.returncode == 0, run.stderr  # stale is not dead
    lines = run.stdout.splitlines()
    assert lines[0].split() == [
        "source",
        "kind",
        "http",
        "robots",
        "items",
        "newest",
        "extracts",
        "verdict",
    ]
    # In the file's order, each row followed by its URL and why.
    assert lines[1].split()[:2] == ["stale", "feed"] and lines[1].split()[-1] == "stale"
    assert (
        lines[2]
        .strip()
        .endswith(f"/stale/feed.xml  (newest item {(NOW - STALE_DATE).days} days old)")
    )
    assert lines[3].split() == [
        "candidate",
        "feed",
        "200",
        "allowed",
        "2",
        f"{NOW - timedelta(hours=2):%Y-%m-%d}",
        "yes",
        "ok",
    ]
    assert lines[-1] == "2 source(s) checked, 0 dead"


def test_a_dead_named_source_fails_and_json_is_forced(sources_file: Path) -> None:
    run = live_check(sources_file, "--source", "notfound", "--format", "json")
    assert run.returncode == 1
    assert json.loads(run.stdout)["dead"] == ["notfound"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--source", "nosuch"), "--source nosuch: no entry of that name in the file"),
        (("--timeout", "0"), "--timeout 0: expected a positive number of seconds"),
        (("--stale-days", "-1"), "--stale-days -1: expected a positive number of days"),
    ],
)
def test_bad_arguments_are_one_line_errors(
    sources_file: Path, args: tuple[str, ...], says: str
) -> None:
    run = live_check(sources_file, *args)
    assert run.returncode == 2
    assert run.stderr.strip() == f"scrapy sources: error: {says}"
