"""Per-source run summary from Scrapy's stats: what the demo and crawlall print."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from scrapy.crawler import Crawler

# A run that ended for one of these reasons did its job.
_GOOD_FINISH = {"finished", "closespider_itemcount", "closespider_pagecount", "closespider_timeout"}


@dataclass
class SourceSummary:
    source: str
    discovered: int
    stored: int
    translated: int
    pending: int
    translation_requests: int
    dropped: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    finish_reason: str = ""

    @property
    def failed(self) -> bool:
        return self.finish_reason not in _GOOD_FINISH


def crawl_summary(crawlers: Iterable[Crawler]) -> list[SourceSummary]:
    rows = []
    for crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        name = crawler.spidercls.name or "?"
        dropped = {
            key.removeprefix("news/dropped/"): value
            for key, value in stats.items()
            if key.startswith("news/dropped/")
        }
        rows.append(
            SourceSummary(
                source=name,
                discovered=stats.get("news/discovered", 0),
                stored=stats.get("news/stored", 0),
                translated=stats.get("news/translation/done", 0),
                pending=stats.get("news/translation/pending", 0),
                translation_requests=sum(
                    value
                    for key, value in stats.items()
                    if key.startswith("news/translation/") and key.endswith("/requests")
                ),
                dropped=dict(sorted(dropped.items())),
                errors=stats.get("log_count/ERROR", 0),
                finish_reason=str(stats.get("finish_reason", "not started")),
            )
        )
    return sorted(rows, key=lambda row: row.source)


def format_summary(rows: list[SourceSummary]) -> str:
    header = (
        "source", "discovered", "stored", "translated", "pending", "requests", "errors", "dropped",
    )  # fmt: skip
    table = [header]
    for row in rows:
        dropped = ", ".join(f"{reason} {n}" for reason, n in row.dropped.items()) or "-"
        if row.failed:
            dropped += f"  [{row.finish_reason}]"
        table.append(
            (
                row.source,
                str(row.discovered),
                str(row.stored),
                str(row.translated),
                str(row.pending),
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
    total_stored = sum(row.stored for row in rows)
    total_translated = sum(row.translated for row in rows)
    total_requests = sum(row.translation_requests for row in rows)
    lines.append(
        f"total: {total_stored} new articles stored, {total_translated} translated,"
        f" {total_requests} translation requests"
    )
    return "\n".join(lines)
