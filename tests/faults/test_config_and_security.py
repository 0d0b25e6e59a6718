"""Configuration mistakes get clear messages; secrets and hostile input stay contained."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsspiders.sources.model import SourcesError, parse_sources
from newsspiders.testing.translate_server import TranslateServer
from tests.conftest import Project


def test_yaml_cannot_build_python_objects() -> None:
    hostile = "sources: !!python/object/apply:os.system ['echo pwned']\n"
    with pytest.raises(SourcesError, match="not valid YAML"):
        parse_sources(hostile)


def test_unknown_source_lists_close_matches(project: Project) -> None:
    result = project.scrapy("crawl", "vestnk")
    assert result.returncode == 2
    assert "Spider not found: vestnk" in result.stderr and "did you mean vestnik" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://news:hunter2@127.0.0.1:9/news", "cannot connect to postgresql://news:***@127.0.0.1:9/news"),
        ("mysql://news:hunter2@db/news", "unsupported scheme 'mysql'"),
    ],
)  # fmt: skip
def test_bad_database_url_says_what_is_wrong_without_the_password(
    project: Project, url: str, says: str
) -> None:
    for command in (["crawl", "lejournal"], ["crawlall"]):
        result = project.scrapy(*command, NEWS_DATABASE_URL=url)
        assert result.returncode == 2 and says in result.stderr
        assert "hunter2" not in result.stdout + result.stderr


@pytest.mark.each_backend
def test_api_keys_never_reach_logs_stats_or_errors(
    project: Project, translator: TranslateServer
) -> None:
    translator.reset()
    translator.fail_next(403, times=10)  # every DeepL call refused: errors get logged
    result = project.scrapy(
        "crawl", "lejournal",
        NEWS_TRANSLATORS="deepl,libretranslate", NEWS_DEEPL_API_KEY="sk-very-secret:fx",
        NEWS_DEEPL_URL=translator.url, NEWS_LIBRETRANSLATE_URL="http://127.0.0.1:9",
        NEWS_LIBRETRANSLATE_API_KEY="lt-very-secret", NEWS_TRANSLATE_BACKOFF="0",
    )  # fmt: skip
    translator.reset()
    assert result.returncode == 0, result.stderr[-2000:]
    stored = project.rows("SELECT translation_status, translation_error FROM articles")
    assert stored and all(row["translation_status"] == "pending" for row in stored)
    everything = result.stdout + result.stderr + repr(project.rows("SELECT * FROM crawl_runs"))
    everything += repr(stored)
    assert "very-secret" not in everything


def test_crawler_follows_only_the_sources_domains() -> None:
    # Covered end to end in test_bad_pages (a redirect to another host is filtered);
    # here: the allowed domains come from the source's own URLs only.
    from newsspiders.loader import spider_class_for

    (source,) = parse_sources(
        "sources:\n  - {name: a, country: FR, language: fr, homepage: 'https://www.a.fr/',"
        " feeds: ['https://feeds.a.fr/rss'], domains: [cdn.a.fr]}\n"
    )
    assert spider_class_for(source).allowed_domains == ["cdn.a.fr", "feeds.a.fr", "www.a.fr"]


def test_journal_stays_in_its_directory(tmp_path: Path) -> None:
    from pipelines.store.journal import Journal

    path = Journal(tmp_path / "journal", "../../etc/x").spill([{"a": 1}])
    assert path.resolve().is_relative_to((tmp_path / "journal").resolve())
