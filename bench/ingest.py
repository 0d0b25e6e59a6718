"""Ingest throughput and memory, against trafilatura alone on the same pages.

    .venv/bin/python -m bench.ingest                       # 2,000 pages, SQLite, 100 ms
    .venv/bin/python -m bench.ingest --pages 20000 --backend postgres --latency 0
    .venv/bin/python -m bench.ingest --real ../shared/benchmarks/extraction/html

Serves a corpus (bench/corpus.py) from its own process, runs a real `scrapy crawlall`
into a fresh database with the local translation server answering after `--latency`
seconds, and reports side by side: the single-process trafilatura baseline (pages/s,
CPU per page), the pipeline (articles stored per second, CPU seconds per article, peak
RSS of the crawl's process tree, translation requests in flight), and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import psycopg
import trafilatura
import yaml

from tests.conftest import POSTGRES, query
from tests.fixtures.translate_server import TranslateServer

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def start_corpus(pages: int, real: Path | None, base_port: int) -> tuple[subprocess.Popen, dict]:
    command = [
        sys.executable,
        "-m",
        "bench.corpus",
        "--pages",
        str(pages),
        "--base-port",
        str(base_port),
    ]
    if real:
        command += ["--real", str(real)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    return server, json.loads(server.stdout.readline())


def fetch_corpus(sources: list[dict[str, Any]]) -> list[tuple[str, bytes]]:
    pages = []
    for source in sources:
        feed = urllib.request.urlopen(source["feeds"][0]).read().decode()
        for url in (part.split("</link>")[0] for part in feed.split("<link>")[2:]):
            try:
                pages.append((url, urllib.request.urlopen(url.replace("&amp;", "&")).read()))
            except urllib.error.HTTPError:
                continue  # feed items that are not articles (a video page)
    return pages


def baseline(pages: list[tuple[str, bytes]]) -> dict[str, float]:
    """One process, one loop: trafilatura's own cost per page."""
    cpu, wall = time.process_time(), time.perf_counter()
    for url, html in pages:
        trafilatura.bare_extraction(html.decode("utf-8", "replace"), url=url, with_metadata=True)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"pages_per_s": len(pages) / wall, "cpu_per_page_s": cpu / len(pages)}


def process_tree(root: int) -> dict[int, tuple[float, float]]:
    """(resident MB, CPU seconds so far) of a process and each of its descendants."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
        found[pid] = (int(fields[21]) * PAGE / 2**20, cpu)  # rss pages
    return found


def database(backend: str, tmp: Path) -> tuple[str, str | None]:
    if backend == "sqlite":
        return f"sqlite:///{tmp}/news.db", None
    schema = f"ingest_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    return f"{POSTGRES}?options=-csearch_path%3D{schema}", schema


def pipeline(sources: list[dict[str, Any]], backend: str, latency: float) -> dict[str, float]:
    translator = TranslateServer()
    translator.echo_unknown, translator.latency = True, latency
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}))
        url, schema = database(backend, tmp)
        env = {
            **os.environ,
            "NEWS_SOURCES": str(tmp / "sources.yaml"),
            "NEWS_DATABASE_URL": url,
            "NEWS_LIBRETRANSLATE_URL": translator.url,
            "NEWS_TRANSLATORS": "libretranslate",
            "NEWS_DOWNLOAD_DELAY": "0",
            "NEWS_CONCURRENT_SOURCES": str(len(sources)),
            "NEWS_JOURNAL_DIR": str(tmp / "journal"),
        }
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        crawl = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawlall", "-L", "WARNING",
             "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        peak, main_peak, in_flight = 0.0, 0.0, []
        cpu_seen: dict[int, float] = {}  # last CPU time seen per process
        done = threading.Event()

        def sample() -> None:
            nonlocal peak, main_peak
            while not done.is_set():
                tree = process_tree(crawl.pid)
                peak = max(peak, sum(rss for rss, _ in tree.values()))
                main_peak = max(main_peak, tree.get(crawl.pid, (0.0, 0.0))[0])
                cpu_seen.update({pid: cpu for pid, (_, cpu) in tree.items()})
                in_flight.append(translator.in_flight)
                time.sleep(0.2)

        sampler = threading.Thread(target=sample)
        sampler.start()
        _, log = crawl.communicate()
        done.set()
        sampler.join()
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if crawl.returncode != 0:
            raise SystemExit(f"crawl failed:\n{log[-3000:]}")
        stored = query(url, "SELECT COUNT(*) AS n FROM articles")[0]["n"]
        if schema:
            with psycopg.connect(POSTGRES, autocommit=True) as admin:
                admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    translator.close()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    busy = [n for n in in_flight if n]
    return {
        "stored": stored,
        "seconds": wall,
        "articles_per_s": stored / wall,
        "cpu_per_article_s": cpu / max(stored, 1),
        "peak_rss_mb": peak,
        "crawl_process_peak_rss_mb": main_peak,
        # Sampled every 0.2 s, so the crawl process's last moments are missing; the rest of
        # the tree's CPU is the extraction workers'.
        "crawl_process_cpu_per_article_s": cpu_seen.get(crawl.pid, 0.0) / max(stored, 1),
        "translation_in_flight_max": max(in_flight, default=0),
        "translation_in_flight_mean": sum(busy) / len(busy) if busy else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--latency", type=float, default=0.1, help="translation latency (s)")
    parser.add_argument("--real", type=Path, help="real article pages (*.html.gz) as templates")
    parser.add_argument("--base-port", type=int, default=18200)
    parser.add_argument("--json", type=Path, default=Path("data/bench/ingest.json"))
    args = parser.parse_args()

    server, corpus = start_corpus(args.pages, args.real, args.base_port)
    try:
        pages = fetch_corpus(corpus["sources"])
        base = baseline(pages)
        run = pipeline(corpus["sources"], args.backend, args.latency)
    finally:
        server.terminate()
        server.wait()
    figures = {
        "command": " ".join(sys.argv),
        "pages": len(pages),
        "baseline": base,
        "pipeline": run,
        "throughput_ratio": run["articles_per_s"] / base["pages_per_s"],
        "cpu_ratio": run["cpu_per_article_s"] / base["cpu_per_page_s"],
    }
    print(f"{'':<34}{'per second':>12}{'CPU ms / page':>15}{'peak RSS MB':>13}")
    print(f"{'trafilatura, one process':<34}{base['pages_per_s']:>12.1f}"
          f"{base['cpu_per_page_s'] * 1000:>15.1f}{'':>13}")  # fmt: skip
    print(f"{'pipeline (' + args.backend + f', {args.latency * 1000:.0f} ms)':<34}"
          f"{run['articles_per_s']:>12.1f}{run['cpu_per_article_s'] * 1000:>15.1f}"
          f"{run['peak_rss_mb']:>13.0f}")  # fmt: skip
    print(
        f"stored {run['stored']} of {len(pages)} pages;"
        f" throughput x{figures['throughput_ratio']:.2f},"
        f" CPU per article x{figures['cpu_ratio']:.2f} of trafilatura's;"
        f" of the CPU, {run['crawl_process_cpu_per_article_s'] * 1000:.1f} ms per article in the"
        f" crawl process itself (peak {run['crawl_process_peak_rss_mb']:.0f} MB);"
        f" translation requests in flight max {run['translation_in_flight_max']},"
        f" mean {run['translation_in_flight_mean']:.1f}"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2))
    print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
