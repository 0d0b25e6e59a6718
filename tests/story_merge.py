"""A young story that merges into the older story of its event, stored directly: the
setup shared by the merge's own test (test_stories.py), the app's read by a merged id
(test_reads.py) and the stories export's merged line (test_export.py).

The first round of headlines founds two stories for one dam burst (two wordings that
share too little) beside a summit; the second round's report tells both sides, joins the
later dam story, whose reports then meet the older one: it merges into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from newsspiders.testing.databases import query
from newsspiders.urls import url_hash
from pipelines.dedup.fingerprints import content_hash

MERGE_DAY = datetime(2026, 11, 20, 8, tzinfo=UTC)
WINDOW = timedelta(hours=72)  # NEWS_STORY_WINDOW_HOURS's default, as `scrapy stories`

# (n, title, hours after MERGE_DAY): n names the article (its URL's last part).
FIRST_ROUND = [
    (0, "Korvala dam bursts after record monsoon rain", 0),
    (1, "Record monsoon rain bursts the Korvala dam", 1),
    (2, "Tessaly villagers flee flooded valley homes", 2),
    (3, "Aurenza hosts water summit of river nations", 1),
]
SECOND_ROUND = [
    (4, "Korvala dam burst: Tessaly villagers flee flooded homes", 26),
    (5, "Water summit in Aurenza ends with river treaty", 27),
]


@dataclass(frozen=True)
class Founded:
    """The first round's stories: the older dam story (it stays), the later one (it
    merges in the second round) and the summit's (left alone)."""

    dam: int
    villagers: int
    summit: int


def store_headline(backend: Any, n: int, title: str, hours: float, text: str = "") -> None:
    """A stored English headline, `hours` after MERGE_DAY: with no text (a feed's title
    alone) unless `text` is given (a full report)."""
    url, at = f"https://merge.example/{n}", MERGE_DAY + timedelta(hours=hours)
    backend.save_articles([{
        "source": "merge", "country": "GB", "url": url, "url_hash": url_hash(url),
        "title": title, "text": text, "language": "en", "title_en": title, "text_en": text,
        "translation_status": "not_needed", "published_at": at, "fetched_at": at,
        "authors": [], "word_count": len(text.split()), "content_hash": content_hash(url),
        "urls": {url_hash(url): url}, "bands": [],
    }])  # fmt: skip


def store_round(backend: Any, headlines: list[tuple[int, str, float]]) -> None:
    for n, title, hours in headlines:
        store_headline(backend, n, title, hours)


def stories_by_url(database_url: str) -> dict[str, int]:
    """Each stored article's story, by the article's number (its URL's last part)."""
    rows = query(database_url, "SELECT url, story_id FROM articles")
    return {row["url"].rsplit("/", 1)[1]: row["story_id"] for row in rows}


def founded(database_url: str) -> Founded:
    """The first round's stories, once it is placed: two for the dam, one summit."""
    stories = stories_by_url(database_url)
    found = Founded(dam=stories["0"], villagers=stories["2"], summit=stories["3"])
    assert stories["1"] == found.dam and len({found.dam, found.villagers, found.summit}) == 3
    return found
