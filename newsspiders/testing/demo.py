"""`make demo`: serve the fixture sites and translator, crawl every demo source into the
default SQLite database, then print what is stored.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from newsspiders.testing.serve import DEMO_BASE_PORT, FixtureSites
from newsspiders.testing.translate_server import TranslateServer

ROOT = Path(__file__).resolve().parents[2]
DEMO_SOURCES = "config/sources.demo.yaml"  # its URLs name ports 18081-18089
DATABASE = "data/news.db"


def main() -> int:
    try:
        sites = FixtureSites(base_port=DEMO_BASE_PORT)
        translator = TranslateServer(port=18080)
    except OSError as exc:
        print(f"demo: cannot serve on ports 18080-18089 ({exc}); is another demo running?")
        return 2
    env = {
        **os.environ,
        "NEWS_SOURCES": DEMO_SOURCES,
        "NEWS_DATABASE_URL": f"sqlite:///{DATABASE}",
        "NEWS_TRANSLATORS": "libretranslate",
        "NEWS_LIBRETRANSLATE_URL": translator.url,
    }
    try:
        crawl = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawlall", "-L", "WARNING"], cwd=ROOT, env=env
        )
    finally:
        sites.close()
        translator.close()
    print(f"\ntranslation requests this run: {translator.requests}\n")
    print_stored(ROOT / DATABASE)
    return crawl.returncode


def print_stored(path: Path) -> None:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT country, source, language, translation_status, substr(published_at, 1, 10),"
        " title_en FROM articles ORDER BY country, published_at DESC"
    ).fetchall()
    print(f"{len(rows)} articles in {path.relative_to(ROOT)}:")
    for country, source, language, status, day, title in rows:
        print(f"  {country} {source:<12} {language:<3} {status:<10} {day}  {title[:70]}")
    conn.close()


if __name__ == "__main__":
    sys.exit(main())
