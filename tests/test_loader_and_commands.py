"""One spider per source: `scrapy list`, `scrapy crawl` names, `scrapy initdb`."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from newsspiders.loader import SourceSpiderLoader, SpiderClassError, spider_class_for
from newsspiders.sources.model import parse_sources
from newsspiders.spiders.news import NewsSpider
from newsspiders.testing.sites import SITE_ORDER
from tests.conftest import Project

ENTRY = (
    "  - {{name: {name}, country: FR, language: fr, homepage: 'https://{name}.fr/',"
    " feeds: ['https://feeds.{name}.fr/rss'], {extra}}}\n"
)


def write_sources(project: Project, *entries: tuple[str, str]) -> None:
    text = "sources:\n" + "".join(ENTRY.format(name=n, extra=e) for n, e in entries)
    project.sources.write_text(text)


def test_scrapy_list_prints_every_enabled_source(project: Project) -> None:
    result = project.scrapy("list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == sorted(SITE_ORDER)
    write_sources(
        project, ("kept", "enabled: true"), ("hidden", "enabled: false, disabled_reason: feed gone")
    )
    assert project.scrapy("list").stdout.split() == ["kept"]


def test_spider_class_carries_the_source(project: Project) -> None:
    write_sources(project, ("slow", "settings: {DOWNLOAD_DELAY: 5}, domains: [cdn.slow.fr]"))
    loader = SourceSpiderLoader.from_settings(Settings({"NEWS_SOURCES": str(project.sources)}))
    spider_cls = loader.load("slow")
    assert issubclass(spider_cls, NewsSpider) and spider_cls.name == "slow"
    assert spider_cls.source.name == "slow"
    # The source's own settings, and the languages the detector covers (the file's).
    assert spider_cls.custom_settings == {"DOWNLOAD_DELAY": 5, "NEWS_SOURCE_LANGUAGES": ["fr"]}
    assert spider_cls.allowed_domains == ["cdn.slow.fr", "feeds.slow.fr", "slow.fr"]
    with pytest.raises(KeyError, match="did you mean slow"):
        loader.load("slwo")


def test_spider_class_must_be_a_news_spider() -> None:
    (source,) = parse_sources(
        "sources:\n" + ENTRY.format(name="odd", extra="spider_class: scrapy.Spider")
    )
    with pytest.raises(SpiderClassError, match="is not inside newsspiders.spiders"):
        spider_class_for(source)
    (source,) = parse_sources(
        "sources:\n"
        + ENTRY.format(name="own", extra="spider_class: newsspiders.spiders.news.NewsSpider")
    )
    assert spider_class_for(source).source is source


def test_unknown_source_and_bad_file_fail_clearly(project: Project) -> None:
    result = project.scrapy("crawl", "lejournall")
    assert result.returncode != 0 and "did you mean lejournal" in result.stderr
    project.sources.write_text("sources:\n  - {name: x, country: ZZ}\n")
    result = project.scrapy("list")
    assert result.returncode != 0
    assert "entry 1 (x), field 'country'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.each_backend
def test_initdb_creates_the_schema_once(project: Project) -> None:
    first = project.scrapy("initdb")
    assert first.returncode == 0 and "applied 1" in first.stdout, first.stderr
    second = project.scrapy("initdb")
    assert "nothing to apply" in second.stdout
    names = [r["name"] for r in project.rows("SELECT name FROM sources ORDER BY name")]
    assert names == sorted(SITE_ORDER)
