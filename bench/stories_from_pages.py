"""A labelled story stream from recorded pages, for `bench.stories --stream FILE`.

    .venv/bin/python -m bench.stories_from_pages --labels LABELS --from 2019-11-13 \\
        --to 2019-11-20 --seed 7 --out stream.jsonl [--set zyte|fundus]

Each page of the set is extracted as the pipeline extracts it (`bench.extraction`'s
`ours`); the pages the pipeline would store, dated by their own published day within
--from and --to, are kept. A page is placed at that day and a random hour (06:00 to
22:00, drawn with --seed): the pages carry a day, not a time. Its event is the one the
labels file gives it; every other page is its own event.

The labels file is the measurer's, kept outside the repository (its lines name pages of
the shared sets): one event a line, `event: PAGE_ID_PREFIX PAGE_ID_PREFIX ...`; blank
lines and lines starting with # are skipped. A prefix that matches no page kept, or
more than one page, is an error naming the prefix and its event.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bench.extraction import ours
from bench.extraction_sets import Page, load_set
from newsspiders.testing.story_stream import read_labels

FIRST_HOUR, LAST_HOUR = 6, 22


def stream_items(
    pages: list[Page], labels: dict[str, str], first_day: str, last_day: str, seed: int
) -> list[dict[str, Any]]:
    """The kept pages as stream items (`id, event_id, time, title, text, publisher`)."""
    rng = random.Random(seed)
    items = []
    for page in sorted(pages, key=lambda p: p.page_id):
        out = ours(page)
        if out.kept is not None or not first_day <= out.published_day <= last_day:
            continue
        hour, minute = rng.randrange(FIRST_HOUR, LAST_HOUR), rng.randrange(60)
        items.append({
            "id": page.page_id,
            "event_id": page.page_id,
            "time": f"{out.published_day}T{hour:02d}:{minute:02d}:00+00:00",
            "title": out.title,
            "text": out.text,
            "publisher": page.publisher or urlparse(page.url).netloc,
        })  # fmt: skip
    for prefix, event in labels.items():
        matching = [item for item in items if item["id"].startswith(prefix)]
        if len(matching) != 1:
            found = "no page kept" if not matching else f"{len(matching)} pages"
            raise SystemExit(f"labels: {prefix!r} ({event}) matches {found}")
        matching[0]["event_id"] = event
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["zyte", "fundus"], default="zyte")
    parser.add_argument("--labels", type=Path, required=True, help="event: page-id prefixes")
    parser.add_argument("--from", dest="first_day", required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="last_day", required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--seed", type=int, default=7, help="draws each page's hour")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    labels = read_labels(args.labels)
    items = stream_items(load_set(args.set), labels, args.first_day, args.last_day, args.seed)
    with args.out.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    told = len({item["event_id"] for item in items})
    print(f"{args.out}: {len(items)} pages, {told} events", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
