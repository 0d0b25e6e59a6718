"""What the HTML report (`scrapy report --html`) shows, read from the database.

The renderer (`html_report.py`) takes a `ReportData` and nothing else. The two reads it
needs live here, in `read_report_data`, until the app's read model (the panel queries:
`globe`, `current_take`) can supply them; pointing this module at those queries changes
nothing in the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from newsspiders.reporting.health import Report
from newsspiders.sources.model import Source
from pipelines.storage import SQLBackend, Storage

NEW_WINDOW = timedelta(hours=24)  # what "new" means on the map, as in `scrapy health`


@dataclass(frozen=True)
class CountryActivity:
    """A country with enabled sources, and what they stored in the last 24 hours."""

    country: str  # ISO 3166-1 alpha-2
    sources: int
    new_24h: int

    @property
    def quiet(self) -> bool:
        """Sources configured, nothing new: the quiet spot a reader sees on the globe."""
        return self.new_24h == 0


@dataclass(frozen=True)
class CurrentStory:
    """A story of the last hours and the countries whose press covers it."""

    title: str
    countries: list[str]  # alpha-2 codes, sorted
    article_count: int
    last_seen: datetime


@dataclass(frozen=True)
class ReportData:
    generated_at: datetime
    countries: list[CountryActivity]  # every country with an enabled source, by code
    stories: list[CurrentStory]  # most countries first
    story_hours: int  # how far back the stories reach
    health: Report  # `scrapy health`'s report: the source table and its alerts
    ownership: dict[str, str | None]  # source name -> who runs the outlet

    @property
    def quiet_countries(self) -> list[str]:
        return [c.country for c in self.countries if c.quiet]


def new_articles(backend: SQLBackend, since: datetime) -> dict[tuple[str, str], int]:
    """Articles stored since `since` (by fetch time, as the health report counts them),
    per (source, country)."""
    with backend.transaction() as tx:
        cursor = tx.execute(
            "SELECT source, country, COUNT(*) FROM articles WHERE fetched_at >= ?"
            " GROUP BY source, country",
            (backend.adapt("fetched_at", since),),
        )
        return {(row[0], row[1]): int(row[2]) for row in cursor.fetchall()}


def country_activity(
    sources: list[Source], counts: dict[tuple[str, str], int]
) -> list[CountryActivity]:
    """Per country of the enabled sources: how many, and their new articles. Articles of
    sources no longer enabled do not count, so that the map's quiet countries are the
    health report's."""
    enabled = {s.name for s in sources if s.enabled}
    per_country: dict[str, list[int]] = {}
    for source in sources:
        if source.enabled:
            per_country.setdefault(source.country, [0, 0])[0] += 1
    for (source_name, country), count in counts.items():
        if source_name in enabled and country in per_country:
            per_country[country][1] += count
    return [
        CountryActivity(country, sources=n, new_24h=new)
        for country, (n, new) in sorted(per_country.items())
    ]


def current_stories(backend: SQLBackend, since: datetime, limit: int) -> list[CurrentStory]:
    """The stories covered since `since`, those covered by the most countries first."""
    return [
        CurrentStory(row["title"], sorted(row["countries"]), row["article_count"], row["last_seen"])
        for row in backend.top_stories(since, limit)
    ]


def read_report_data(
    storage: Storage,
    sources: list[Source],
    health: Report,
    now: datetime,
    story_hours: int = 24,
    story_limit: int = 10,
) -> ReportData:
    backend = storage.backend
    counts = storage.call(new_articles, backend, now - NEW_WINDOW)
    stories = storage.call(
        current_stories, backend, now - timedelta(hours=story_hours), story_limit
    )
    return ReportData(
        generated_at=now,
        countries=country_activity(sources, counts),
        stories=stories,
        story_hours=story_hours,
        health=health,
        ownership={s.name: s.ownership for s in sources},
    )
