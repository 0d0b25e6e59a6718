"""Retry-After holds the whole host: after a 429, nothing reaches it until the wait has
passed, then the page is fetched again and stored (newsspiders/middlewares/retry_after.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from scrapy.core.downloader import Slot

from newsspiders.middlewares.retry_after import hold_slot
from newsspiders.testing.http import BackgroundServer, QuietHandler
from newsspiders.testing.sites import load_sites, render_article
from tests.conftest import Project

WAIT = 2  # the Retry-After the host sends, in seconds
SLACK = 0.1  # timer slack: the crawler may send this much before the end of the wait
# Every other article is answered this late, so no request in flight can finish, and free a
# place for one more, before the crawler has read the 429 (that takes milliseconds).
ANSWER_DELAY = 0.25
SITES = load_sites()
ARTICLES = {a.path: (site, a) for site in (SITES["lejournal"], SITES["dailyherald"]) for a in site.articles}  # fmt: skip


class BusyHost(BackgroundServer):
    """A news site on 127.0.0.1 that answers its first article request with 429 and
    `Retry-After: WAIT`, and notes when every request arrives."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, str]] = []  # (time.monotonic(), path)
        self.busy_path: str | None = None  # the page answered with 429
        self.busy_at = 0.0  # just before that 429 was sent: the crawler saw it later
        self._lock = threading.Lock()
        self.serve(self._handler())

    def _handler(self) -> type[QuietHandler]:
        host = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                with host._lock:
                    host.arrivals.append((time.monotonic(), path))
                    first_article = path in ARTICLES and host.busy_path is None
                    if first_article:
                        host.busy_path = path
                if first_article:
                    host.busy_at = time.monotonic()
                    self.reply(429, b"slow down", "text/plain", Retry_After=str(WAIT))
                elif path in ARTICLES:
                    time.sleep(ANSWER_DELAY)
                    site, article = ARTICLES[path]
                    self.reply(200, render_article(site, article, host.url).encode(), "text/html")
                elif path == "/feed.xml":
                    self.reply(200, host.feed(), "application/rss+xml")
                elif path == "/robots.txt":
                    self.reply(200, b"User-agent: *\nAllow: /\n", "text/plain")
                else:
                    self.send_error(404)

        return Handler

    def feed(self) -> bytes:
        items = "".join(f"<item><title>{p}</title><link>{p}</link></item>" for p in ARTICLES)
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Busy</title>'
            f"<link>{self.url}/</link>{items}</channel></rss>"
        ).encode()


@pytest.fixture
def busy_host() -> Iterator[BusyHost]:
    host = BusyHost()
    yield host
    host.close()


# What is tested is the crawl's timing, not storage: on SQLite (the default) only.
@pytest.mark.parametrize("concurrency", [1, 4])
def test_retry_after_holds_the_host_then_the_page_is_retried_and_stored(
    project: Project, busy_host: BusyHost, concurrency: int
) -> None:
    project.sources.write_text(
        "sources:\n"
        f"  - {{name: busyhost, country: FR, language: [fr, en], homepage: '{busy_host.url}/',"
        f" feeds: ['{busy_host.url}/feed.xml']}}\n"
    )
    result = project.scrapy(
        "crawl", "busyhost", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    sent, busy_path = busy_host.busy_at, busy_host.busy_path
    assert busy_path is not None

    # Requests that reached the host after the 429 was sent, before the wait was over:
    # only those the crawler had sent already, at most concurrency - 1 of them.
    during = [
        (round(at - sent, 3), path)
        for at, path in busy_host.arrivals
        if sent < at < sent + WAIT - SLACK
    ]
    assert len(during) <= concurrency - 1, during

    # The page is fetched again once the wait is over, and stored.
    busy_hits = [at for at, path in busy_host.arrivals if path == busy_path]
    assert len(busy_hits) == 2 and busy_hits[1] >= sent + WAIT - SLACK
    titles = {row["title"] for row in project.rows("SELECT title FROM articles")}
    assert titles == {article.title for _, article in ARTICLES.values()}
    (run,) = project.runs()
    assert run["stats"]["news/retry_after/honoured"] == 1


def test_hold_slot_keeps_the_longest_wait_and_outlasts_autothrottle() -> None:
    slot = Slot(concurrency=4, delay=0.0, jitter=0.5)

    def penalty() -> float:  # how Scrapy's downloader decides to hold a slot's queue
        return slot.download_delay() - time.monotonic() + slot.lastseen

    hold_slot(slot, 5.0)
    end = slot.lastseen
    assert slot.delay > 0  # without a delay the downloader would not look at lastseen
    hold_slot(slot, 1.0)  # a shorter wait asked for later does not shorten the hold
    assert slot.lastseen == end
    hold_slot(slot, 5.0)  # nor do waits add up
    assert slot.lastseen - end < 0.5
    slot.delay = 0.0001  # AutoThrottle tunes only the delay
    assert 4.5 < penalty() <= 5.5
