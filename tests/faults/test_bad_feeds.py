"""Bad feeds and sitemaps: malformed, hostile (entity bombs, XXE, gzip bombs), looping,
or merely odd (relative links, missing links, strange or future dates)."""

from __future__ import annotations

import gzip
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.http import Response, XmlResponse

from newsspiders.spiders.discovery import DiscoveryError, links_from_feed, read_sitemap
from tests.conftest import Project

BASE = "http://127.0.0.1:8000"

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>\n"
)  # fmt: skip


def feed(body: str) -> XmlResponse:
    return XmlResponse(url=f"{BASE}/feed.xml", body=body.encode())


def test_malformed_feed_is_an_error_but_a_partly_broken_one_keeps_its_items() -> None:
    with pytest.raises(DiscoveryError):
        links_from_feed(feed("<rss><channel><item><title>unclosed"))
    partly = links_from_feed(
        feed(
            "<rss version='2.0'><channel><item><title>A</title><link>/a.html</link></item>"
            "<item><title>B & C</title><link>/b.html</link></item></channel></rss>"
        )
    )
    assert [link.url for link in partly][:1] == [f"{BASE}/a.html"]


def test_billion_laughs_is_not_expanded() -> None:
    started = time.monotonic()
    body = (
        LAUGHS
        + "<rss version='2.0'><channel><item><title>&lol9;</title><link>/a</link></item></channel></rss>"
    )
    try:
        links = links_from_feed(feed(body))
    except DiscoveryError:
        links = []
    assert all(len(link.title or "") < 10_000 for link in links)
    sitemap = LAUGHS + "<urlset><url><loc>http://x/&lol9;</loc></url></urlset>"
    try:
        page = read_sitemap(XmlResponse(url=f"{BASE}/s.xml", body=sitemap.encode()), 10**6)
        assert all(len(link.url) < 10_000 for link in page.links)
    except DiscoveryError:
        pass
    assert time.monotonic() - started < 5


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    doctype = f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
    rss = (
        doctype
        + "<rss version='2.0'><channel><item><title>&xxe;</title><link>/a</link></item></channel></rss>"
    )
    try:
        links = links_from_feed(feed(rss))
    except DiscoveryError:
        links = []
    assert not any("TOP-SECRET" in (link.title or "") + link.url for link in links)
    sitemap = doctype + "<urlset><url><loc>http://x/&xxe;</loc></url></urlset>"
    try:
        page = read_sitemap(XmlResponse(url=f"{BASE}/s.xml", body=sitemap.encode()), 10**6)
        assert not any("TOP-SECRET" in link.url for link in page.links)
    except DiscoveryError:
        pass


def test_gzip_bomb_sitemap_is_capped() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 50_000_000 + b"</urlset>")
    assert len(bomb) < 100_000
    with pytest.raises(DiscoveryError, match="larger than"):
        read_sitemap(Response(url=f"{BASE}/news.xml.gz", body=bomb), max_size=10_000_000)


def test_items_without_links_are_skipped_and_relative_links_resolved() -> None:
    links = links_from_feed(
        feed(
            "<rss version='2.0'><channel><item><title>no link</title></item>"
            "<item><title>rel</title><link>../news/a.html</link></item>"
            "<item><title>abs</title><link>https://other.example/b.html</link></item>"
            "</channel></rss>"
        )
    )
    assert [link.url for link in links] == [
        f"{BASE}/news/a.html".replace("/news/../", "/"),
        "https://other.example/b.html",
    ]


def test_odd_and_future_dates() -> None:
    tomorrow = datetime.now(UTC) + timedelta(days=3)
    links = links_from_feed(
        feed(
            "<rss version='2.0'><channel>"
            "<item><link>/tz</link><pubDate>Tue, 24 Nov 2026 23:30:00 -0500</pubDate></item>"
            "<item><link>/iso</link><pubDate>2026-11-24T10:00:00+09:00</pubDate></item>"
            "<item><link>/named</link><pubDate>Tue, 24 Nov 2026 10:00:00 PST</pubDate></item>"
            "<item><link>/junk</link><pubDate>yesterday-ish</pubDate></item>"
            f"<item><link>/future</link><pubDate>{tomorrow:%a, %d %b %Y %H:%M:%S} +0000</pubDate></item>"
            "</channel></rss>"
        )
    )
    dates = {link.url.rsplit("/", 1)[1]: link.published for link in links}
    assert dates["tz"] == datetime(2026, 11, 25, 4, 30, tzinfo=UTC)
    assert dates["iso"] == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    assert dates["named"] == datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
    assert dates["junk"] is None  # unknown: fetched, then dated from the page itself
    assert dates["future"] is None  # a date days ahead is not believed


def test_a_looping_sitemap_index_is_read_once(project: Project, tmp_path: Path) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits: dict[str, int] = {}

    class Loop(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits[self.path] = hits.get(self.path, 0) + 1
            other = "/b.xml" if self.path == "/a.xml" else "/a.xml"
            host = f"http://{self.headers['Host']}"
            body = (
                '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{host}{other}</loc></sitemap><sitemap><loc>{host}{self.path}</loc></sitemap>"
                "</sitemapindex>"
            ).encode()
            self.send_response(200 if self.path != "/robots.txt" else 404)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Loop)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    project.sources.write_text(
        f"sources:\n  - {{name: loop, country: FR, language: fr, homepage: '{url}/',"
        f" sitemaps: ['{url}/a.xml']}}\n"
    )
    try:
        result = project.scrapy("crawl", "loop")
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr[-2000:]
    assert hits.get("/a.xml") == 1 and hits.get("/b.xml") == 1
