"""Dates: the one date parser (feeds, sitemaps, pages) and `DateRange`, the publication
dates a crawl accepts (`since`/`until`)."""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime


def as_utc(value: datetime) -> datetime:
    """Aware UTC datetime; a naive one is taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_datetime(text: str | None) -> datetime | None:
    """ISO 8601 (sitemaps, JSON-LD) or RFC 2822 (RSS) in UTC; None when neither."""
    moment = read_datetime(text)
    return None if moment is None else moment.astimezone(UTC)


def read_datetime(text: str | None) -> datetime | None:
    """The one date parser: ISO 8601 (any common variant) or RFC 2822, aware, in the
    zone the text gives (UTC when it gives none), so a page's own day is kept."""
    if not text:
        return None
    text = text.strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def plausible(value: datetime | None, now: datetime | None = None) -> datetime | None:
    """A publication date, or None when it lies more than a day in the future."""
    if value is None:
        return None
    return None if value > (now or datetime.now(UTC)) + timedelta(days=1) else value


def from_struct_time(value: time.struct_time | None) -> datetime | None:
    """feedparser's *_parsed fields are UTC struct_times."""
    if value is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)


def day_start(day: str | None) -> datetime | None:
    """'2025-11-01' -> 2025-11-01T00:00Z; raises ValueError naming the expected form."""
    if day is None:
        return None
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise ValueError(f"{day!r} is not a date of the form YYYY-MM-DD") from None
    return datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC)


def day_end(day: str | None) -> datetime | None:
    """End of the given day, so that `until` includes it."""
    start = day_start(day)
    return None if start is None else start + timedelta(days=1)


@dataclass(frozen=True)
class DateRange:
    """The publication dates a crawl accepts (`-a since/until`); open ends accept all."""

    since: datetime | None = None
    until: datetime | None = None  # exclusive

    @classmethod
    def of_days(cls, since: str | None, until: str | None) -> DateRange:
        """From the spider arguments: whole days, `until` included. Raises ValueError
        for a malformed date, or an empty window (`since` after `until`)."""
        window = cls(day_start(since), day_end(until))
        if window.since and window.until and window.since >= window.until:
            raise ValueError(f"since {since} is after until {until}: no date would match")
        return window

    def accepts(self, published: datetime | None) -> bool:
        """Unknown dates pass: the page may still say, once it is read."""
        if published is None:
            return True
        if self.since and published < self.since:
            return False
        return not (self.until and published >= self.until)


EVERY_DATE = DateRange()
