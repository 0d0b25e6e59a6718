"""Article requests wait in a window until the downloader has room for them."""

from __future__ import annotations

import scrapy

from newsspiders.middlewares.article_window import ArticleWindow
from newsspiders.testing.sites import load_sites
from tests.conftest import Project


def links(count: int) -> list[scrapy.Request]:
    return [scrapy.Request(f"https://example.com/a/{n}") for n in range(count)]


def window(size: int) -> ArticleWindow:
    return ArticleWindow(size)


def test_no_more_requests_exist_than_the_window_holds() -> None:
    held = window(3)
    first = held.add(links(10))
    assert [r.url for r in first] == [f"https://example.com/a/{n}" for n in range(3)]
    assert held.out == 3 and len(held.waiting) == 7
    assert [r.url for r in held.returned()] == ["https://example.com/a/3"]
    assert held.add(links(0)) == []  # still full
    made = 4
    while held.waiting:
        made += len(held.returned())
    assert made == 10 and held.out == 3


def test_an_idle_crawl_refills_a_window_that_lost_track() -> None:
    held = window(2)
    held.add(links(5))
    # Two requests never reached the downloader (robots.txt): nothing will come back.
    assert len(held.restart()) == 2 and held.out == 2


def test_no_window_requests_everything_at_once() -> None:
    assert len(window(0).add(links(50))) == 50


def test_a_crawl_through_a_window_of_two_stores_every_article(project: Project) -> None:
    # One request at a time: a window of two article requests for the whole feed.
    result = project.scrapy("crawl", "lavoz", "-s", "CONCURRENT_REQUESTS=1")
    assert result.returncode == 0, result.stderr[-2000:]
    (run,) = project.runs()
    assert run["new_articles"] == len(load_sites()["lavoz"].articles)
    # Each answered request let the next one in; the idle refill was never needed.
    assert "news/window_refills" not in run["stats"]
