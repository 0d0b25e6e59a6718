"""Soak test: crawl again and again, as cron would, while the sites misbehave, the
database restarts and the translator fails; then check that nothing was lost or stored
twice, nothing garbled was marked translated and no run got stuck.

    .venv/bin/python -m bench.soak                 # 10 minutes, PostgreSQL
    .venv/bin/python -m bench.soak --minutes 2

Two sites (English, and Russian that needs translating) publish new articles as time goes
on, answer 5 % of requests with 500 and 5 % slowly; every ~60 s the database connection
is cut for a few seconds (a TCP proxy in front of PostgreSQL); every ~30 s the translator
(the local LibreTranslate-speaking server) refuses a burst of requests or hangs past the
timeout. Each round is one `scrapy crawlall`; a crawl that outlives `--stuck-after`
seconds is killed and counted as stuck. At the end the faults stop, one more crawl and
one `scrapy retranslate` run, and the report compares articles published vs stored,
counts duplicates, translations left pending, translated articles that are garbled
(U+FFFD, or the original text returned), crawl_runs rows never finished, and the crawl
process's peak memory. Never run by the tests.
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
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from newsspiders.testing.databases import postgres_schema, query
from newsspiders.testing.http import BackgroundServer, QuietHandler
from newsspiders.testing.serve import feed_source
from newsspiders.testing.sites import Site, render
from newsspiders.testing.synthetic import synthetic_site
from newsspiders.testing.tcpproxy import TcpProxy
from newsspiders.testing.translate_server import TranslateServer

ROOT = Path(__file__).resolve().parents[1]


class FaultySite(BackgroundServer):
    """A growing synthetic site; `faults` on: 5 % errors, 5 % slow answers."""

    def __init__(self, key: str, language: str, total: int, seed: int):
        self.full = synthetic_site(key, language, total, seed=seed)
        self.published = 0
        self.faults = True
        self.rng = random.Random(seed)
        self.serve(self._handler())

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


def run_scrapy(env: dict[str, str], command: list[str], stuck_after: float) -> dict[str, Any]:
    """One scrapy command; killed (and reported stuck) when it outlives `stuck_after`."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapy", *command, "-L", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    peak, stuck = 0.0, False
    while process.poll() is None:
        peak = max(peak, rss_mb(process.pid))
        if time.monotonic() - started > stuck_after:
            stuck = True
            process.kill()
        time.sleep(0.5)
    return {
        "seconds": round(time.monotonic() - started, 1),
        "rc": process.returncode,
        "stuck": stuck,
        "peak_rss_mb": round(peak, 1),
    }


