"""The real source list (config/sources.yaml): coverage and URL hygiene. No network."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest

from newsspiders.sources.model import Source, load_sources
from tests.conftest import ROOT

REGIONS = {"africa", "asia", "europe", "middle-east", "north-america", "oceania", "south-america"}
# Hosts whose feeds public configs name over plain http only, with no evidence of https
# (issue 19 audit: https had been assumed for them).
HTTP_ONLY_HOSTS: set[str] = {"www.people.com.cn", "www.xinhuanet.com"}


@pytest.fixture(scope="module")
def sources() -> list[Source]:
    return load_sources(ROOT / "config" / "sources.yaml")


def urls_of(source: Source) -> list[str]:
    urls = [source.homepage, *source.feeds, *source.sitemaps]
    if source.listing:
        urls += source.listing.urls
    return [str(url) for url in urls]


def test_covers_enough_sources_countries_and_every_continent(sources: list[Source]) -> None:
    enabled = [source for source in sources if source.enabled]
    assert len(enabled) >= 150
    assert len({source.country for source in enabled}) >= 50
    assert {tag for source in enabled for tag in source.tags} >= REGIONS


def test_every_source_has_a_discovery_method(sources: list[Source]) -> None:
    assert [s.name for s in sources if not (s.feeds or s.sitemaps or s.listing)] == []


def test_names_are_unique(sources: list[Source]) -> None:
    assert [name for name, n in Counter(s.name for s in sources).items() if n > 1] == []


def test_every_source_has_exactly_one_region_tag(sources: list[Source]) -> None:
    wrong = {s.name: s.tags for s in sources if len(REGIONS.intersection(s.tags)) != 1}
    assert wrong == {}


def test_urls_are_well_formed_http_with_a_host(sources: list[Source]) -> None:
    bad = [
        f"{source.name}: {url}"
        for source in sources
        for url in urls_of(source)
        if urlsplit(url).scheme not in {"http", "https"}
        or "." not in (urlsplit(url).hostname or "")
    ]
    assert bad == []


def test_urls_use_https_unless_the_host_is_http_only(sources: list[Source]) -> None:
    plain = [
        f"{source.name}: {url}"
        for source in sources
        for url in urls_of(source)
        if urlsplit(url).scheme != "https" and urlsplit(url).hostname not in HTTP_ONLY_HOSTS
    ]
    assert plain == []


def test_docs_table_is_current() -> None:
    """docs/sources.md's table is generated: refresh it with
    `scrapy sources list --write docs/sources.md` after editing the sources."""
    from newsspiders.sources.table import replace_generated

    doc = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    assert replace_generated(doc, load_sources(ROOT / "config" / "sources.yaml")) == doc
