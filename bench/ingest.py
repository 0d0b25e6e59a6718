"""Ingest throughput and memory, against trafilatura alone on the same pages.

    .venv/bin/python -m bench.ingest --real ../shared/benchmarks/extraction/html
    .venv/bin/python -m bench.ingest --real ../shared/benchmarks/extraction/html \\
        --pages 2000,20000 --latency 0 --backend postgres
    .venv/bin/python -m bench.ingest --pages 20 --latency 0      # synthetic, a smoke run

Serves a corpus (bench/corpus.py) from its own process, runs a real `scrapy crawlall`
into a fresh database with the local translation server answering after `--latency`
seconds, and reports side by side: the single-process trafilatura baseline (pages/s,
CPU per page; timed before the crawl and again after it, and averaged), the pipeline
(articles stored per second, CPU per article in the crawl process and in the extraction
workers, peak RSS of each process, translation requests in flight), the ratios, and
with two corpus sizes how cost and memory change between them. The figures and the
exact command go to a JSON file.
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
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trafilatura
import yaml

from newsspiders.testing.databases import postgres_schema, query
from newsspiders.testing.translate_server import TranslateServer

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def start_corpus(pages: int, real: Path | None, base_port: int) -> tuple[subprocess.Popen, dict]:
    command = [sys.executable, "-m", "bench.corpus", "--pages", str(pages)]
    command += ["--base-port", str(base_port)] + (["--real", str(real)] if real else [])
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    return server, json.loads(server.stdout.readline())


def corpus_urls(sources: list[dict[str, Any]]) -> list[str]:
    urls = []
    for source in sources:
        feed = urllib.request.urlopen(source["feeds"][0]).read().decode()
        urls += [part.split("</link>")[0] for part in feed.split("<link>")[2:]]
    return urls


def baseline(urls: list[str]) -> dict[str, float]:
    """One process, one loop: trafilatura's own cost per page (the fetching, one page at
    a time so that the corpus never sits in this process's memory, is not timed)."""
    cpu = wall = 0.0
    pages = 0
    for url in urls:
        try:
            html = urllib.request.urlopen(url).read().decode("utf-8", "replace")
        except urllib.error.HTTPError:
            continue  # a feed item that is no page (the synthetic corpus lists a video)
        pages += 1
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        trafilatura.bare_extraction(html, url=url, with_metadata=True)
        cpu += time.process_time() - started_cpu
        wall += time.perf_counter() - started_wall
    return {"pages": pages, "pages_per_s": pages / wall, "cpu_per_page_s": cpu / pages}


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
        found[pid] = (int(fields[21]) * PAGE / 2**20, cpu)  # rss, in pages
    return found


@dataclass
class Sampler:
    """Samples the crawl's process tree and the translation server every 0.2 s."""

    root: int
    translator: TranslateServer
    tree_peak: float = 0.0
    peaks: dict[int, float] = field(default_factory=dict)  # per process
    cpu: dict[int, float] = field(default_factory=dict)  # last CPU time seen per process
    in_flight: list[int] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.done.is_set():
            tree = process_tree(self.root)
            self.tree_peak = max(self.tree_peak, sum(rss for rss, _ in tree.values()))
            for pid, (rss, cpu) in tree.items():
                self.peaks[pid] = max(self.peaks.get(pid, 0.0), rss)
                self.cpu[pid] = cpu
            self.in_flight.append(self.translator.in_flight)
            time.sleep(0.2)


def pipeline(sources: list[dict[str, Any]], backend: str, latency: float) -> dict[str, Any]:
    translator = TranslateServer()
    translator.echo_unknown, translator.latency = True, latency
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        tmp = Path(folder)
        (tmp / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}))
        url = f"sqlite:///{tmp}/news.db"
        if backend == "postgres":
            url = stack.enter_context(postgres_schema("ingest"))
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
        sampler = Sampler(crawl.pid, translator)
        thread = threading.Thread(target=sampler.run)
        thread.start()
        _, log = crawl.communicate()
        sampler.done.set()
        thread.join()
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if crawl.returncode != 0:
            raise SystemExit(f"crawl failed:\n{log[-3000:]}")
        stored = query(url, "SELECT COUNT(*) AS n FROM articles")[0]["n"]
    translator.close()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # Sampled, so the crawl process's last 0.2 s are missing from its share; the rest of
    # the tree's CPU is the extraction workers'.
    crawl_cpu = sampler.cpu.get(crawl.pid, 0.0)
    workers = [peak for pid, peak in sampler.peaks.items() if pid != crawl.pid and peak > 50]
    busy = [n for n in sampler.in_flight if n]
    per = max(stored, 1)
    return {
        "stored": stored,
        "seconds": wall,
        "articles_per_s": stored / wall,
        "cpu_per_article_s": cpu / per,
        "crawl_process_cpu_per_article_s": crawl_cpu / per,
        "workers_cpu_per_article_s": max(cpu - crawl_cpu, 0.0) / per,
        "peak_rss_mb": sampler.tree_peak,
        "crawl_process_peak_rss_mb": sampler.peaks.get(crawl.pid, 0.0),
        "worker_peak_rss_mb": sorted(workers, reverse=True),
        "translation_in_flight_max": max(sampler.in_flight, default=0),
        "translation_in_flight_mean": sum(busy) / len(busy) if busy else 0.0,
    }


