"""A site whose pages lie about their character set, one lie per path, on 127.0.0.1.

Its feed (/feed.xml) lists every page. Each page is a fixture article whose Unicode text
is known, served as bytes and labels that a real server might send.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from newsspiders.testing.http import Responder, RoutedServer, links_feed
from newsspiders.testing.sites import FixtureArticle, Site, load_sites, render_article

SITES = load_sites()
FRENCH = SITES["lejournal"]
RUSSIAN = SITES["vestnik"]
GERMAN = replace(FRENCH, key="tagblatt", name="Tagblatt", language="de", country="DE")
GERMAN_ARTICLE = FixtureArticle(
    site="tagblatt",
    slug="bruecke-wieder-offen",
    published=datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
    author="Jörg Weiß",
    section="Regionales",
    title="Die Brücke über die Süderelbe ist wieder geöffnet",
    title_en="The bridge over the Süderelbe has reopened",
    description="Nach vierzehn Monaten Bauzeit fährt der Verkehr wieder.",
    paragraphs=[
        "Nach vierzehn Monaten Bauzeit ist die Brücke über die Süderelbe seit Montagfrüh "
        "wieder für den Verkehr geöffnet. Die Stadtwerke hatten die Fahrbahn vollständig "
        "erneuert und die Stahlträger gegen Rost geschützt.",
        "„Wir sind froh, dass die Pendler nicht länger Umwege fahren müssen“, sagte die "
        "Bürgermeisterin bei der Eröffnung. Künftig dürfen Lastwagen über zwölf Tonnen die "
        "Brücke nur nachts überqueren; für Radfahrer gibt es einen eigenen Streifen.",
        "Die Kosten lagen mit 23,5 Millionen Euro um ein Fünftel über der Schätzung. Grund "
        "seien höhere Preise für Stahl und Beton gewesen, heißt es im Bericht des Bauamts.",
    ],
    paragraphs_en=[],
    comments=[],
)


@dataclass(frozen=True)
class Case:
    """One page: what it holds, how it is served, and what the pipeline promises."""

    site: Site
    article: FixtureArticle
    encoding: str  # the bytes
    content_type: str  # the HTTP header
    meta: str | None = "keep"  # the page's own <meta> charset: "keep" the site's, or None
    corrupt: Callable[[str], str] | None = None  # damage done upstream, before encoding

    @property
    def stored(self) -> bool:
        return self.corrupt is None


def _upstream_mojibake(html: str) -> str:
    # A CMS that read UTF-8 as Windows-1252 and saved what it could not map as U+FFFD.
    return html.encode("utf-8").decode("cp1252", errors="replace")


CASES: dict[str, Case] = {
    # A server's default label (ISO-8859-1) on UTF-8 bytes, and no <meta> to say otherwise.
    "/utf8-served-as-latin1.html": Case(
        RUSSIAN, RUSSIAN.articles[0], "utf-8", "text/html; charset=ISO-8859-1", meta=None
    ),
    # Windows-1252 bytes, labelled UTF-8 in the header and in the page.
    "/cp1252-labelled-utf8.html": Case(
        FRENCH, FRENCH.articles[0], "cp1252", "text/html; charset=utf-8"
    ),
    "/german-cp1252-labelled-utf8.html": Case(
        GERMAN, GERMAN_ARTICLE, "cp1252", "text/html; charset=UTF-8"
    ),
    # KOI8-R declared nowhere: neither Windows-1252 (Scrapy's guess) nor Windows-1251.
    "/koi8r-undeclared.html": Case(RUSSIAN, RUSSIAN.articles[1], "koi8-r", "text/html", meta=None),
    # The server's default over the page's correct <meta>: Windows-1251 bytes read as
    # Windows-1252 have no U+FFFD, only Latin letters where a Russian source has Cyrillic.
    "/latin1-header-over-1251-meta.html": Case(
        RUSSIAN, RUSSIAN.articles[4], "windows-1251", "text/html; charset=iso-8859-1"
    ),
    # Windows-1252 declared nowhere: charset-normalizer alone would take Windows-1250
    # ("č" for "è"); a French source's usual encoding goes first.
    "/cp1252-undeclared.html": Case(FRENCH, FRENCH.articles[2], "cp1252", "text/html", meta=None),
    # Text already ruined upstream: beyond any decoding, never stored.
    "/ruined-upstream.html": Case(
        RUSSIAN,
        RUSSIAN.articles[2],
        "utf-8",
        "text/html; charset=utf-8",
        meta=None,
        corrupt=_upstream_mojibake,
    ),  # fmt: skip
    # The same article, correct, at another address: stored, not folded into the garbage.
    "/correct-copy.html": Case(
        RUSSIAN, RUSSIAN.articles[2], "utf-8", "text/html; charset=utf-8", meta=None
    ),  # fmt: skip
    # Honest pages must not suffer from the suspicion.
    "/good-utf8.html": Case(FRENCH, FRENCH.articles[1], "utf-8", "text/html; charset=utf-8"),
    "/good-windows-1251.html": Case(RUSSIAN, RUSSIAN.articles[3], "windows-1251", "text/html"),
}

_META = re.compile(r"<meta[^>]*charset[^>]*>\n?", re.IGNORECASE)


def page_bytes(case: Case, base: str) -> bytes:
    html = render_article(case.site, case.article, base)
    if case.meta is None:
        html = _META.sub("", html)
    if case.corrupt is not None:
        html = case.corrupt(html)
    # What the encoding cannot hold (KOI8-R has no em dash) goes as a character reference,
    # which the parser turns back into the character: the text stays the article's.
    return html.encode(case.encoding, errors="xmlcharrefreplace")


class CharsetWeb(RoutedServer):
    def feed(self) -> bytes:
        return links_feed("Charsets", self.url, CASES)

    def route(self, path: str) -> Responder | None:
        if path == "/feed.xml":
            return lambda h: h.reply(200, self.feed(), "application/rss+xml")
        if path == "/robots.txt":
            return lambda h: h.reply(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path in CASES:
            case = CASES[path]
            return lambda h: h.reply(200, page_bytes(case, self.url), case.content_type)
        return None
