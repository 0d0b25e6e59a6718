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


# Entries the issue-19 audit found dead, blocked or closed by their terms, with the
# discovery URL it judged. Each must stay disabled or have moved off that URL.
AUDITED = {
    "nine_news": "https://www.9news.com.au/rss",
    "timeslive": "https://www.timeslive.co.za/rss/",
    "daily_news_tz": "https://www.dailynews.co.tz/sitemap_index.xml",
    "habari_leo": "https://www.habarileo.co.tz/sitemap_index.xml",
    "tageblatt": "https://www.tageblatt.lu/category/nachrichten/feed/atom/",
    "nieuwsblad": "https://www.nieuwsblad.be/rss/section/55178e67-15a8-4ddd-a3d8-bfe5708f8932",
    "news24": "https://feeds.news24.com/articles/news24/TopStories/rss",
    "gk_city": "https://gk.city/feed/",
    "arab_news": "https://www.arabnews.com/rss.xml",
    "times_of_israel": "https://www.timesofisrael.com/feed/",
    "el_universo": "https://www.eluniverso.com/arc/outboundfeeds/rss-subsection/noticias/ecuador?outputType=xml",
    "el_espectador": "https://www.elespectador.com/arc/outboundfeeds/rss/?outputType=xml",
    "telegraph": "https://www.telegraph.co.uk/rss.xml",
    "khaleej_times": "https://www.khaleejtimes.com/rss",
    "khabaronline": "https://www.khabaronline.ir/rss",
    "guardian_ng": "https://guardian.ng/feed/",
    "radio_fides": "https://radiofides.com/es/feed/",
    "wsj": "https://feeds.a.dj.com/rss/RSSWorldNews.xml",
}  # fmt: skip
TERMS_FORBID = {
    "faz", "spiegel", "dagens_nyheter", "el_tiempo", "luxemburger_wort", "smh", "the_age",
    "nz_herald", "dagbladet",
}  # fmt: skip


def test_no_audited_dead_or_forbidden_entry_is_enabled_unchanged(sources: list[Source]) -> None:
    by_name = {source.name: source for source in sources}
    assert set(AUDITED) | TERMS_FORBID <= set(by_name)
    unchanged = [
        name
        for name, url in AUDITED.items()
        if by_name[name].enabled and url in urls_of(by_name[name])
    ]
    assert unchanged == []
    assert [name for name in sorted(TERMS_FORBID) if by_name[name].enabled] == []


def test_balance_every_enabled_entry_owned_english_at_most_30_percent(
    sources: list[Source],
) -> None:
    enabled = [source for source in sources if source.enabled]
    assert len({source.country for source in enabled}) >= 100
    english_only = [source for source in enabled if source.language == ["en"]]
    assert len(english_only) / len(enabled) <= 0.30
    assert [source.name for source in enabled if source.ownership is None] == []