def measure(pages: int, args: argparse.Namespace) -> dict[str, Any]:
    server, corpus = start_corpus(pages, args.real, args.base_port)
    try:
        urls = corpus_urls(corpus["sources"])
        before = baseline(urls)
        run = pipeline(corpus["sources"], args.backend, args.latency)
        after = baseline(urls[:: max(1, -(-len(urls) // CHECK_PAGES))])  # step rounded up
    finally:
        server.terminate()
        server.wait()
    base = combined(before, after)
    return {
        "pages": before["pages"],
        "baseline": base,
        "pipeline": run,
        "throughput_ratio": run["articles_per_s"] / base["pages_per_s"],
        "cpu_ratio": run["cpu_per_article_s"] / base["cpu_per_page_s"],
    }


# The machine's speed drifts by tens of percent over minutes (shared hosts), so the
# baseline is timed both before the crawl and after it, over an evenly spread sample of
# at most this many pages, and the ratios use the mean of the two.
CHECK_PAGES = 2000


def combined(before: dict[str, float], after: dict[str, float]) -> dict[str, Any]:
    """The baseline as the mean per-page cost before and after the pipeline ran."""
    cpu = (before["cpu_per_page_s"] + after["cpu_per_page_s"]) / 2
    wall = (1 / before["pages_per_s"] + 1 / after["pages_per_s"]) / 2
    return {
        "pages": before["pages"],
        "pages_per_s": 1 / wall,
        "cpu_per_page_s": cpu,
        "before": before,
        "after": after,
        "drift": after["cpu_per_page_s"] / before["cpu_per_page_s"],
    }


def report(runs: list[dict[str, Any]], args: argparse.Namespace) -> list[str]:
    label = f"pipeline ({args.backend}, {args.latency * 1000:.0f} ms)"
    lines = [
        f"{'pages':>6}  {'':<28}{'per s':>8}{'CPU ms':>8}{'(crawl':>8}{'workers)':>9}"
        f"{'x speed':>9}{'x CPU':>7}{'RSS MB: tree':>14}{'crawl':>7}"
    ]
    for run in runs:
        base, pipe = run["baseline"], run["pipeline"]
        lines.append(
            f"{run['pages']:>6}  {'trafilatura, one process':<28}{base['pages_per_s']:>8.1f}"
            f"{base['cpu_per_page_s'] * 1000:>8.1f}"
            f"   (mean of {base['before']['cpu_per_page_s'] * 1000:.1f} before the crawl"
            f" and {base['after']['cpu_per_page_s'] * 1000:.1f} after it)"
        )
        lines.append(
            f"{'':>6}  {label:<28}{pipe['articles_per_s']:>8.1f}"
            f"{pipe['cpu_per_article_s'] * 1000:>8.1f}"
            f"{pipe['crawl_process_cpu_per_article_s'] * 1000:>8.1f}"
            f"{pipe['workers_cpu_per_article_s'] * 1000:>9.1f}"
            f"{run['throughput_ratio']:>9.2f}{run['cpu_ratio']:>7.2f}"
            f"{pipe['peak_rss_mb']:>14.0f}{pipe['crawl_process_peak_rss_mb']:>7.0f}"
        )
        lines.append(
            f"{'':>6}  stored {pipe['stored']} of {run['pages']};"
            f" translation requests in flight max {pipe['translation_in_flight_max']},"
            f" mean {pipe['translation_in_flight_mean']:.1f};"
            f" workers' peak RSS {', '.join(f'{mb:.0f}' for mb in pipe['worker_peak_rss_mb'])} MB"
        )
    if len(runs) > 1:
        first, last = runs[0], runs[-1]
        lines.append(
            f"from {first['pages']} to {last['pages']} pages:"
            f" CPU per article x{growth(first, last, 'cpu_per_article_s'):.2f},"
            f" throughput ratio {first['throughput_ratio']:.2f} -> {last['throughput_ratio']:.2f},"
            f" crawl process peak RSS x{growth(first, last, 'crawl_process_peak_rss_mb'):.2f}"
        )
    return lines


def growth(first: dict[str, Any], last: dict[str, Any], figure: str) -> float:
    """How a pipeline figure changed from the first corpus size to the last."""
    return float(last["pipeline"][figure] / first["pipeline"][figure])


def _rerun_command() -> str:
    """The command line as one would type it again from the project's root."""
    return " ".join([".venv/bin/python", "-m", "bench.ingest", *sys.argv[1:]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages", default="2000", help="corpus size, or sizes to compare: 2000,20000"
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--latency", type=float, default=0.1, help="translation latency (s)")
    parser.add_argument("--real", type=Path, help="real article pages (*.html.gz) as templates")
    parser.add_argument("--base-port", type=int, default=18200)
    parser.add_argument("--json", type=Path, default=Path("data/bench/ingest.json"))
    args = parser.parse_args()

    runs = [measure(int(size), args) for size in args.pages.split(",")]
    for line in report(runs, args):
        print(line)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"command": _rerun_command(), "runs": runs}, indent=2))
    print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
