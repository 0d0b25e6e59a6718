"""The sources file's region tags, per-feed languages, provenance comments, and the
checks `scrapy sources check` runs across entries (no network)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.utils.test import get_crawler

from newsspiders.loader import spider_class_for
from newsspiders.sources.checks import registrable_domain, site_key
from newsspiders.sources.model import SourcesError, parse_sources
from newsspiders.sources.provenance import Provenance, comment_blocks, read_comments
from newsspiders.testing.http import links_feed
from tests.conftest import ROOT

TODAY = date(2026, 12, 6)


def entry(name: str, homepage: str, extra: str = "", tags: str = "[europe]") -> str:
    return (
        f"  - name: {name}\n    country: FR\n    language: [fr, en]\n    homepage: {homepage}\n"
        f"    tags: {tags}\n"
        f"    # feed: https://{name}.example/rss-help; checked 2026-11-30 (offline)\n"
        f"    feeds: [{homepage}rss]\n{extra}"
    )


def check(tmp_path: Path, *entries: str, **env: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n" + "".join(entries), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "sources", "check", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**__import__("os").environ, "NEWS_TRANSLATORS": "libretranslate", **env},
    )  # fmt: skip


def errors(run: subprocess.CompletedProcess[str], path: Path) -> list[str]:
    prefix = f"scrapy sources: error: {path}: "
    return [
        line.removeprefix(prefix) for line in run.stderr.splitlines() if line.startswith(prefix)
    ]


def warnings(run: subprocess.CompletedProcess[str], path: Path) -> list[str]:
    prefix = f"scrapy sources: warning: {path}: "
    return [
        line.removeprefix(prefix) for line in run.stderr.splitlines() if line.startswith(prefix)
    ]


# --- the model: tags and per-feed languages ---------------------------------------------


@pytest.mark.parametrize(
    ("tags", "says"),
    [
        ("[europa]", "field 'tags': unknown tag 'europa' (allowed: one region of africa, asia,"),
        ("[core, americas]", "field 'tags': unknown tag 'americas'"),
        (
            "[europe, asia]",
            "field 'tags': more than one region tag (europe, asia): give exactly one",
        ),
    ],
)
def test_unknown_tag_or_second_region_is_refused(tags: str, says: str) -> None:
    with pytest.raises(SourcesError) as caught:
        parse_sources(
            "sources:\n" + entry("lemonde", "https://www.lemonde.fr/", tags=tags), "s.yaml"
        )
    (problem,) = caught.value.problems
    assert problem.startswith(f"entry 1 (lemonde), {says}")


def test_a_feed_may_name_its_own_language_among_the_entry_s() -> None:
    text = (
        "sources:\n  - name: rfi\n    country: FR\n    language: [fr, en]\n"
        "    homepage: https://www.rfi.fr/\n    tags: [europe, core]\n    feeds:\n"
        "      - https://www.rfi.fr/fr/rss\n"
        "      - url: https://www.rfi.fr/en/rss\n        language: en\n"
        "    sitemaps:\n      - {url: 'https://www.rfi.fr/en/sitemap.xml', language: en}\n"
    )
    (rfi,) = parse_sources(text)
    both, english = rfi.feeds
    assert [str(both), str(english)] == ["https://www.rfi.fr/fr/rss", "https://www.rfi.fr/en/rss"]
    assert rfi.languages_of(both) == ["fr", "en"] and rfi.languages_of(english) == ["en"]
    assert rfi.languages_of(rfi.sitemaps[0]) == ["en"]
    with pytest.raises(SourcesError) as caught:
        parse_sources(text.replace("language: en\n", "language: es\n"), "s.yaml")
    assert caught.value.problems == [
        "entry 1 (rfi), field 'feeds': feed 2 (https://www.rfi.fr/en/rss) has language 'es',"
        " not one of the entry's languages (fr, en)"
    ]
    with pytest.raises(SourcesError, match=r"field 'feeds.1.lang': unknown field"):
        parse_sources(text.replace("        language: en\n", "        lang: en\n"))


def test_a_per_feed_language_reaches_the_articles_found_through_it() -> None:
    """From the feed's request to the Article the pipeline detects the language of."""
    text = (
        "sources:\n  - name: rfi\n    country: FR\n    language: [fr, en]\n"
        "    homepage: http://127.0.0.1:9/\n    tags: [europe]\n    feeds:\n"
        "      - http://127.0.0.1:9/fr/rss\n"
        "      - {url: 'http://127.0.0.1:9/en/rss', language: en}\n"
    )
    (source,) = parse_sources(text)
    spider_cls = spider_class_for(source)
    spider = spider_cls.from_crawler(get_crawler(spider_cls))

    async def collect(iterator) -> list:  # type: ignore[no-untyped-def]
        return [item async for item in iterator]

    import asyncio

    starts = asyncio.run(collect(spider.start()))
    assert [r.cb_kwargs["languages"] for r in starts] == [["fr", "en"], ["en"]]
    feed = XmlResponse(
        "http://127.0.0.1:9/en/rss", body=links_feed("t", "http://127.0.0.1:9", ["/en/story.html"])
    )
    (article_request,) = asyncio.run(collect(spider.parse_feed(feed, **starts[1].cb_kwargs)))
    assert article_request.cb_kwargs["languages"] == ["en"]
    page = HtmlResponse(article_request.url, body=b"<html><body><p>Hello</p></body></html>")
    (article,) = spider.parse_article(page, **article_request.cb_kwargs)
    assert article.source_languages == ["en"]


