"""Charset benchmark: real pages' bytes under the labels servers put on them.

    .venv/bin/python -m bench.charsets [--data DIR] [--show N]

The Fundus sample (`../shared/benchmarks/fundus`, 171 pages in 21 languages; see its
README) keeps each page's bytes as recorded, in UTF-8, and no HTTP headers. Each page is
served here seven ways: its UTF-8 bytes labelled UTF-8, labelled nothing (the page's own
<meta> decides), labelled ISO-8859-1 (a common server default); and re-encoded in its
language's usual legacy encoding (Windows-1252 for German, Shift_JIS for Japanese...,
`newsspiders.spiders.charset.LEGACY_ENCODINGS`; what it cannot hold as character
references) with its <meta> charset removed, then labelled nothing, labelled UTF-8,
labelled correctly, or labelled ISO-8859-1 over a correct <meta> put back.

Per way it counts the pages whose text comes out exactly as written, after the
extraction worker's mojibake repair, for Scrapy's own decoding (`TextResponse.text`) and
for the spider's (`decode_html`, given the page's language as the source's), and the
pages the worker would drop as `garbled` instead. A benchmark, not a test: nothing in
tests/ reads this data.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scrapy.http import HtmlResponse

from newsspiders.spiders.charset import decode_html, legacy_encodings
from pipelines.extract.mojibake import repair_mojibake, unreadable

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = (ROOT / ".." / "shared" / "benchmarks" / "fundus").resolve()
_META_CHARSET = re.compile(rb"<meta[^>]*charset[^>]*>", re.IGNORECASE)


@dataclass
class Served:
    """A page as one server would send it, and the text it holds."""

    page_id: str
    language: str
    body: bytes
    content_type: str
    text: str


def utf8(label: str | None) -> Callable[[str, bytes, str], Served]:
    def serve(page_id: str, body: bytes, language: str) -> Served:
        content_type = "text/html" + (f"; charset={label}" if label else "")
        return Served(page_id, language, body, content_type, body.decode("utf-8"))

    return serve


def legacy(label: str | None, meta: bool = False) -> Callable[[str, bytes, str], Served]:
    """The page in its language's usual legacy encoding, labelled `label` ('*': that
    encoding) in the header, and with a correct <meta> charset if `meta`."""

    def serve(page_id: str, body: bytes, language: str) -> Served:
        encoding = legacy_encodings(language)[0]
        html = _META_CHARSET.sub(b"", body).decode("utf-8")
        if meta:
            html = f'<meta charset="{encoding}">' + html
        encoded = html.encode(encoding, errors="xmlcharrefreplace")
        header = encoding if label == "*" else label
        content_type = "text/html" + (f"; charset={header}" if header else "")
        return Served(page_id, language, encoded, content_type, encoded.decode(encoding))

    return serve


WAYS: dict[str, Callable[[str, bytes, str], Served]] = {
    "UTF-8, labelled UTF-8": utf8("utf-8"),
    "UTF-8, no label (<meta> decides)": utf8(None),
    "UTF-8, labelled ISO-8859-1": utf8("ISO-8859-1"),
    "legacy, declared nowhere": legacy(None),
    "legacy, labelled UTF-8": legacy("utf-8"),
    "legacy, labelled correctly": legacy("*"),
    "legacy, ISO-8859-1 over right <meta>": legacy("ISO-8859-1", meta=True),
}


def scrapy_text(served: Served) -> str:
    response = HtmlResponse(
        url="https://example.com/", body=served.body, headers={"Content-Type": served.content_type}
    )
    return response.text


def spider_text(served: Served) -> str:
    return decode_html(served.body, served.content_type, [served.language]).text


DECODERS: dict[str, Callable[[Served], str]] = {"scrapy": scrapy_text, "ours": spider_text}


def outcome(served: Served, decoded: str) -> str:
    """'same' (the text as written), 'garbled' (dropped by the worker) or 'wrong'."""
    repaired, repair = repair_mojibake(decoded)
    if repair == "garbled":
        return "garbled"
    if repaired == served.text:
        return "same"
    return "garbled" if unreadable(repaired) else "wrong"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=5, help="wrong pages listed per way")
    args = parser.parse_args()
    truth = json.loads((args.data / "truth.json").read_text(encoding="utf-8"))
    pages = [
        (path.name.split(".")[0], gzip.decompress(path.read_bytes()))
        for path in sorted((args.data / "html").glob("*.html.gz"))
    ]
    print(f"{len(pages)} pages, {len({truth[p]['lang'] for p, _ in pages})} languages\n")
    print(f"{'served as':34} {'decoder':8} {'same':>5} {'garbled':>8} {'wrong':>6} {'ms/page':>8}")
    for way, serve in WAYS.items():
        served = [serve(page_id, body, truth[page_id]["lang"]) for page_id, body in pages]
        for name, decode in DECODERS.items():
            counts: Counter[str] = Counter()
            wrong: list[str] = []
            started = time.perf_counter()
            decoded = [decode(page) for page in served]
            ms = 1000 * (time.perf_counter() - started) / len(served)
            for page, text in zip(served, decoded, strict=True):
                result = outcome(page, text)
                counts[result] += 1
                if result == "wrong":
                    wrong.append(f"{page.page_id} ({page.language})")
            print(
                f"{way:34} {name:8} {counts['same']:5} {counts['garbled']:8} {counts['wrong']:6}"
                f" {ms:8.1f}"
            )
            if wrong and args.show:
                print(
                    "    wrong: "
                    + ", ".join(wrong[: args.show])
                    + (" ..." * (len(wrong) > args.show))
                )


if __name__ == "__main__":
    main()
