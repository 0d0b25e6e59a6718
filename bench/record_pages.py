"""Record real publisher pages as regression tests, one per source, as Fundus does.

    .venv/bin/python -m bench.record_pages [--sources config/sources.yaml] [--out tests/pages]

For every entry of the sources file with a page in the shared Fundus set on the same host
(`www.` aside), the page's recorded bytes are copied to `<out>/<host>.html.gz` and its
expectations written to `<out>/expected.json`: the hand-checked title and published day,
and three body sentences from the set's truth (the first, the last, and one holding the
text of a link inside a paragraph, where the page has one). The newest page per host
counts. `tests/test_extract_recorded.py` runs each page through the extraction worker.

A check the extractor fails at recording time is listed under `known_failures`, and the
test marks it as an expected failure (strictly, so fixing it fails until the list is
updated). The expectations themselves never come from the extractor.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import yaml

from bench.extraction_sets import SET_DIRS, Page, load_set
from pipelines.extract.text import normalise
from pipelines.extract.worker import extract_page

ROOT = Path(__file__).resolve().parents[1]
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u00ad\ufeff"))


def visible(text: str) -> str:
    """Whitespace normalised, zero-width characters and soft hyphens left out."""
    return normalise(text.translate(_INVISIBLE))


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def source_hosts(sources_file: Path) -> dict[str, list[str]]:
    """host -> the names of the sources that live there (homepage, feeds, sitemaps)."""
    entries = yaml.safe_load(sources_file.read_text(encoding="utf-8"))["sources"]
    hosts: dict[str, list[str]] = {}
    for entry in entries:
        urls = [
            entry.get("homepage") or "",
            *(entry.get("feeds") or []),
            *(entry.get("sitemaps") or []),
        ]
        for host in {host_of(u) for u in urls if u}:
            hosts.setdefault(host, []).append(entry["name"])
    return hosts


def sentences(body: str) -> list[str]:
    return [s for line in body.splitlines() for s in _SENTENCE.split(line.strip()) if s.strip()]


def linked_sentence(page: Page) -> str | None:
    """A body sentence holding the text of a link that sits inside a paragraph."""
    tree = lxml.html.fromstring(page.html)
    body_sentences = [s for s in sentences(page.body) if len(s) >= 40]
    for paragraph in tree.iter("p"):
        text = normalise(paragraph.text_content())
        for link in paragraph.iter("a"):
            linked = normalise(link.text_content())
            if len(linked) < 4 or len(text) < len(linked) + 30:
                continue
            for sentence in body_sentences:
                if linked in normalise(sentence):
                    return normalise(sentence)
    return None


def expectations(page: Page, sources: list[str]) -> dict[str, Any]:
    body = sentences(page.body)
    checks: dict[str, Any] = {
        "sources": sources,
        "url": page.url,
        "lang": page.lang,
        "title": page.title,
        "published_day": page.published_day,
        "first": normalise(body[0]) if body else None,
        "last": normalise(body[-1]) if body else None,
        "linked": linked_sentence(page),
    }
    checks["known_failures"] = failing_checks(page, checks)
    return checks


def failing_checks(page: Page, checks: dict[str, Any]) -> list[str]:
    found = extract_page(page.html, page.url)
    text = visible(found.text) if found else ""
    failing = []
    if checks["title"] and (found is None or visible(found.title) != visible(checks["title"])):
        failing.append("title")
    if checks["published_day"] and (
        found is None or (found.published or "")[:10] != checks["published_day"]
    ):
        failing.append("published_day")
    for key in ("first", "last", "linked"):
        if checks[key] and visible(checks[key]) not in text:
            failing.append(key)
    return failing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=Path, default=ROOT / "config" / "sources.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "pages")
    args = parser.parse_args(argv)

    hosts = source_hosts(args.sources)
    newest: dict[str, Page] = {}
    for page in load_set("fundus"):
        host = host_of(page.url)
        if host in hosts and (host not in newest or page.page_id > newest[host].page_id):
            newest[host] = page  # ids end in the recording date
    args.out.mkdir(parents=True, exist_ok=True)
    recorded: dict[str, Any] = {}
    for host, page in sorted(newest.items()):
        shutil.copyfile(
            SET_DIRS["fundus"] / "html" / f"{page.page_id}.html.gz", args.out / f"{host}.html.gz"
        )
        recorded[host] = expectations(page, hosts[host])
    (args.out / "expected.json").write_text(
        json.dumps(recorded, indent=1, ensure_ascii=False) + "\n"
    )
    failing = sum(len(e["known_failures"]) for e in recorded.values())
    print(
        f"{len(recorded)} pages recorded under {args.out}, {failing} checks failing now",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