def soak(args: argparse.Namespace, sites: list[FaultySite], direct: str) -> dict[str, Any]:
    """Crawl `sites` round after round for the whole run, with database and translator
    faults now and then."""
    proxy = TcpProxy("127.0.0.1", 5432)
    translator = TranslateServer()
    for site in sites:
        translator.learn(site.full)
    tmp = Path(tempfile.mkdtemp())
    (tmp / "sources.yaml").write_text(
        "sources:\n"
        + "".join(
            feed_source(s.full.key, s.full.country, s.full.language, s.url).split("\n", 1)[1]
            for s in sites
        )
    )
    env = {
        **os.environ,
        "NEWS_SOURCES": str(tmp / "sources.yaml"),
        "NEWS_DATABASE_URL": direct.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}"),
        "NEWS_JOURNAL_DIR": str(tmp / "journal"),
        "NEWS_STORE_BATCH_SIZE": "20",
        "NEWS_DOWNLOAD_DELAY": "0",
        "NEWS_TRANSLATORS": "libretranslate",
        "NEWS_LIBRETRANSLATE_URL": translator.url,
        "NEWS_TRANSLATE_TIMEOUT": "3",
    }
    crawl = ["crawlall"]
    stop = time.monotonic() + args.minutes * 60
    per_step = max(1, args.articles // max(1, int(args.minutes * 6)))

    def cut_now_and_then() -> None:
        rng = random.Random(args.seed)
        while time.monotonic() < stop:
            time.sleep(rng.uniform(40, 80))
            proxy.cut()
            time.sleep(rng.uniform(2, 5))
            proxy.restore()

    def upset_translator_now_and_then() -> None:
        rng = random.Random(args.seed + 1)
        while time.monotonic() < stop:
            time.sleep(rng.uniform(20, 40))
            if rng.random() < 0.5:
                translator.fail_next(503, times=rng.randint(5, 40))
            else:
                translator.hang_next(4.0, times=rng.randint(2, 6))  # past the 3 s timeout

    threading.Thread(target=cut_now_and_then, daemon=True).start()
    threading.Thread(target=upset_translator_now_and_then, daemon=True).start()
    runs = []
    while time.monotonic() < stop:
        for site in sites:
            site.publish(per_step)
        runs.append({"published": sum(s.published for s in sites)})
        runs[-1].update(run_scrapy(env, crawl, args.stuck_after))
        print(json.dumps(runs[-1]), flush=True)
    for site in sites:
        site.faults = False
        site.publish(args.articles)
    proxy.restore()
    translator.reset()
    for site in sites:
        translator.learn(site.full)
    final = run_scrapy(env, crawl, args.stuck_after)
    retranslate = run_scrapy(env, ["retranslate"], args.stuck_after)
    report = {
        "command": sys.argv,
        "runs": len(runs) + 1,
        "published": sum(s.published for s in sites),
        **stored_figures(direct),
        "failed_runs": sum(1 for run in runs if run["rc"] != 0),
        "stuck_runs": sum(1 for run in [*runs, final, retranslate] if run["stuck"]),
        "peak_rss_mb_first": runs[0]["peak_rss_mb"] if runs else final["peak_rss_mb"],
        "peak_rss_mb_max": max([run["peak_rss_mb"] for run in runs] + [final["peak_rss_mb"]]),
        "final_run_rc": final["rc"],
        "retranslate_rc": retranslate["rc"],
        "translation_requests": translator.requests,
    }
    proxy.close()
    translator.close()
    return report


def stored_figures(url: str) -> dict[str, int]:
    counts = query(
        url,
        "SELECT COUNT(*) AS n, COUNT(DISTINCT url_hash) AS urls,"
        " COUNT(DISTINCT content_hash) AS texts,"
        " SUM(CASE WHEN translation_status = 'pending' THEN 1 ELSE 0 END) AS pending,"
        " SUM(CASE WHEN translation_status = 'done' AND (strpos(text_en, chr(65533)) > 0"
        "   OR strpos(title_en, chr(65533)) > 0 OR text_en = text) THEN 1 ELSE 0 END)"
        "   AS garbled_done"
        " FROM articles",
    )[0]
    unfinished = query(url, "SELECT COUNT(*) AS n FROM crawl_runs WHERE finished_at IS NULL")
    return {
        "stored": counts["n"],
        "duplicates": counts["n"] - min(counts["urls"], counts["texts"]),
        "pending_translations": counts["pending"] or 0,
        "garbled_done": counts["garbled_done"] or 0,
        "unfinished_run_rows": unfinished[0]["n"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--articles", type=int, default=3000, help="published over the run")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--stuck-after", type=float, default=300, help="seconds before a crawl counts as stuck"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    half = args.articles // 2
    sites = [
        FaultySite("soak", "en", half, args.seed),
        FaultySite("soak_ru", "ru", args.articles - half, args.seed + 1),
    ]
    with postgres_schema("soak") as direct:
        report = soak(args, sites, direct)
    print(json.dumps(report, indent=2))
    verdict = (
        report["stored"] == report["published"]
        and report["duplicates"] == 0
        and report["garbled_done"] == 0
        and report["stuck_runs"] == 0
        and report["unfinished_run_rows"] == 0
        and report["pending_translations"] == 0
    )
    print(
        "OK: nothing lost, nothing twice, nothing garbled, no run stuck"
        if verdict
        else "FAILED: see the figures above"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    sys.exit(0 if verdict else 1)


if __name__ == "__main__":
    main()
