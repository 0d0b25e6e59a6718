"""Storage throughput and near-duplicate lookup cost, SQLite and PostgreSQL.

    .venv/bin/python -m bench.storage                   # 10,000 articles, lookups at 10k/100k
    .venv/bin/python -m bench.storage --rows 2000 --large 20000 --backends sqlite

Writes synthetic articles in batches through the real backends (the same
`save_articles` the store stage calls, near-duplicate check included), then times the
near-duplicate lookup alone against a table of `--rows` and of `--large` articles, to
show that its cost does not grow with the table.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from newsspiders.testing.databases import postgres_schema
from newsspiders.urls import url_hash
from pipelines.dedup.fingerprints import content_hash, fingerprint
from pipelines.storage import SQLBackend, open_backend, prepare_schema

BATCH = 50


def synthetic_rows(count: int, start: int, rng: random.Random) -> list[dict[str, Any]]:
    vocabulary = [f"w{n}" for n in range(20_000)]
    rows = []
    for n in range(start, start + count):
        text = " ".join(rng.choices(vocabulary, k=300))
        url = f"https://bench.example/{n}"
        found = fingerprint(text)
        rows.append(
            {
                "source": "bench", "country": "FR", "url": url, "url_hash": url_hash(url),
                "title": f"Article {n}", "text": text, "language": "fr",
                "translation_status": "pending", "fetched_at": "2026-11-25T00:00:00+00:00",
                "authors": [], "word_count": 300, "content_hash": content_hash(text),
                "urls": {url_hash(url): url}, "bands": found.bands if found else [],
            }
        )  # fmt: skip
    return rows


@contextmanager
def database(kind: str) -> Iterator[SQLBackend]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            backend = open_backend(f"sqlite:///{tmp}/bench.db")
            assert isinstance(backend, SQLBackend)
            prepare_schema(backend)
            yield backend
            backend.close()
        return
    with postgres_schema("bench") as url:
        backend = open_backend(url)
        assert isinstance(backend, SQLBackend)
        prepare_schema(backend)
        yield backend
        backend.close()


def fill(backend: SQLBackend, rows: list[dict[str, Any]]) -> float:
    """Seconds to store the rows in batches."""
    started = time.perf_counter()
    for i in range(0, len(rows), BATCH):
        backend.save_articles(rows[i : i + BATCH])
    elapsed = time.perf_counter() - started
    # Fresh planner statistics, as autovacuum (PostgreSQL) or a nightly ANALYZE would give.
    with backend.transaction() as tx:
        tx.execute("ANALYZE")
    return elapsed


def lookup_ms(backend: SQLBackend, probes: list[dict[str, Any]]) -> float:
    """Median milliseconds of one near-duplicate lookup."""
    timings = []
    with backend.transaction() as tx:
        for probe in probes:
            started = time.perf_counter()
            backend._near_duplicate_of(tx, probe["text"], probe["bands"])
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run(kind: str, rows: int, large: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    data = synthetic_rows(large, 0, rng)
    probes = synthetic_rows(200, large, rng)
    with database(kind) as backend:
        seconds = fill(backend, data[:rows])
        small = lookup_ms(backend, probes)
        fill(backend, data[rows:])
        big = lookup_ms(backend, probes)
    return {
        "articles_per_s": rows / seconds,
        f"lookup_ms_at_{rows}": small,
        f"lookup_ms_at_{large}": big,
        "lookup_growth": big / small,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    results = {}
    for kind in args.backends.split(","):
        results[kind] = run(kind, args.rows, args.large, args.seed)
        figures = results[kind]
        print(
            f"{kind:<9} {figures['articles_per_s']:8.0f} articles/s stored (batches of {BATCH}),"
            f" near-dup lookup {figures[f'lookup_ms_at_{args.rows}']:.2f} ms at {args.rows} rows,"
            f" {figures[f'lookup_ms_at_{args.large}']:.2f} ms at {args.large} rows"
            f" (x{figures['lookup_growth']:.2f})",
            flush=True,
        )
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"command": vars(args), "results": results}, out, indent=2)


if __name__ == "__main__":
    main()
