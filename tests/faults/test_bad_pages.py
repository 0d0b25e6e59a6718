"""Bad pages and a bad network: each ends in a counted outcome, the rest of the run
unharmed (docs/reliability.md lists the promises)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from newsspiders.testing.translate_server import TranslateServer
from tests.conftest import BACKENDS, Project, module_project
from tests.faults.badweb import STORED, BadWeb


def crawl_badweb(project: Project, badweb: BadWeb) -> dict[str, Any]:
    result = project.scrapy(
        "crawl", "badweb",
        "-s", "DOWNLOAD_TIMEOUT=2", "-s", "DOWNLOAD_MAXSIZE=1000000",
        "-s", "REDIRECT_MAX_TIMES=4", "-s", "RETRY_TIMES=2",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    (run,) = project.runs()
    return {"run": run, "stats": run["stats"], "log": result.stderr, "project": project}


@pytest.fixture(scope="module", params=BACKENDS)
def crawled(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    translator: TranslateServer,
) -> Iterator[tuple[dict[str, Any], BadWeb]]:
    """One crawl of a bad web of its own per backend, which every test below reads (the
    timeouts and Retry-After waits make a crawl of it seconds long)."""
    badweb = BadWeb()
    sources = (
        "sources:\n"
        f"  - {{name: badweb, country: FR, language: [fr, ru], homepage: '{badweb.url}/',"
        f" feeds: ['{badweb.url}/feed.xml']}}\n"
    )
    tmp = tmp_path_factory.mktemp(f"badweb-{request.param}")
    try:
        with module_project(tmp, request.param, sources, translator.url) as project:
            yield crawl_badweb(project, badweb), badweb
    finally:
        badweb.close()


@pytest.fixture
def outcome(crawled: tuple[dict[str, Any], BadWeb]) -> dict[str, Any]:
    return crawled[0]


def test_real_articles_among_bad_pages_are_stored_whole(outcome: dict[str, Any]) -> None:
    project = outcome["project"]
    rows = {row["title"]: row for row in project.rows("SELECT * FROM articles")}
    assert sorted(rows) == sorted(article.title for article in STORED.values())
    for path, article in STORED.items():
        row = rows[article.title]
        # Charset conflicts, mojibake and malformed markup come out as the text we wrote.
        assert row["title"] == article.title, path
        assert row["text"] == article.text, path
        assert row["translation_status"] == "done"
    stats = outcome["stats"]
    assert stats["news/repaired/meta_charset"] == 1 and stats["news/repaired/mojibake"] == 1


def test_pages_that_are_not_articles_are_dropped_with_their_reason(outcome: dict[str, Any]) -> None:
    stats = outcome["stats"]
    assert stats["news/dropped/not_html"] == 2  # the PDF and the image
    assert stats["news/dropped/cookie_wall"] == 1
    assert stats["news/dropped/paywall"] == 1
    # No <body>, random bytes, an empty 200: no article, each counted once.
    unreadable = sum(
        stats.get(f"news/dropped/{reason}", 0)
        for reason in ("extraction_failed", "too_short", "garbled")
    )
    assert unreadable == 3


def test_network_errors_are_counted_and_retried_only_when_it_helps(
    crawled: tuple[dict[str, Any], BadWeb],
) -> None:
    outcome, badweb = crawled
    stats, run = outcome["stats"], outcome["run"]
    http_errors = run["http_errors"]
    assert badweb.hits["/missing.html"] == 1 and badweb.hits["/gone.html"] == 1  # not retried
    assert http_errors["404"] == 1 and http_errors["410"] == 1
    # A 500 is retried twice, and each of the three answers is counted.
    assert badweb.hits["/broken.html"] == 3 and http_errors["500"] == 3
    # 429 and 503 with Retry-After: waited for, then fetched (the pages were stored).
    assert badweb.hits["/busy.html"] == 2 and badweb.hits["/maintenance.html"] == 2
    assert stats["news/retry_after/honoured"] == 2
    assert any(name.startswith("exception:") and "Timeout" in name for name in http_errors)
    assert badweb.hits["/slow.html"] == 3  # timed out, retried twice, given up
    # A redirect loop ends at the first repeat: Scrapy's duplicate filter drops it.
    assert badweb.hits["/loop-a.html"] == 1 and badweb.hits["/loop-b.html"] == 1
    assert stats["dupefilter/filtered"] >= 1
    assert stats.get("offsite/filtered", 0) == 1 and badweb.hits["/good.html"] == 1
    assert "download max size" in outcome["log"] or "maxsize" in outcome["log"].lower()
    assert any("DataLoss" in name or "ResponseFailed" in name for name in http_errors)
    assert run["failed"] in (0, False)  # bad pages do not make the run a failure
