"""A corpus of article pages for the ingest benchmark, served cheaply on 127.0.0.1.

Pages are rendered once, up front, and served from memory by a small asyncio HTTP/1.1
server in its own process, so the server's CPU stays out of the crawler's figures.

Two kinds of corpus:
- synthetic (default): fixture-style pages in six languages (newsspiders/testing/synthetic.py);
- realistic (`--real DIR`): the markup of real article pages (e.g.
  ../shared/benchmarks/extraction/html) with their title and text rewritten in the
  site's language from the fixture vocabulary, so every copy costs what a real page costs
  to extract yet is a distinct article in one of six languages.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import gzip
import json
import random
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html

from newsspiders.testing.sites import load_sites, render
from newsspiders.testing.synthetic import synthetic_site
from pipelines.dedup import fingerprints
from pipelines.extract.mojibake import looks_garbled
from pipelines.extract.worker import extract_page, is_article

LANGUAGES = ["fr", "es", "ru", "ar", "ja", "en"]
TEXT_KEYS = {"articleBody", "headline", "description", "alternativeHeadline", "text"}
UNSPACED = {"ja", "zh", "th"}  # written without spaces between words
SITE_COUNTRY = {"fr": "FR", "es": "AR", "ru": "RU", "ar": "EG", "ja": "JP", "en": "GB"}


def synthetic_pages(pages: int, base: str, language: str, seed: int) -> dict[str, bytes]:
    site = synthetic_site(f"bulk{language}", language, pages, seed=seed)
    served: dict[str, bytes] = {}
    for path in ["/rss.xml", "/robots.txt", *(a.path for a in site.articles)]:
        page = render(site, base, path, {})
        assert page is not None
        served[path] = page.body
    return served


def word_pool(language: str) -> list[str]:
    """Every word (or CJK character) of the fixture articles written in `language`."""
    site = next(s for s in load_sites().values() if s.language == language)
    text = " ".join(p for a in site.articles for p in [a.title, *a.paragraphs])
    return fingerprints.tokens(text)


def salad(tokens: list[str], length: int, rng: random.Random, spaced: bool) -> str:
    words = rng.choices(tokens, k=length)
    return (" " if spaced else "").join(words)


def realistic_page(
    template: lxml.html.HtmlElement, url: str, language: str, tokens: list[str], seed: int
) -> bytes:
    """A real page's markup with every text node of its title and body replaced by words
    of `language` drawn at random, length for length: the extraction cost of a real news
    page, the language of a source, and a text no other copy shares."""
    rng = random.Random(seed)
    spaced = language not in UNSPACED
    tree = copy.deepcopy(template)
    tree.set("lang", language)
    # Every copy is its own page: the template's canonical would make them one article.
    for link in tree.xpath("//link[@rel='canonical'] | //link[@rel='amphtml']"):
        link.set("href", url)
    for meta in tree.xpath("//meta[@property='og:url' or @name='twitter:url']"):
        meta.set("content", url)

    def rewrite(text: str | None) -> str | None:
        if not text or not text.strip():
            return text
        words = len(fingerprints.tokens(text))
        # A word of the template's (mostly English) text is about three characters of a
        # language written without spaces.
        return salad(tokens, max(1, words if spaced else 3 * words), rng, spaced)

    for meta in tree.xpath(
        "//meta[contains(@property, 'title') or contains(@name, 'title')"
        " or contains(@property, 'description') or @name='description']"
    ):
        meta.set("content", rewrite(meta.get("content")) or "")
    for title in tree.xpath("//title"):
        title.text = rewrite(title.text)
    for script in tree.xpath("//script[@type='application/ld+json']"):
        script.text = rewrite_json_ld(script.text or "", rewrite)
    for node in tree.xpath("//*[not(ancestor-or-self::script or ancestor-or-self::style)]"):
        node.text = rewrite(node.text)
        node.tail = rewrite(node.tail)
    return lxml.html.tostring(tree, encoding="utf-8")


def rewrite_json_ld(source: str, rewrite: Callable[[str], str | None]) -> str:
    """The page's JSON-LD with its texts (body, headline, description) rewritten too."""
    try:
        data = json.loads(source)
    except ValueError:
        return ""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: rewrite(item) if key in TEXT_KEYS and isinstance(item, str) else walk(item)
                for key, item in value.items()
            }
        return [walk(item) for item in value] if isinstance(value, list) else value

    return json.dumps(walk(data), ensure_ascii=False)


