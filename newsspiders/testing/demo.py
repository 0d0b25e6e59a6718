"""`make demo`: serve the fixture sites and translator, crawl every demo source into the
default SQLite database, group what is stored into stories, then print the articles and
"the world's current take" (the stories most countries cover).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from newsspiders.testing.serve import DEMO_BASE_PORT, FixtureSites
from newsspiders.testing.translate_server import TranslateServer
from pipelines.storage import open_backend
from pipelines.storage.dialect import aware

ROOT = Path(__file__).resolve().parents[2]
DEMO_SOURCES = "config/sources.demo.yaml"  # its URLs name ports 18081-18089
DATABASE = "data/news.db"
TAKE_HOURS = 72  # the stories window: the demo's news is days old, so "now" is its newest


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
    print()
    stories = subprocess.run([sys.executable, "-m", "scrapy", "stories"], cwd=ROOT, env=env)
    print_current_take(env["NEWS_DATABASE_URL"])
    return crawl.returncode or stories.returncode


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


def print_current_take(database_url: str) -> None:
    """The stories of the window before the newest one's last report that more than one
    country covers, as the app's panel reads them (`current_take`)."""
    backend = open_backend(database_url, create=False)
    try:
        with backend.transaction() as tx:
            newest = aware(tx.execute("SELECT MAX(last_seen) FROM stories").fetchone()[0])
        shared = [
            story for story in backend.current_take(TAKE_HOURS, now=newest)
            if story.country_count > 1
        ]  # fmt: skip
    finally:
        backend.close()
    print(f"\nthe world's current take: {len(shared)} stories covered by more than one country")
    for story in shared:
        counts = f"{story.country_count} countries, {story.source_count} sources"
        print(f"  {counts}: {story.title[:70]}")
        for country in story.countries:
            print(f"      {country.country} {country.source:<12} {country.headline[:66]}")


if __name__ == "__main__":
    sys.exit(main())
