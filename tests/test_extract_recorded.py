"""Real pages of real sources, recorded, through the extraction worker (one per source,
as Fundus keeps one per publisher).

`tests/pages/` holds, for every entry of config/sources.yaml with a page in the Fundus
parser test data on its host, that page as recorded and its hand-checked expectations
(title, published day, the body's first and last sentence, a sentence holding an inline
link's text). `python -m bench.record_pages` writes them. Checks the extractor failed at
recording time are strict expected failures: fixing one makes the test fail until the
list in expected.json is updated.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from newsspiders.settings import NEWS_MIN_TEXT_CHARS
from newsspiders.sources.model import load_sources
from pipelines.extract.keep import drop_reason
from pipelines.extract.options import ExtractOptions
from pipelines.extract.text import normalise
from pipelines.extract.worker import Extracted, prepare_page

PAGES = Path(__file__).parent / "pages"
EXPECTED: dict[str, dict[str, Any]] = json.loads((PAGES / "expected.json").read_text("utf-8"))
SOURCES = {s.name: s for s in load_sources(Path(__file__).parents[1] / "config" / "sources.yaml")}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u00ad\ufeff"))
_CACHE: dict[str, Extracted] = {}


def visible(text: str) -> str:
    return normalise(text.translate(_INVISIBLE))


def extracted(host: str) -> Extracted:
    """The page through `prepare_page` (what the extract stage runs in its workers),
    with the source's own extraction hints from config/sources.yaml."""
    if host not in _CACHE:
        expected = EXPECTED[host]
        source = next((SOURCES[n] for n in expected["sources"] if n in SOURCES), None)
        css = source.extract.body_css if source is not None else None
        html = gzip.decompress((PAGES / f"{host}.html.gz").read_bytes()).decode("utf-8")
        prepared = prepare_page(html, expected["url"], ExtractOptions(body_css=css))
        assert prepared.found is not None, f"{host}: nothing extracted"
        _CACHE[host] = prepared.found
    return _CACHE[host]


def cases(check: str) -> list[Any]:
    """One case per recorded page that has `check`, known failures marked."""
    found = []
    for host, expected in EXPECTED.items():
        if not expected.get(check):
            continue
        marks = []
        if check in expected["known_failures"]:
            reason = f"{check} failed when recorded"
            marks.append(pytest.mark.xfail(reason=reason, strict=True))
        found.append(pytest.param(host, id=host, marks=marks))
    return found


def test_every_recorded_page_names_a_source_entry() -> None:
    assert len(EXPECTED) >= 40
    for host, expected in EXPECTED.items():
        assert any(name in SOURCES for name in expected["sources"]), host


@pytest.mark.parametrize("host", cases("url"))
def test_recorded_page_is_kept_as_an_article(host: str) -> None:
    assert drop_reason(extracted(host), NEWS_MIN_TEXT_CHARS) is None


@pytest.mark.parametrize("host", cases("title"))
def test_recorded_title(host: str) -> None:
    assert visible(extracted(host).title) == visible(EXPECTED[host]["title"])


@pytest.mark.parametrize("host", cases("published_day"))
def test_recorded_published_day(host: str) -> None:
    assert (extracted(host).published or "")[:10] == EXPECTED[host]["published_day"]


@pytest.mark.parametrize("host", cases("first"))
def test_recorded_first_sentence(host: str) -> None:
    """Usually the standfirst, which Fundus counts as the body's start."""
    assert visible(EXPECTED[host]["first"]) in visible(extracted(host).text)


@pytest.mark.parametrize("host", cases("last"))
def test_recorded_last_sentence(host: str) -> None:
    assert visible(EXPECTED[host]["last"]) in visible(extracted(host).text)


@pytest.mark.parametrize("host", cases("linked"))
def test_recorded_sentence_with_an_inline_link(host: str) -> None:
    """Link text inside a paragraph is body text: the sentence comes out whole."""
    assert visible(EXPECTED[host]["linked"]) in visible(extracted(host).text)
