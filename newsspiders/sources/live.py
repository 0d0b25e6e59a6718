"""`scrapy sources check --live`: fetch each discovery URL of a source, as a crawl would,
and say whether the source works today.

For every feed, sitemap and listing page: the HTTP status after redirects (and where they
ended), what robots.txt says for our user agent, how many article links the project's own
discovery parsing finds (after the entry's allow/deny), the newest link's date, and whether
one sampled article (the newest) extracts with the project's own extraction. Verdicts, per
URL (docs/sources.md defines them for operators):

- `dead`: no answer, an HTTP error, robots.txt forbids it, unreadable, or no article links;
- `stale`: links, but the newest dated one is older than `stale_after`;
- `no-text`: fresh links, but the sampled article does not give an article's text;
- `ok`: fresh links and the sample extracts (or the links carry no dates at all).

A source is dead when every one of its discovery URLs is. Sources are checked in parallel
(a few at once); the requests of one source go one after another, with a delay, so no
site sees more than one request at a time from us.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from protego import Protego
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from newsspiders.loader import domains_of
from newsspiders.sources.model import Source
from newsspiders.spiders.charset import decode_html
from newsspiders.spiders.discovery import (
    ArticleLink,
    DiscoveryError,
    links_from_feed,
    links_from_listing,
    read_sitemap,
)
from pipelines.extract.options import ExtractOptions
from pipelines.extract.walls import wall_kind
from pipelines.extract.worker import is_article, prepare_page

VERDICTS = ("ok", "no-text", "stale", "dead")  # best first
# Sitemap indexes can name hundreds of sitemaps: read a few, enough to find links.
MAX_SITEMAP_READS = 4
# Articles tried, newest first, until one extracts.
SAMPLES = 3
# One extraction at a time: it is CPU-bound anyway, and its lazy imports are not
# thread-safe.
_EXTRACTING = threading.Lock()


@dataclass(frozen=True)
class LiveOptions:
    user_agent: str
    timeout: float = 20.0  # seconds per request (connect and each read)
    delay: float = 1.0  # seconds between two requests to one source
    stale_after: timedelta = timedelta(days=7)
    max_bytes: int = 10 * 1024 * 1024
    min_text_chars: int = 400
    sources_at_once: int = 8


@dataclass
class UrlCheck:
    kind: str  # feed | sitemap | listing
    url: str
    status: int | None = None  # of the last response, after redirects
    final_url: str | None = None
    robots: str = "not checked"  # allowed | forbidden | none (...) | unreachable (...)
    items: int = 0
    newest: datetime | None = None
    sample_url: str | None = None
    extracts: bool | None = None  # None: no article sampled
    verdict: str = "dead"
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "url": self.url,
            "status": self.status,
            "final_url": self.final_url,
            "robots": self.robots,
            "items": self.items,
            "newest": self.newest.isoformat() if self.newest else None,
            "sample_url": self.sample_url,
            "extracts": self.extracts,
            "verdict": self.verdict,
            "reason": self.reason,
        }


@dataclass
class SourceCheck:
    source: str
    country: str
    enabled: bool
    urls: list[UrlCheck] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """The best of its URLs' verdicts: one working feed keeps a source alive.
        `unchecked`: no URL to fetch (a `spider_class` entry without feeds)."""
        return min((u.verdict for u in self.urls), key=VERDICTS.index, default="unchecked")

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "country": self.country,
            "enabled": self.enabled,
            "verdict": self.verdict,
            "urls": [u.as_json() for u in self.urls],
        }


# Reads one discovery page into article links (the project's own discovery parsing).
Reader = Callable[[Response], list[ArticleLink]]


class _Fetched:
    """One answer: a Scrapy response (what the discovery parsers read) or why none came."""

    def __init__(self, response: Response | None = None, error: str = ""):
        self.response = response
        self.error = error


class _SourceChecker:
    """Checks one source; one session and one robots.txt per host, requests in turn."""

    def __init__(self, source: Source, options: LiveOptions, now: datetime):
        self.source = source
        self.options = options
        self.now = now
        self.session = requests.Session()
        self.session.headers["User-Agent"] = options.user_agent
        self.session.max_redirects = 10
        self.robots: dict[str, Protego | str] = {}
        self._last_request = 0.0
        self.allow = [re.compile(p) for p in source.allow]
        self.deny = [re.compile(p) for p in source.deny]
        self.domains = sorted(domains_of(source))
        delay = source.settings.DOWNLOAD_DELAY
        self.delay = options.delay if delay is None else max(delay, options.delay)

    def run(self) -> SourceCheck:
        result = SourceCheck(self.source.name, self.source.country, self.source.enabled)
        try:
            for kind, url, reader, languages in self._discovery():
                result.urls.append(self._check_url(kind, url, reader, languages))
        finally:
            self.session.close()
        return result

    def _discovery(self) -> Iterable[tuple[str, str, Reader, list[str]]]:
        """Each discovery URL: its kind, its reader, the languages of its articles."""
        for feed in self.source.feeds:
            yield "feed", str(feed), links_from_feed, self.source.languages_of(feed)
        for sitemap in self.source.sitemaps:
            yield "sitemap", str(sitemap), self._sitemap_links, self.source.languages_of(sitemap)
        if self.source.listing:
            listing = self.source.listing
            for url in listing.urls:
                yield (
                    "listing",
                    str(url),
                    lambda response: links_from_listing(response, listing)[0],
                    list(self.source.language),
                )

    # --- one discovery URL ---------------------------------------------------------

    def _check_url(self, kind: str, url: str, reader: Reader, languages: list[str]) -> UrlCheck:
        check = UrlCheck(kind, url)
        check.robots = self._robots_verdict(url)
        if check.robots == "forbidden":
            check.reason = "robots.txt forbids our user agent to fetch it"
            return check
        fetched = self._fetch(url)
        if fetched.response is None:
            check.reason = fetched.error
            return check
        response = fetched.response
        check.status, check.final_url = response.status, response.url
        if response.status >= 400:
            check.reason = f"HTTP {response.status}"
            return check
        try:
            links = [link for link in reader(response) if self._wanted(link.url)]
        except DiscoveryError as exc:
            check.reason = f"unreadable: {exc}"
            return check
        except Exception as exc:  # noqa: BLE001 - what the spider counts as unreadable too
            check.reason = f"unreadable: {type(exc).__name__}: {exc}"
            return check
        check.items = len(links)
        if not links:
            check.reason = "no article links"
            return check
        dates = [link.published for link in links if link.published]
        check.newest = max(dates, default=None)
        # The newest few, in turn: a feed's newest item may be a video or a live page,
        # which a crawl drops too, so one of them not extracting says little.
        newest_first = sorted(links, key=_published_or_oldest, reverse=True)
        why_not: str | None = None
        for sample in newest_first[:SAMPLES]:
            check.sample_url = sample.url
            why_not = self._extraction_problem(sample, languages)
            if why_not is None:
                break
        check.extracts = why_not is None
        notes = [] if dates else ["items carry no dates"]
        if check.newest and self.now - check.newest > self.options.stale_after:
            check.verdict = "stale"
            notes = [f"newest item {(self.now - check.newest).days} days old"]
        else:
            check.verdict = "ok" if why_not is None else "no-text"
        check.reason = "; ".join(notes + ([why_not] if why_not else []))
        return check

    def _sitemap_links(self, response: Response) -> list[ArticleLink]:
        """Links of a sitemap, following an index (or robots.txt) to a few sitemaps."""
        page = read_sitemap(response, self.options.max_bytes)
        links, queue, reads = list(page.links), list(page.sitemaps), 0
        while queue and not links and reads < MAX_SITEMAP_READS:
            reads += 1
            url = queue.pop(0)
            if self._robots_verdict(url) == "forbidden":
                continue  # a crawl would not read it either
            fetched = self._fetch(url)
            if fetched.response is None or fetched.response.status >= 400:
                continue
            child = read_sitemap(fetched.response, self.options.max_bytes)
            links.extend(child.links)
            queue.extend(child.sitemaps)
        return links

    def _wanted(self, url: str) -> bool:
        """What the spider would request: on the source's domains (Scrapy's offsite
        filter), and through the entry's allow/deny patterns."""
        host = (urlsplit(url).hostname or "").lower()
        if not any(host == domain or host.endswith(f".{domain}") for domain in self.domains):
            return False
        if self.allow and not any(p.search(url) for p in self.allow):
            return False
        return not any(p.search(url) for p in self.deny)

    # --- the sampled article -----------------------------------------------------------

    def _extraction_problem(self, link: ArticleLink, languages: list[str]) -> str | None:
        """None when the article gives an article's text, else why not."""
        if self._robots_verdict(link.url) == "forbidden":
            return "robots.txt forbids the article"
        fetched = self._fetch(link.url)
        response = fetched.response
        if response is None:
            return f"article: {fetched.error}"
        if response.status >= 400:
            return f"article: HTTP {response.status}"
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        html = decode_html(response.body, content_type, languages).text
        options = ExtractOptions(
            body_css=self.source.extract.body_css, search_date=link.published is None
        )
        with _EXTRACTING:
            prepared = prepare_page(html, response.url, options)
        found = prepared.found
        if prepared.repair == "garbled":
            return "article: text garbled beyond repair"
        if found is None or not found.text:
            return "article: no text found"
        if not is_article(found.page_types):
            return f"article: a {found.page_types[0]} page"
        if len(found.text) < self.options.min_text_chars:
            kind = wall_kind(found.text, found.paywalled) or "too short"
            return f"article: {kind} ({len(found.text)} characters)"
        return None

    # --- HTTP ----------------------------------------------------------------------------

    def _robots_verdict(self, url: str) -> str:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            self.robots[origin] = self._read_robots(origin)
        rules = self.robots[origin]
        if isinstance(rules, str):
            return rules
        return "allowed" if rules.can_fetch(url, self.options.user_agent) else "forbidden"

    def _read_robots(self, origin: str) -> Protego | str:
        # As Scrapy's robots.txt middleware: a robots.txt that cannot be had allows all.
        fetched = self._fetch(f"{origin}/robots.txt")
        if fetched.response is None:
            return "unreachable"
        if fetched.response.status >= 400:
            return f"none (HTTP {fetched.response.status})"
        return Protego.parse(fetched.response.body.decode("utf-8", "replace"))

    def _fetch(self, url: str) -> _Fetched:
        wait = self._last_request + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            deadline = time.monotonic() + self.options.timeout
            with self.session.get(url, timeout=self.options.timeout, stream=True) as answer:
                body = _read_capped(answer, self.options.max_bytes, deadline)
        except requests.TooManyRedirects:
            return _Fetched(error="too many redirects")
        except (requests.Timeout, urllib3.exceptions.TimeoutError):
            return _Fetched(error=f"no answer within {self.options.timeout:g} s")
        except urllib3.exceptions.HTTPError as exc:  # the body, read below requests
            return _Fetched(error=f"answer cut short: {_first_line(exc)}")
        except requests.ConnectionError as exc:
            return _Fetched(error=f"unreachable: {_connection_problem(exc)}")
        except requests.RequestException as exc:
            return _Fetched(error=f"{type(exc).__name__}: {_first_line(exc)}")
        finally:
            self._last_request = time.monotonic()
        if body is None:
            return _Fetched(error=f"larger than {self.options.max_bytes} bytes")
        # requests has already undone any Content-Encoding.
        headers = Headers(
            {k: v for k, v in answer.headers.items() if k.lower() != "content-encoding"}
        )
        cls = responsetypes.from_args(headers=headers, url=answer.url, body=body)
        return _Fetched(cls(url=answer.url, status=answer.status_code, headers=headers, body=body))


