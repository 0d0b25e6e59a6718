"""The health report: per source, its last run, what it brought, and what looks wrong.

Pure logic over facts read from the database, so every rule is testable on its own.
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from newsspiders.sources.model import Source

# Drop reasons that mean "we fetched a page and could not make an article of it".
EXTRACTION_DROPS = (
    "extraction_failed", "too_short", "not_article", "paywall", "cookie_wall", "garbled",
)  # fmt: skip


@dataclass(frozen=True)
class Thresholds:
    quiet_runs: int = 3
    quiet_hours: int = 48
    error_rate: float = 0.2
    drop_rate: float = 0.5
    pending: int = 50


@dataclass
class Alert:
    kind: str  # failed | quiet | errors | discovery | extraction | pending | robots | translation
    message: str


@dataclass
class SourceHealth:
    source: str
    country: str
    last_run: datetime | None
    last_run_failed: bool | None
    finish_reason: str | None
    new_24h: int
    new_7d: int
    pending_translations: int
    alerts: list[Alert] = field(default_factory=list)
    # Who runs the outlet (sources.yaml `ownership`; None: not stated).
    ownership: str | None = None


@dataclass
class Report:
    generated_at: datetime
    sources: list[SourceHealth]
    quiet_countries: list[str]

    @property
    def alert_count(self) -> int:
        return sum(len(s.alerts) for s in self.sources)

    def as_json(self) -> dict[str, Any]:
        """The documented JSON shape (docs/operations.md)."""

        def when(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "generated_at": when(self.generated_at),
            "alerts": self.alert_count,
            "quiet_countries": self.quiet_countries,
            "sources": [
                {**asdict(s), "last_run": when(s.last_run), "alerts": [asdict(a) for a in s.alerts]}
                for s in self.sources
            ],
        }


def quiet_limit(source: Source, new_7d: int, thresholds: Thresholds) -> timedelta:
    """How long without a new article is suspicious for this source.

    The source's own setting wins; otherwise four times its usual gap over the last
    week, never under a day, and the default when it brought nothing this week.
    """
    if source.health.quiet_hours:
        return timedelta(hours=source.health.quiet_hours)
    if new_7d == 0:
        return timedelta(hours=thresholds.quiet_hours)
    usual_gap = timedelta(days=7) / new_7d
    return max(timedelta(hours=24), min(4 * usual_gap, timedelta(days=7)))


def judge(
    source: Source,
    runs: list[dict[str, Any]],
    new_24h: int,
    new_7d: int,
    pending: int,
    now: datetime,
    thresholds: Thresholds,
) -> SourceHealth:
    """Alerts for one source from its recent runs (newest first) and article counts."""
    last = runs[0] if runs else None
    health = SourceHealth(
        source=source.name,
        country=source.country,
        last_run=last["finished_at"] if last else None,
        last_run_failed=last["failed"] if last else None,
        finish_reason=last["finish_reason"] if last else None,
        new_24h=new_24h,
        new_7d=new_7d,
        pending_translations=pending,
        ownership=source.ownership,
    )
    if last is None:
        return health  # never ran: nothing to judge yet
    alerts = health.alerts
    if last["failed"]:
        alerts.append(Alert("failed", f"last run failed ({last['finish_reason']})"))
    quiet = _runs_without_news(runs)
    since_news = _time_since_news(runs, now)
    limit = quiet_limit(source, new_7d, thresholds)
    if quiet >= thresholds.quiet_runs and (since_news is None or since_news >= limit):
        alerts.append(Alert("quiet", f"no new article in {quiet} runs"))
    http_errors = sum(last["http_errors"].values())
    if last["pages"] and http_errors / max(last["pages"], 1) > thresholds.error_rate:
        alerts.append(Alert("errors", f"{http_errors} HTTP errors in {last['pages']} pages"))
    stats = last.get("stats") or {}
    unreadable = stats.get("news/discovery_errors", 0)
    if unreadable and not last["failed"]:  # a failed run says so already
        read = unreadable + stats.get("news/discovery_ok", 0)
        alerts.append(
            Alert(
                "discovery",
                f"{unreadable} of {read} pages unreadable",
            )
        )
    dropped = sum(last["dropped"].get(reason, 0) for reason in EXTRACTION_DROPS)
    fetched = dropped + last["new_articles"]
    if fetched >= 4 and dropped / fetched > thresholds.drop_rate:
        alerts.append(Alert("extraction", f"{dropped} of {fetched} pages were not articles"))
    if pending > thresholds.pending:
        alerts.append(Alert("pending", f"{pending} translations pending"))
    rejected = (last.get("stats") or {}).get("news/translation/rejected", 0)
    if rejected:
        alerts.append(
            Alert("translation", f"{rejected} answers rejected (not English, echo, empty)")
        )
    if last["robots_forbidden"]:
        alerts.append(Alert("robots", f"robots.txt forbade {last['robots_forbidden']} requests"))
    return health


def _runs_without_news(runs: list[dict[str, Any]]) -> int:
    count = 0
    for run in runs:
        if run["new_articles"]:
            break
        count += 1
    return count


def _time_since_news(runs: list[dict[str, Any]], now: datetime) -> timedelta | None:
    for run in runs:
        if run["new_articles"]:
            return now - run["finished_at"]
    return None


def build_report(
    sources: list[Source],
    runs: dict[str, list[dict[str, Any]]],
    new_24h: dict[str, int],
    new_7d: dict[str, int],
    pending: dict[str, int],
    now: datetime,
    thresholds: Thresholds,
) -> Report:
    rows = [
        judge(
            source,
            runs.get(source.name, []),
            new_24h.get(source.name, 0),
            new_7d.get(source.name, 0),
            pending.get(source.name, 0),
            now,
            thresholds,
        )
        for source in sorted(sources, key=lambda s: (s.country, s.name))
        if source.enabled
    ]
    fresh: dict[str, int] = {}
    for row in rows:
        fresh[row.country] = fresh.get(row.country, 0) + row.new_24h
    quiet_countries = sorted(country for country, count in fresh.items() if count == 0)
    return Report(now, rows, quiet_countries)


def format_table(report: Report, width: int = 100) -> str:
    """One line per source, alerts last: one alert per line under the alerts column when
    they do not fit, never cut (an alert is what the reader came for)."""
    head = (
        f"{'source':<20} {'cc':<2} {'owner':<7} {'last run (UTC)':<16} {'24h':>4} {'7d':>5}"
        f" {'pend':>4}  alerts"
    )
    indent = " " * (len(head) - len("alerts"))
    lines = [head, "-" * min(width, len(head) + 20)]
    for row in report.sources:
        last = row.last_run.strftime("%Y-%m-%d %H:%M") if row.last_run else "never"
        alerts = [f"{a.kind}: {a.message}" for a in row.alerts] or ["ok"]
        prefix = (
            f"{row.source[:20]:<20} {row.country:<2} {row.ownership or '-':<7} {last:<16}"
            f" {row.new_24h:>4} {row.new_7d:>5}"
            f" {row.pending_translations:>4}  "
        )
        joined = prefix + "; ".join(alerts)
        if len(joined) <= width:
            lines.append(joined)
        else:
            lines.append(prefix + alerts[0])
            lines.extend(indent + alert for alert in alerts[1:])
    quiet = ", ".join(report.quiet_countries) or "none"
    summary = (
        f"{len(report.sources)} sources, {report.alert_count} alerts;"
        f" countries with no new article in 24 h: {quiet}"
    )
    lines.extend(textwrap.wrap(summary, width, subsequent_indent="  "))
    return "\n".join(lines)
