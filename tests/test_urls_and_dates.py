from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsspiders.dates import day_end, day_start, parse_datetime
from newsspiders.urls import normalize_url, url_hash, url_key


def test_normalize_drops_tracking_fragment_and_case_and_sorts_query() -> None:
    url = "HTTP://News.Example.COM/a/b?z=1&utm_source=rss&fbclid=x&a=2&gclid=y#comments"
    assert normalize_url(url) == "http://news.example.com/a/b?a=2&z=1"


def test_same_article_same_hash_different_article_different_hash() -> None:
    assert url_hash("https://x.org/p?id=1&utm_medium=feed") == url_hash("https://X.org/p?id=1")
    assert url_hash("https://x.org/p?id=1") != url_hash("https://x.org/p?id=2")


@pytest.mark.parametrize(
    "url",
    [
        "HTTP://News.Example.COM/a/b?z=1&utm_source=rss&a=2#top",
        "https://x.org/caf%C3%A9/%7Euser?q=a+b&q=c",
        "https://x.org/путь/статья?тема=мир",
        "https://x.org/a%2Fb/?",
    ],
)
def test_normalising_twice_changes_nothing_so_normalised_urls_hash_directly(url: str) -> None:
    once = normalize_url(url)
    assert normalize_url(once) == once
    assert url_key(once) == url_hash(url)


def test_dates_from_feeds_and_sitemaps() -> None:
    expected = datetime(2026, 11, 23, 6, 45, tzinfo=UTC)
    assert parse_datetime("2026-11-23T07:45:00+01:00") == expected
    assert parse_datetime("Mon, 23 Nov 2026 07:45:00 +0100") == expected
    assert parse_datetime("2026-11-23T06:45:00Z") == expected
    assert parse_datetime("yesterday") is None


def test_since_until_cover_whole_days() -> None:
    assert day_start("2026-11-01") == datetime(2026, 11, 1, tzinfo=UTC)
    assert day_end("2026-11-01") == datetime(2026, 11, 2, tzinfo=UTC)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        day_start("01/11/2026")
