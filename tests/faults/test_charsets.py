"""Pages whose character set is mislabelled or undeclared: stored as the text that was
written, in the right language, or dropped as `garbled`; never stored garbled
(docs/reliability.md, "Character sets")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import Project
from tests.faults.charsetweb import CASES, CharsetWeb


@pytest.fixture
def charsetweb() -> Iterator[CharsetWeb]:
    web = CharsetWeb()
    yield web
    web.close()


@pytest.fixture
def crawled(project: Project, charsetweb: CharsetWeb) -> dict[str, Any]:
    # A source writing in three languages: the candidates for an undeclared charset are
    # those of all three, and the wrong ones must still lose.
    project.sources.write_text(
        "sources:\n"
        f"  - {{name: charsets, country: DE, language: [ru, fr, de],"
        f" homepage: '{charsetweb.url}/', feeds: ['{charsetweb.url}/feed.xml']}}\n"
    )
    result = project.scrapy("crawl", "charsets")
    assert result.returncode == 0, result.stderr[-3000:]
    (run,) = project.runs()
    return run["stats"]


def test_mislabelled_pages_are_stored_as_written_or_dropped_as_garbled(
    project: Project, crawled: dict[str, Any]
) -> None:
    rows = {row["title"]: row for row in project.rows("SELECT * FROM articles")}
    for row in rows.values():
        assert "\ufffd" not in row["title"] + row["text"], row["url"]
    expected = {case.article.title: (path, case) for path, case in CASES.items() if case.stored}
    assert sorted(rows) == sorted(expected)
    for title, (path, case) in expected.items():
        row = rows[title]
        assert row["text"] == case.article.text, path
        assert row["language"] == case.site.language, path
    # The page ruined upstream is counted, and its correct copy was not folded into it.
    assert crawled["news/dropped/garbled"] == 1
    # Scrapy's own choice was overruled on the six mislabelled or undeclared pages, and only there.
    repaired = {k: v for k, v in crawled.items() if k.startswith("news/repaired/")}
    assert sum(v for k, v in repaired.items() if k.endswith("charset")) == 6, repaired
