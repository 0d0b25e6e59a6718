"""`make demo`'s last part: "the world's current take" of what real crawls of the fixture
sites stored, once `scrapy stories` has grouped it."""

from __future__ import annotations

import pytest

from newsspiders.testing.demo import print_current_take
from tests.conftest import Project


def test_the_demo_prints_the_stories_more_than_one_country_covers(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    for source in ("lejournal", "vestnik", "nichinichi"):
        result = project.scrapy("crawl", source)
        assert result.returncode == 0, result.stderr[-3000:]
    assert project.command("stories").returncode == 0
    capsys.readouterr()

    print_current_take(project.database_url)
    lines = capsys.readouterr().out.splitlines()
    quake = next(n for n, line in enumerate(lines) if "Estravia" in line and "countries" in line)
    assert lines[quake].lstrip().startswith("3 countries, 3 sources:")
    assert [line.split()[0] for line in lines[quake + 1 : quake + 4]] == ["FR", "JP", "RU"]
    # A story of one country (a French university's find) is not a shared take.
    assert not any("bacterium" in line for line in lines)
