"""Soak test: crawl again and again, as cron would, while the site misbehaves and the
database restarts; then check that nothing was lost or stored twice.

    .venv/bin/python -m bench.soak                 # 10 minutes, PostgreSQL
    .venv/bin/python -m bench.soak --minutes 2

The site publishes new articles as time goes on, answers 5 % of requests with 500 and
5 % slowly; every ~60 s the database connection is cut for a few seconds (a TCP proxy in
front of PostgreSQL). At the end one more crawl runs without faults, and the report
compares articles published vs stored, counts duplicates, and shows the crawl process's
peak memory per run. Never run by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from newsspiders.testing.databases import postgres_schema, query
from newsspiders.testing.http import QuietHandler
from newsspiders.testing.serve import feed_source
from newsspiders.testing.sites import Site, render
from newsspiders.testing.synthetic import synthetic_site
from newsspiders.testing.tcpproxy import TcpProxy

ROOT = Path(__file__).resolve().parents[1]


class FaultySite:
    """A growing synthetic site; `faults` on: 5 % errors, 5 % slow answers."""

    def __init__(self, total: int, seed: int):
        self.full = synthetic_site("soak", "en", total, seed=seed)
        self.published = 0
        self.faults = True
        self.rng = random.Random(seed)
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.http.server_port}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def publish(self, count: int) -> None:
        self.published = min(len(self.full.articles), self.published + count)

    def current(self) -> Site:
        # Newest first, as feeds list them: the synthetic articles get older with n.
        shown = self.full.articles[-self.published :] if self.published else []
        return Site(
            self.full.key, self.full.name, self.full.language, self.full.country,
            self.full.chrome, shown,
        )  # fmt: skip

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                roll = site.rng.random()
                if site.faults and roll < 0.05:
                    self.send_error(500)
                    return
                if site.faults and roll < 0.10:
                    time.sleep(site.rng.uniform(0.5, 2.0))
                parts = urlsplit(self.path)
                page = render(site.current(), site.url, parts.path, dict(parse_qsl(parts.query)))
                if page is None:
                    self.send_error(404)
                    return
                self.reply(200, page.body, page.content_type)

        return Handler


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def crawl(env: dict[str, str]) -> dict[str, Any]:
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "soak", "-L", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, rss_mb(process.pid))
        time.sleep(0.5)
    process.communicate()
    return {"seconds": time.monotonic() - started, "rc": process.returncode, "peak_rss_mb": peak}


def soak(args: argparse.Namespace, site: FaultySite, direct: str) -> dict[str, Any]:
    """Crawl `site` every ~10 s for the whole run, cutting the database now and then."""
    proxy = TcpProxy("127.0.0.1", 5432)
    tmp = Path(tempfile.mkdtemp())
    (tmp / "sources.yaml").write_text(feed_source("soak", "GB", "en", site.url))
    env = {
        **os.environ,
        "NEWS_SOURCES": str(tmp / "sources.yaml"),
        "NEWS_DATABASE_URL": direct.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}"),
        "NEWS_JOURNAL_DIR": str(tmp / "journal"),
        "NEWS_STORE_BATCH_SIZE": "20",
        "NEWS_DOWNLOAD_DELAY": "0",
    }
    stop = time.monotonic() + args.minutes * 60
    per_step = max(1, args.articles // max(1, int(args.minutes * 6)))

    def cut_now_and_then() -> None:
        rng = random.Random(args.seed)
        while time.monotonic() < stop:
            time.sleep(rng.uniform(40, 80))
            proxy.cut()
            time.sleep(rng.uniform(2, 5))
            proxy.restore()

    threading.Thread(target=cut_now_and_then, daemon=True).start()
    runs = []
    while time.monotonic() < stop:
        site.publish(per_step)
        runs.append({"published": site.published, **crawl(env)})
        print(json.dumps(runs[-1]), flush=True)
    site.faults = False
    proxy.restore()
    site.publish(args.articles)
    final = crawl(env)
    counts = query(
        direct,
        "SELECT COUNT(*) AS n, COUNT(DISTINCT url_hash) AS urls,"
        " COUNT(DISTINCT content_hash) AS texts FROM articles",
    )[0]
    report = {
        "command": sys.argv,
        "runs": len(runs) + 1,
        "published": site.published,
        "stored": counts["n"],
        "duplicates": counts["n"] - min(counts["urls"], counts["texts"]),
        "failed_runs": sum(1 for run in runs if run["rc"] != 0),
        "peak_rss_mb_first": runs[0]["peak_rss_mb"] if runs else final["peak_rss_mb"],
        "peak_rss_mb_max": max([run["peak_rss_mb"] for run in runs] + [final["peak_rss_mb"]]),
        "final_run_rc": final["rc"],
    }
    proxy.close()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--articles", type=int, default=3000, help="published over the run")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    site = FaultySite(args.articles, args.seed)
    with postgres_schema("soak") as direct:
        report = soak(args, site, direct)
    print(json.dumps(report, indent=2))
    verdict = report["stored"] == report["published"] and report["duplicates"] == 0
    print("OK: nothing lost, nothing twice" if verdict else "FAILED: see the figures above")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    sys.exit(0 if verdict else 1)


if __name__ == "__main__":
    main()