def _published_or_oldest(link: ArticleLink) -> datetime:
    return link.published or datetime.min.replace(tzinfo=UTC)


def _read_capped(answer: requests.Response, max_bytes: int, deadline: float) -> bytes | None:
    """The body, or None past `max_bytes`; a server that trickles its answer past the
    deadline is a timeout (requests' own timeout is per read, not for the whole).
    `read1` returns what has arrived, so the deadline is looked at as bytes come."""
    chunks, size = [], 0
    while chunk := answer.raw.read1(64 * 1024, decode_content=True):
        if time.monotonic() > deadline:
            raise requests.Timeout("the answer took too long")
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _connection_problem(exc: requests.ConnectionError) -> str:
    """The cause, not urllib3's wrapping of it."""
    text = str(exc)
    for marker, meaning in (
        ("NameResolutionError", "the host name does not resolve"),
        ("Name or service not known", "the host name does not resolve"),
        ("Connection refused", "connection refused"),
        ("Connection reset", "connection reset"),
        ("CERTIFICATE_VERIFY_FAILED", "TLS certificate not valid"),
        ("SSLError", "TLS error"),
        ("RemoteDisconnected", "the server closed the connection without answering"),
    ):
        if marker in text:
            return meaning
    return _first_line(exc)


def _first_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def check_sources(
    sources: list[Source], options: LiveOptions, now: datetime | None = None
) -> list[SourceCheck]:
    """Every source's check, in the given order; a few sources at once."""
    moment = now or datetime.now(UTC)
    with ThreadPoolExecutor(max_workers=max(1, options.sources_at_once)) as pool:
        return list(pool.map(lambda s: _SourceChecker(s, options, moment).run(), sources))