@cache
def article_templates(folder: Path) -> list[lxml.html.HtmlElement]:
    """The real pages that are articles by the pipeline's own rules: not garbled beyond
    repair, not declared a non-article type (a home or video page). The ingest benchmark
    measures throughput on articles; the tests cover the pages that get dropped."""
    kept = []
    for path in sorted(folder.glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes())
        text = html.decode("utf-8", "replace")
        found = extract_page(text, "http://127.0.0.1/")
        if found is not None and is_article(found.page_types) and not looks_garbled(text):
            kept.append(lxml.html.fromstring(text))
    return kept


def real_pages(pages: int, base: str, folder: Path, offset: int, language: str) -> dict[str, bytes]:
    templates = article_templates(folder)
    tokens = word_pool(language)
    now = datetime.now(UTC)
    served: dict[str, bytes] = {}
    items = []
    for n in range(pages):
        number = offset + n
        path = f"/a/{number}.html"
        template = templates[number % len(templates)]
        served[path] = realistic_page(template, base + path, language, tokens, number)
        # Dated like any news feed: the newest first, a few minutes apart.
        date = format_datetime(now - timedelta(minutes=n))
        items.append(
            f"<item><title>{n}</title><link>{base}{path}</link><pubDate>{date}</pubDate></item>"
        )
    served["/rss.xml"] = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>real</title><link>{base}/</link>'
        f"{''.join(items)}</channel></rss>"
    ).encode()
    served["/robots.txt"] = b"User-agent: *\nAllow: /\n"
    return served


async def serve(sites: list[dict[str, bytes]], ports: list[int], ready: str) -> None:
    async def handler_for(pages: dict[str, bytes]):  # noqa: ANN202
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while True:
                    request = await reader.readuntil(b"\r\n\r\n")
                    path = request.split(b" ", 2)[1].decode().split("?")[0]
                    body = pages.get(path)
                    status = b"200 OK" if body is not None else b"404 Not Found"
                    body = body if body is not None else b"not found"
                    kind = b"application/rss+xml" if path.endswith(".xml") else b"text/html"
                    writer.write(
                        b"HTTP/1.1 " + status + b"\r\nContent-Type: " + kind + b"; charset=utf-8"
                        + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                    )  # fmt: skip
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                writer.close()

        return handle

    servers = [
        await asyncio.start_server(await handler_for(pages), "127.0.0.1", port)
        for pages, port in zip(sites, ports, strict=True)
    ]
    print(ready, flush=True)  # only now: the benchmark starts fetching when it reads this
    await asyncio.gather(*(server.serve_forever() for server in servers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--real", type=Path, help="a folder of real *.html.gz pages")
    parser.add_argument("--base-port", type=int, required=True)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    per_site = max(1, args.pages // len(LANGUAGES))
    sites, ports, sources = [], [], []
    for i, language in enumerate(LANGUAGES):
        port = args.base_port + i
        base = f"http://127.0.0.1:{port}"
        if args.real:
            sites.append(real_pages(per_site, base, args.real, i * per_site, language))
        else:
            sites.append(synthetic_pages(per_site, base, language, args.seed))
        ports.append(port)
        sources.append(
            {
                "name": f"bulk{i}",
                "country": SITE_COUNTRY[LANGUAGES[i]],
                "language": language,
                "homepage": f"{base}/",
                "feeds": [f"{base}/rss.xml"],
            }  # fmt: skip
        )
    ready = json.dumps({"sources": sources, "pages": sum(len(s) - 2 for s in sites)})
    try:
        asyncio.run(serve(sites, ports, ready))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
