"""The results of `scrapy sources check --live`: a table for a person at a terminal,
JSON for a script (the shape is documented in docs/sources.md)."""

from __future__ import annotations

import json
from datetime import datetime

from newsspiders.sources.live import SourceCheck

COLUMNS = ("source", "kind", "http", "robots", "items", "newest", "extracts", "verdict")


def as_json(results: list[SourceCheck], checked_at: datetime) -> str:
    return json.dumps(
        {
            "checked_at": checked_at.isoformat(),
            "dead": [r.source for r in results if r.verdict == "dead"],
            "sources": [r.as_json() for r in results],
        },
        indent=2,
        ensure_ascii=False,
    )


def as_table(results: list[SourceCheck]) -> str:
    """One row per discovery URL, then the URL (where it ended) and why, indented."""
    rows: list[tuple[str, ...]] = [COLUMNS]
    notes: dict[int, str] = {}
    for result in results:
        for check in result.urls:
            extracts = {True: "yes", False: "no", None: "-"}[check.extracts]
            rows.append(
                (
                    result.source,
                    check.kind,
                    str(check.status or "-"),
                    check.robots.split(" (")[0],
                    str(check.items),
                    check.newest.strftime("%Y-%m-%d") if check.newest else "-",
                    extracts,
                    check.verdict,
                )
            )
            where = check.url
            if check.final_url and check.final_url != check.url:
                where += f" -> {check.final_url}"
            notes[len(rows) - 1] = where + (f"  ({check.reason})" if check.reason else "")
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for index, row in enumerate(rows):
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append("  ".join(cells).rstrip())
        if index in notes:
            lines.append(f"    {notes[index]}")
    dead = [r.source for r in results if r.verdict == "dead"]
    lines.append(
        f"{len(results)} source(s) checked, {len(dead)} dead"
        + (f": {', '.join(dead)}" if dead else "")
    )
    return "\n".join(lines)
