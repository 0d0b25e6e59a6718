"""What the HTML report (`scrapy report --html`) shows, read from the database.

The renderer (`html_report.py`) takes a `ReportData` and nothing else; the map and the
stories come from the app's own read model (the `globe` and `current_take` panels,
pipelines/storage/read_queries.py), so the report shows what the app shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsspiders.reporting.health import Report
from newsspiders.sources.model import Source
from pipelines.storage import SQLBackend, Storage


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


def country_activity(backend: SQLBackend, now: datetime) -> list[CountryActivity]:
    """The globe panel of the read model, for the countries with an enabled source."""
    return [
        CountryActivity(row.country, sources=row.sources, new_24h=row.articles_24h)
        for row in backend.globe(now)
        if row.sources
    ]


def current_stories(
    backend: SQLBackend, hours: int, limit: int, now: datetime
) -> list[CurrentStory]:
    """The read model's "world's current take": most countries first."""
    return [
        CurrentStory(
            story.title,
            sorted(c.country for c in story.countries),
            sum(c.articles for c in story.countries),
            story.last_seen,
        )
        for story in backend.current_take(hours, limit, now)
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
    countries = storage.call(country_activity, backend, now)
    stories = storage.call(current_stories, backend, story_hours, story_limit, now)
    return ReportData(
        generated_at=now,
        countries=countries,
        stories=stories,
        story_hours=story_hours,
        health=health,
        ownership={s.name: s.ownership for s in sources},
    )
