"""Date parsing for feeds, sitemaps and the `since`/`until` arguments."""

from __future__ import annotations

import calendar
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime


def as_utc(value: datetime) -> datetime:
    """Aware UTC datetime; a naive one is taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_datetime(text: str | None) -> datetime | None:
    """ISO 8601 (sitemaps, JSON-LD) or RFC 2822 (RSS); None when neither."""
    if not text:
        return None
    text = text.strip()
    try:
        return as_utc(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return as_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


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