# --- provenance comments ---------------------------------------------------------------


def test_provenance_comments_are_read_per_entry() -> None:
    text = (
        "sources:\n"
        "  - name: a\n    # feed: github:owner/repo/feeds/world.opml; checked 2026-11-02 (offline)\n"
        "    feeds: [x]\n\n  # --- next country ---\n"
        "  - name: b\n    # sitemap: https://b.example/about/rss; checked 2026-12-01\n"
        "    sitemaps: [y]\n"
        "  - name: c\n    # feed: some catalog somewhere\n    # feed: github:o/r; checked 2026-11-02\n"
        "    # listing: https://c.example/; checked 2027-01-01\n"
        "    # feed: ftp://c.example/list; checked 2026-11-02\n    feeds: [z]\n"
        "  - {name: d, feeds: [w]}\n"
    )
    blocks = comment_blocks(text)
    assert set(blocks) == {"a", "b", "c"}  # a flow-style entry has no comments
    assert read_comments(blocks["a"], TODAY).found == [
        Provenance("feed", "github:owner/repo/feeds/world.opml", date(2026, 11, 2), True)
    ]
    assert read_comments(blocks["b"], TODAY).found == [
        Provenance("sitemap", "https://b.example/about/rss", date(2026, 12, 1), False)
    ]
    c = read_comments(blocks["c"], TODAY)
    assert c.found == []
    assert [why.split("': ", 1)[1] for why in c.malformed] == [
        "expected '<reference>; checked YYYY-MM-DD' with an optional '(offline)'",
        "reference 'github:o/r' is neither github:<owner>/<repo>/<path> nor an https URL",
        "2027-01-01 is in the future",
        "reference 'ftp://c.example/list' is neither github:<owner>/<repo>/<path> nor an https URL",
    ]


def test_a_repository_path_with_spaces_is_read_up_to_checked_or_a_note() -> None:
    text = (
        "sources:\n"
        "  - name: a\n"
        "    # feed: github:o/r/countries/with_category/South Africa.opml; checked 2026-12-06"
        " (offline)\n"
        "    feeds: [x]\n"
        "  - name: b\n    # feed: https://b.example/rss page; checked 2026-12-06\n"
        "    feeds: [y]\n"
        "  - name: c\n"
        "    # feed: github:o/r/api/feeds.js (an earlier version); checked 2026-12-06 (offline)\n"
        "    feeds: [z]\n"
    )
    blocks = comment_blocks(text)
    assert read_comments(blocks["a"], TODAY).found == [
        Provenance(
            "feed", "github:o/r/countries/with_category/South Africa.opml", date(2026, 12, 6), True
        )
    ]
    assert read_comments(blocks["c"], TODAY).found == [  # a last "(...)" is a note
        Provenance("feed", "github:o/r/api/feeds.js", date(2026, 12, 6), True, "an earlier version")
    ]
    b = read_comments(blocks["b"], TODAY)  # a URL, unlike a path, holds no raw space
    assert b.found == []
    assert [why.split("': ", 1)[1] for why in b.malformed] == [
        "reference 'https://b.example/rss page' is neither github:<owner>/<repo>/<path> nor an"
        " https URL"
    ]


# --- scrapy sources check ----------------------------------------------------------------


def test_a_clean_file_passes_and_missing_provenance_only_warns(tmp_path: Path) -> None:
    bare = entry("bare", "https://bare.fr/").replace("    # feed:", "    # note:")
    run = check(tmp_path, entry("lemonde", "https://www.lemonde.fr/"), bare)
    path = tmp_path / "sources.yaml"
    assert run.returncode == 0, run.stderr
    assert warnings(run, path) == [
        "entry 2 (bare): no provenance comment: add '# feed: <github:owner/repo/path or https"
        " URL>; checked YYYY-MM-DD (offline)' above its discovery key"
    ]
    assert f"{path}: OK, 2 sources (2 enabled) in 1 countries, 1 warning" in run.stdout


