"""The ingest benchmark's harness, on a tiny corpus so that it cannot rot. No timings are
asserted: only that every figure is measured and every page is stored."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from bench.corpus import realistic_page, word_pool
from newsspiders.testing.sites import load_sites, render_article
from pipelines.extract.options import ExtractOptions
from pipelines.extract.worker import prepare_page
from pipelines.language.detection import LanguageSetup

ROOT = Path(__file__).resolve().parents[1]
BASE = "http://127.0.0.1:1"


def free_ports(count: int) -> int:
    """The first of `count` consecutive free ports."""
    for start in range(23000, 30000, count):
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


def test_a_realistic_page_keeps_the_markup_and_changes_the_words() -> None:
    site = load_sites()["lavoz"]
    article = site.articles[0]
    template = lxml.html.fromstring(render_article(site, article, BASE))
    tokens = word_pool("ru")
    first = realistic_page(template, f"{BASE}/a/1.html", "ru", tokens, seed=1)
    second = realistic_page(template, f"{BASE}/a/2.html", "ru", tokens, seed=2)
    tags = [node.tag for node in template.iter()]
    assert [node.tag for node in lxml.html.fromstring(first).iter()] == tags
    setup = LanguageSetup("lingua", frozenset({"es", "ru", "en"}))
    one, two = (
        prepare_page(page.decode(), url, ExtractOptions(languages=setup, declared=("ru",)))
        for page, url in ((first, f"{BASE}/a/1.html"), (second, f"{BASE}/a/2.html"))
    )
    assert one.found is not None and two.found is not None
    assert one.found.canonical_url == f"{BASE}/a/1.html"  # no shared canonical
    assert one.language is not None and one.language.language == "ru"
    assert one.content_hash != two.content_hash
    assert article.paragraphs[0] not in one.found.text
