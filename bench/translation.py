"""Translation cost and concurrency.

    .venv/bin/python -m bench.translation                 # latency 200 ms
    .venv/bin/python -m bench.translation --latency 0.5

1. Cost: requests and characters per 100 translated articles for each provider adapter
   (LibreTranslate, DeepL, Google via deep-translator) on the fixture articles, all
   against the local server speaking each provider's HTTP API; then the same articles
   again, which the segment cache must make free.
2. Concurrency: a real `scrapy crawl` of a synthetic Russian site of `--articles` articles
   while the translation server answers after `--latency` seconds: articles/s and the
   most translation requests the server saw in flight at once (the crawl must not
   serialise on translation: >= 8).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsspiders.testing.serve import FixtureSites, feed_source
from newsspiders.testing.sites import load_sites
from newsspiders.testing.synthetic import synthetic_site
from newsspiders.testing.translate_server import TranslateServer
from pipelines.storage import Storage
from pipelines.translate.article import ArticleTranslator
from pipelines.translate.chain import TranslatorChain
from pipelines.translate.providers.deep_translator_providers import google
from pipelines.translate.providers.deepl_client import DeepLTranslator
from pipelines.translate.providers.libretranslate import LibreTranslateClient

ROOT = Path(__file__).resolve().parents[1]


def cost(server: TranslateServer) -> dict[str, dict[str, float]]:
    articles = [
        (a, site.language)
        for site in load_sites().values()
        if site.language != "en"
        for a in site.articles
    ]
    providers = {
        "libretranslate": lambda: LibreTranslateClient(server.url),
        "deepl": lambda: DeepLTranslator("bench:fx", server_url=server.url),
        "google": lambda: google(timeout=30, base_url=server.url + "/m"),
    }
    results = {}
    for name, make in providers.items():
        with tempfile.TemporaryDirectory() as tmp:
            storage = Storage(f"sqlite:///{tmp}/cache.db")
            translator = ArticleTranslator(TranslatorChain([make()]), storage)
            figures = {}
            for run in ("first", "cached"):
                before = (server.requests, server.characters)
                for article, language in articles:
                    outcome = translator.translate(article.title, article.text, language)
                    assert outcome.status == "done", outcome.error
                scale = 100 / len(articles)
                figures[f"{run}_requests_per_100"] = (server.requests - before[0]) * scale
                figures[f"{run}_characters_per_100"] = (server.characters - before[1]) * scale
            storage.close()
        results[name] = figures
    return results


def concurrency(server: TranslateServer, latency: float, articles: int) -> dict[str, float]:
    site = synthetic_site("bulk", "ru", articles)
    sites = FixtureSites(sites=[site])
    url = sites.urls["bulk"]
    server.latency, server.max_in_flight = latency, 0
    server.learn(site)  # an echoed Russian answer is rejected, and rejections open the breaker
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.yaml"
        sources.write_text(feed_source("bulk", "RU", "ru", url))
        env = {
            **os.environ,
            "NEWS_SOURCES": str(sources),
            "NEWS_DATABASE_URL": f"sqlite:///{tmp}/news.db",
            "NEWS_LIBRETRANSLATE_URL": server.url,
            "NEWS_TRANSLATORS": "libretranslate",
            "NEWS_DOWNLOAD_DELAY": "0",
        }
        started = time.perf_counter()
        crawl = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "bulk", "-L", "WARNING"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        stored = query_count(f"{tmp}/news.db")
    sites.close()
    server.latency = 0
    if crawl.returncode != 0:
        raise SystemExit(crawl.stderr[-2000:])
    return {
        "latency_s": latency,
        "articles": stored,
        "seconds": elapsed,
        "articles_per_s": stored / elapsed,
        "max_in_flight": server.max_in_flight,
    }


def query_count(path: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--articles", type=int, default=200, help="size of the crawled site")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    server = TranslateServer()
    figures = {"cost": cost(server)}
    print("provider         requests/100  chars/100   cached requests/100")
    for name, row in figures["cost"].items():
        first, chars = row["first_requests_per_100"], row["first_characters_per_100"]
        print(f"{name:<16} {first:12.0f} {chars:10.0f} {row['cached_requests_per_100']:12.0f}")
    figures["concurrency"] = concurrency(server, args.latency, args.articles)
    c = figures["concurrency"]
    print(
        f"crawl with {c['latency_s'] * 1000:.0f} ms translation latency: {c['articles']} articles"
        f" in {c['seconds']:.1f} s ({c['articles_per_s']:.1f}/s),"
        f" at most {c['max_in_flight']} translation requests in flight"
    )
    server.close()
    if args.json:
        Path(args.json).write_text(json.dumps({"command": sys.argv, **figures}, indent=2))


if __name__ == "__main__":
    main()
