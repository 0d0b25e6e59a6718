"""One source's run, read from Scrapy's stats collector: what crawlall prints, what
`crawl_runs` keeps and what the health report judges."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# A run that ended for one of these reasons did its job.
GOOD_FINISH = {"finished", "closespider_itemcount", "closespider_pagecount", "closespider_timeout"}
DUPLICATE_REASONS = ("duplicate", "duplicate_content")
NOT_STARTED = "not_started"  # finish_reason of a source that could not start


def crawler_stats(crawler: Any) -> dict[str, Any]:
    """A crawler's stats; those of one that failed before it had any say it never started."""
    try:
        return dict(crawler.stats.get_stats())
    except RuntimeError:  # Scrapy's "only available once the crawl starts"
        return {"finish_reason": NOT_STARTED}


def _sum(stats: dict[str, Any], prefix: str, suffix: str = "") -> int:
    return sum(v for k, v in stats.items() if k.startswith(prefix) and k.endswith(suffix))


def _by_suffix(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k.removeprefix(prefix): v for k, v in sorted(stats.items()) if k.startswith(prefix)}


@dataclass
class RunStats:
    source: str
    started_at: datetime
    finished_at: datetime
    finish_reason: str
    pages: int = 0
    discovered: int = 0
    new_articles: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    http_errors: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    translated: int = 0
    translation_requests: int = 0
    translation_characters: int = 0
    pending_translations: int = 0
    robots_forbidden: int = 0
    discovery_ok: int = 0
    discovery_errors: int = 0
    article_pages: int = 0
    stats: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_stats(cls, source: str, stats: dict[str, Any]) -> RunStats:
        now = datetime.now(UTC)
        dropped = _by_suffix(stats, "news/dropped/")
        http_errors = {
            status: n
            for status, n in _by_suffix(stats, "downloader/response_status_count/").items()
            if status >= "400"
        }
        http_errors.update(
            (f"exception:{name.rsplit('.', 1)[-1]}", n)
            for name, n in _by_suffix(stats, "downloader/exception_type_count/").items()
        )
        return cls(
            source=source,
            started_at=stats.get("start_time") or now,
            finished_at=stats.get("finish_time") or now,
            finish_reason=str(stats.get("finish_reason", NOT_STARTED)),
            pages=stats.get("response_received_count", 0),
            discovered=stats.get("news/discovered", 0),
            new_articles=stats.get("news/stored", 0),
            duplicates=sum(dropped.get(reason, 0) for reason in DUPLICATE_REASONS),
            near_duplicates=stats.get("news/near_duplicates", 0),
            dropped=dropped,
            http_errors=http_errors,
            errors=stats.get("log_count/ERROR", 0),
            translated=stats.get("news/translation/done", 0),
            translation_requests=_sum(stats, "news/translation/", "/requests"),
            translation_characters=_sum(stats, "news/translation/", "/characters"),
            pending_translations=stats.get("news/translation/pending", 0),
            robots_forbidden=stats.get("robotstxt/forbidden", 0),
            discovery_ok=stats.get("news/discovery_ok", 0),
            discovery_errors=stats.get("news/discovery_errors", 0),
            article_pages=stats.get("news/article_pages", 0),
            stats=dict(stats),
        )

    def as_row(self) -> dict[str, Any]:
        """This run as a row of `crawl_runs` (the storage's `record_run` takes it)."""
        return {
            "source": self.source, "started_at": self.started_at,
            "finished_at": self.finished_at, "finish_reason": self.finish_reason,
            "failed": self.failed, "pages": self.pages, "discovered": self.discovered,
            "new_articles": self.new_articles, "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates, "dropped": self.dropped,
            "http_errors": self.http_errors, "errors": self.errors,
            "translation_requests": self.translation_requests,
            "translation_characters": self.translation_characters,
            "pending_translations": self.pending_translations,
            "robots_forbidden": self.robots_forbidden, "stats": self.stats,
        }  # fmt: skip

    @property
    def failed(self) -> bool:
        """Did the run fail outright: not finished, or no feed/sitemap/listing readable.

        Discovery read nothing when no feed, sitemap or listing page reached its parser,
        whatever else was fetched: robots.txt, or redirects that were dropped (to another
        host, or in a loop) count for nothing. Only a run that fetched articles without
        reading discovery itself (a worker joining a distributed crawl) did its job.
        """
        if self.finish_reason not in GOOD_FINISH:
            return True
        return self.discovery_ok == 0 and (self.discovery_errors > 0 or self.article_pages == 0)


def format_summary(rows: list[RunStats]) -> str:
    """The table crawlall prints at the end."""
    header = (
        "source", "discovered", "stored", "translated", "pending", "requests", "errors", "dropped",
    )  # fmt: skip
    table = [header]
    for row in sorted(rows, key=lambda r: r.source):
        dropped = ", ".join(f"{reason} {n}" for reason, n in row.dropped.items()) or "-"
        if row.failed:
            dropped += f"  [FAILED: {row.finish_reason}]"
        table.append(
            (
                row.source,
                str(row.discovered),
                str(row.new_articles),
                str(row.translated),
                str(row.pending_translations),
                str(row.translation_requests),
                str(row.errors),
                dropped,
            )  # fmt: skip
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(header) - 1)]
    lines = []
    for line in table:
        cells = [
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=False))
        ]
        lines.append("  ".join([*cells, line[-1]]))
    stored = sum(row.new_articles for row in rows)
    translated = sum(row.translated for row in rows)
    requests = sum(row.translation_requests for row in rows)
    failed = [row.source for row in rows if row.failed]
    lines.append(
        f"total: {stored} new articles stored, {translated} translated,"
        f" {requests} translation requests"
        + (f"; FAILED: {', '.join(sorted(failed))}" if failed else "")
    )
    return "\n".join(lines)
