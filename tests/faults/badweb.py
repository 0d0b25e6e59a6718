"""A news site that serves the web's mistakes, one per path, on 127.0.0.1.

Its feed (/feed.xml, relative links) lists every page below; each page is one bad case,
except the few real articles among them that must come through.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

from newsspiders.testing.http import Responder, RoutedServer, links_feed
from newsspiders.testing.sites import load_sites, render_article

SITES = load_sites()
FRENCH = SITES["lejournal"]
RUSSIAN = SITES["vestnik"]

# page -> the outcome the pipeline promises (docs/reliability.md)
STORED = {
    "/good.html": FRENCH.articles[0],
    "/charset-conflict.html": RUSSIAN.articles[0],
    "/mojibake.html": FRENCH.articles[1],
    "/busy.html": FRENCH.articles[2],
    "/maintenance.html": RUSSIAN.articles[1],
    "/malformed.html": RUSSIAN.articles[2],
}
PAGES = [
    *STORED,
    "/nobody.html", "/binary.html", "/empty.html", "/huge.html", "/report.pdf", "/photo.jpg",
    "/cookiewall.html", "/paywall.html", "/missing.html", "/gone.html", "/broken.html",
    "/slow.html", "/loop-a.html", "/elsewhere.html", "/dataloss.html",
]  # fmt: skip

COOKIE_WALL = (
    "<html lang='fr'><head><title>Avant de continuer</title></head><body><div id='consent'>"
    "<h1>Vos choix concernant les cookies</h1><p>Nous utilisons des cookies et des"
    " technologies similaires pour mesurer l'audience. Acceptez-vous le dépôt de cookies ?</p>"
    "<button>Accepter</button><button>Refuser</button></div></body></html>"
)


def paywall_page() -> str:
    article = FRENCH.articles[3]
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
          "isAccessibleForFree": False}  # fmt: skip
    return (
        f"<html lang='fr'><head><title>{article.title}</title><script type='application/ld+json'>"
        f"{json.dumps(ld)}</script></head><body><article><h1>{article.title}</h1>"
        f"<p>{article.paragraphs[0][:180]}…</p><div class='paywall'><p>Cet article est"
        " réservé aux abonnés. Abonnez-vous pour lire la suite.</p></div></article></body></html>"
    )


class BadWeb(RoutedServer):
    def feed(self) -> bytes:
        return links_feed("Bad web", self.url, PAGES)

    def route(self, path: str) -> Responder | None:
        route = ROUTES.get(path)
        return None if route is None else lambda handler: route(handler, self)


def _article(handler: BaseHTTPRequestHandler, web: BadWeb, path: str) -> bytes:
    site = FRENCH if STORED[path].site == "lejournal" else RUSSIAN
    html = render_article(site, STORED[path], web.url)
    return html.encode(site.encoding)


def _html(charset: str | None = None) -> str:
    return "text/html" + (f"; charset={charset}" if charset else "")


def _good(h, web):
    h.reply(200, _article(h, web, "/good.html"), _html())


def _charset_conflict(h, web):
    # windows-1251 bytes, a <meta> that says so, and a header that says utf-8.
    h.reply(200, _article(h, web, "/charset-conflict.html"), _html("utf-8"))


def _mojibake(h, web):
    html = render_article(FRENCH, STORED["/mojibake.html"], web.url)
    garbled = html.encode("utf-8").decode("cp1252", errors="ignore")
    h.reply(200, garbled.encode("utf-8"), _html("utf-8"))


def _retry_after(status: int, path: str) -> Callable:
    def route(h, web):
        if web.hits[path] == 1:
            h.reply(status, b"come back later", "text/plain", Retry_After="1")
        else:
            h.reply(200, _article(h, web, path), _html())

    return route


def _malformed(h, web):
    # Unclosed tags and a missing </body></html>: parsers must cope.
    html = _article(h, web, "/malformed.html").decode("cp1251")
    html = html.replace("</p>", "").replace("</div>", "").split("</body>")[0]
    h.reply(200, html.encode("cp1251"), _html())


def _slow(h, web):
    time.sleep(6)  # longer than the test's DOWNLOAD_TIMEOUT
    with contextlib.suppress(OSError):  # the crawler has long hung up
        h.reply(200, b"<html>too late</html>", _html())


ROUTES: dict[str, Callable] = {
    "/feed.xml": lambda h, web: h.reply(200, web.feed(), "application/rss+xml"),
    "/robots.txt": lambda h, web: h.reply(200, b"User-agent: *\nAllow: /\n", "text/plain"),
    "/good.html": _good,
    "/charset-conflict.html": _charset_conflict,
    "/mojibake.html": _mojibake,
    "/busy.html": _retry_after(429, "/busy.html"),
    "/maintenance.html": _retry_after(503, "/maintenance.html"),
    "/malformed.html": _malformed,
    "/nobody.html": lambda h, web: h.reply(
        200, b"<html><head><title>x</title></head></html>", _html()
    ),
    "/binary.html": lambda h, web: h.reply(200, os.urandom(4096), _html()),
    "/empty.html": lambda h, web: h.reply(200, b"", _html()),
    "/huge.html": lambda h, web: h.reply(200, b"<html><body>" + b"<p>x</p>" * 300_000, _html()),
    "/report.pdf": lambda h, web: h.reply(200, b"%PDF-1.4\n" + os.urandom(2000), "application/pdf"),
    "/photo.jpg": lambda h, web: h.reply(200, b"\xff\xd8\xff\xe0" + os.urandom(2000), "image/jpeg"),
    "/cookiewall.html": lambda h, web: h.reply(200, COOKIE_WALL.encode(), _html()),
    "/paywall.html": lambda h, web: h.reply(200, paywall_page().encode(), _html()),
    "/missing.html": lambda h, web: h.reply(404, b"not found", "text/plain"),
    "/gone.html": lambda h, web: h.reply(410, b"gone", "text/plain"),
    "/broken.html": lambda h, web: h.reply(500, b"oops", "text/plain"),
    "/slow.html": _slow,
    "/loop-a.html": lambda h, web: h.reply(302, b"", "text/plain", Location="/loop-b.html"),
    "/loop-b.html": lambda h, web: h.reply(302, b"", "text/plain", Location="/loop-a.html"),
    "/elsewhere.html": lambda h, web: h.reply(
        302, b"", "text/plain", Location=f"http://localhost:{web.port}/good.html"
    ),
    "/dataloss.html": lambda h, web: h.reply(
        200, b"<html><body><p>cut", _html(), Content_Length="5000"
    ),
}
