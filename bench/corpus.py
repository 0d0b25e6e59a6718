"""A corpus of article pages for the ingest benchmark, served cheaply on 127.0.0.1.

Pages are rendered once, up front, and served from memory by a small asyncio HTTP/1.1
server in its own process, so the server's CPU stays out of the crawler's figures.

Two kinds of corpus:
- synthetic (default): fixture-style pages in six languages (tests/fixtures/synthetic.py);
- real (`--real DIR`): real article pages (e.g. ../shared/benchmarks/extraction/html),
  each copy made unique by a number added to its longest paragraph.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import sys
from pathlib import Path

import lxml.html

from tests.fixtures.sites import render
from tests.fixtures.synthetic import synthetic_site

LANGUAGES = ["fr", "es", "ru", "ar", "ja", "en"]
SITE_COUNTRY = {"fr": "FR", "es": "AR", "ru": "RU", "ar": "EG", "ja": "JP", "en": "GB"}


def synthetic_pages(pages: int, base: str, language: str, seed: int) -> dict[str, bytes]:
    site = synthetic_site(f"bulk{language}", language, pages, seed=seed)
    served: dict[str, bytes] = {}
    for path in ["/rss.xml", "/robots.txt", *(a.path for a in site.articles)]:
        page = render(site, base, path, {})
        assert page is not None
        served[path] = page.body
    return served


def real_pages(pages: int, base: str, folder: Path, offset: int) -> dict[str, bytes]:
    templates = sorted(folder.glob("*.html.gz"))
    served: dict[str, bytes] = {}
    items = []
    for n in range(pages):
        html = gzip.decompress(templates[(offset + n) % len(templates)].read_bytes())
        tree = lxml.html.fromstring(html)
        paragraphs = tree.xpath("//p")
        if paragraphs:
            longest = max(paragraphs, key=lambda p: len(p.text_content()))
            longest.text = f"({offset + n}) " + (longest.text or "")
        path = f"/a/{offset + n}.html"
        served[path] = lxml.html.tostring(tree, encoding="utf-8")
        items.append(f"<item><title>{n}</title><link>{base}{path}</link></item>")
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
                        b"HTTP/1.1 " + status + b"\r\nContent-Type: " + kind
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
            sites.append(real_pages(per_site, base, args.real, i * per_site))
            language = "en"  # mixed; the detector decides per page
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