def test_two_enabled_entries_on_one_site_fail(tmp_path: Path) -> None:
    run = check(
        tmp_path,
        entry("lemonde", "https://www.lemonde.fr/"),
        entry("lemonde_en", "https://lemonde.fr/"),  # `www.` does not make another site
        entry("lemonde_old", "https://www.lemonde.fr/", "    enabled: false\n    disabled_reason: moved\n"),
        entry("other_port", "https://www.lemonde.fr:8443/"),
    )  # fmt: skip
    assert run.returncode == 1
    assert errors(run, tmp_path / "sources.yaml") == [
        "entry 2 (lemonde_en), field 'homepage': lemonde.fr is also the homepage of enabled"
        " entry 1 (lemonde): keep one entry (or disable one, with a disabled_reason)"
    ]
    assert "OK" not in run.stdout


def test_a_feed_on_another_site_fails_unless_its_domain_is_allowed(tmp_path: Path) -> None:
    feeds = "    sitemaps: [https://static.bbci.co.uk/news/sitemap.xml]\n"
    run = check(
        tmp_path,
        entry("bbc", "https://www.bbc.co.uk/", feeds),
        entry("bbc_allowed", "https://www.bbc.com/", feeds + "    domains: [static.bbci.co.uk]\n"),
        # A subdomain of the homepage's site is the same site.
        entry("sub", "https://www.lemonde.fr/", "    sitemaps: [https://sitemaps.lemonde.fr/x.xml]\n"),
    )  # fmt: skip
    assert run.returncode == 1
    assert errors(run, tmp_path / "sources.yaml") == [
        "entry 1 (bbc), field 'sitemaps': https://static.bbci.co.uk/news/sitemap.xml is on"
        " bbci.co.uk, not on the homepage's site bbc.co.uk: fix the URL, or add bbci.co.uk to"
        " 'domains'"
    ]


def test_an_entry_without_a_region_tag_fails(tmp_path: Path) -> None:
    run = check(tmp_path, entry("lemonde", "https://www.lemonde.fr/", tags="[core]"))
    assert run.returncode == 1
    assert errors(run, tmp_path / "sources.yaml") == [
        "entry 1 (lemonde), field 'tags': no region tag: add one of africa, asia, europe,"
        " middle-east, north-america, south-america, oceania"
    ]


def test_a_language_the_chain_leaves_out_warns(tmp_path: Path) -> None:
    greenlandic = entry("sermitsiaq", "https://sermitsiaq.ag/").replace("[fr, en]", "kl")
    run = check(tmp_path, entry("lemonde", "https://www.lemonde.fr/"), greenlandic)
    assert run.returncode == 0, run.stderr
    assert warnings(run, tmp_path / "sources.yaml") == [
        "entry 2 (sermitsiaq), field 'language': no provider of the chain libretranslate"
        " translates kl: add a provider that does (docs/translation.md) or its articles stay"
        " untranslated"
    ]


def test_registrable_domains_come_from_the_bundled_public_suffix_list() -> None:
    assert registrable_domain("https://news.bbc.co.uk/a") == "bbc.co.uk"
    assert registrable_domain("feeds.feedburner.com") == "feedburner.com"
    assert registrable_domain("http://127.0.0.1:8080/") == "127.0.0.1"
    assert site_key("https://WWW.Lemonde.fr/") == "lemonde.fr"
    assert site_key("http://127.0.0.1:18081/") == "127.0.0.1:18081"


def test_the_docs_table_shows_ownership_languages_and_counts_per_country() -> None:
    from newsspiders.sources.table import markdown_table

    text = (
        "sources:\n"
        + entry("rfi", "https://www.rfi.fr/", "    ownership: public\n").replace(
            "    feeds: [https://www.rfi.fr/rss]\n",
            "    feeds: [https://www.rfi.fr/rss, {url: 'https://www.rfi.fr/en/rss', language: en}]\n",
        )
        + entry("france24_en", "https://www.france24.com/", "    ownership: state\n").replace(
            "[fr, en]", "en"
        )
        + entry("old", "https://old.fr/", "    enabled: false\n    disabled_reason: feed gone\n")
    )
    table = markdown_table(parse_sources(text))
    assert (
        "| France (FR) | rfi | fr, en (feeds per language: en) | public | https://www.rfi.fr/ |"
        in table
    )
    assert "| France (FR) | france24_en | en | state |" in table
    assert "| France (FR) | old (disabled) | fr, en | - |" in table
    assert "| France (FR) | 2 | 1 | 1 |" in table  # enabled, not only English, disabled
    assert "English only: 1 of 2 enabled (50 %)." in table
