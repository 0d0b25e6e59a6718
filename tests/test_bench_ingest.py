"""The ingest benchmark's harness and its corpus, on a tiny corpus so that they cannot rot.
No timings are asserted: only that every figure is measured and every page is stored.
The benchmarks are run as `python -m bench...`, as `make bench` runs them: the tests
never import the bench package."""

from __future__ import annotations

import gzip
import json
import random
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import lxml.html
import pytest

from newsspiders.testing.sites import load_sites, render_article
from pipelines.extract.options import ExtractOptions
from pipelines.extract.worker import prepare_page
from pipelines.language.detection import LanguageSetup

ROOT = Path(__file__).resolve().parents[1]
BASE = "http://127.0.0.1:1"


def free_ports(count: int) -> int:
    """The first of `count` consecutive free ports, from a random place: two runs at once
    (test processes, other checkouts' tests) seldom try the same ones."""
    starts = list(range(20000, 30000, count))
    random.shuffle(starts)
    for start in starts:
        sockets = []
        try:
            for port in range(start, start + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return start
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free ports")


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_ingest_benchmark_measures_a_tiny_corpus(tmp_path: Path, backend: str) -> None:
    output = tmp_path / "ingest.json"
    command = [sys.executable, "-m", "bench.ingest", "--pages", "24", "--latency", "0"]
    command += ["--backend", backend, "--json", str(output), "--base-port", str(free_ports(6))]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    (run,) = json.loads(output.read_text())["runs"]
    pipeline, baseline = run["pipeline"], run["baseline"]
    assert run["pages"] == 24 and pipeline["stored"] == 24
    for figure in ("articles_per_s", "cpu_per_article_s", "workers_cpu_per_article_s"):
        assert pipeline[figure] > 0, figure
    assert baseline["pages_per_s"] > 0 and baseline["cpu_per_page_s"] > 0
    # timed before and after the crawl; the small corpus is sampled whole both times
    assert baseline["before"]["pages"] == baseline["after"]["pages"] == 24
    assert baseline["drift"] > 0
    assert pipeline["crawl_process_peak_rss_mb"] > 0 and pipeline["worker_peak_rss_mb"]
    assert pipeline["peak_rss_mb"] >= pipeline["crawl_process_peak_rss_mb"]
    assert run["cpu_ratio"] > 0 and run["throughput_ratio"] > 0
    assert "trafilatura, one process" in result.stdout


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_the_realistic_corpus_keeps_the_markup_and_changes_the_words(tmp_path: Path) -> None:
    """`bench.corpus --real DIR`: real pages' markup (here one fixture page's), their
    words rewritten in each site's language, a distinct article at every URL."""
    site = load_sites()["lavoz"]
    article = site.articles[0]
    html = render_article(site, article, BASE)
    (tmp_path / "article.html.gz").write_bytes(gzip.compress(html.encode()))
    command = [sys.executable, "-m", "bench.corpus", "--pages", "12", "--real", str(tmp_path)]
    command += ["--base-port", str(free_ports(6))]
    corpus = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert corpus.stdout is not None and corpus.stderr is not None
    try:
        ready = corpus.stdout.readline()  # printed once the pages are served
        assert ready, corpus.stderr.read()[-3000:]
        (russian,) = [s for s in json.loads(ready)["sources"] if s["language"] == "ru"]
        urls = re.findall(r"<link>([^<]+\.html)</link>", fetch(russian["feeds"][0]))
        pages = [fetch(url) for url in urls]
    finally:
        corpus.terminate()
        corpus.wait(timeout=30)
    assert len(pages) == 2  # 12 pages over six languages

    tags = [node.tag for node in lxml.html.fromstring(html).iter()]
    assert all([node.tag for node in lxml.html.fromstring(page).iter()] == tags for page in pages)
    setup = LanguageSetup("lingua", frozenset({"es", "ru", "en"}))
    one, two = (
        prepare_page(page, url, ExtractOptions(languages=setup, declared=("ru",)))
        for page, url in zip(pages, urls, strict=True)
    )
    assert one.found is not None and two.found is not None
    assert one.found.canonical_url == urls[0]  # no shared canonical
    assert one.language is not None and one.language.language == "ru"
    assert two.language is not None and two.language.language == "ru"
    assert one.content_hash != two.content_hash
    assert article.paragraphs[0] not in one.found.text
