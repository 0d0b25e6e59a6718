"""How long loading the whole source list takes (what every `scrapy` command pays).

.venv/bin/python -m bench.sources
"""

from __future__ import annotations

import time
from pathlib import Path

from scrapy.settings import Settings

from newsspiders.loader import SourceSpiderLoader

SOURCES = Path(__file__).resolve().parents[1] / "config" / "sources.yaml"


def main() -> None:
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        loader = SourceSpiderLoader.from_settings(Settings({"NEWS_SOURCES": str(SOURCES)}))
        timings.append(time.perf_counter() - started)
    count = len(loader.list())
    print(
        f"loading {count} sources into spider classes: best {min(timings) * 1000:.0f} ms,"
        f" worst {max(timings) * 1000:.0f} ms of 5 (target: under 1 s)"
    )


if __name__ == "__main__":
    main()
