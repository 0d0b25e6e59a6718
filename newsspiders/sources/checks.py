"""What `scrapy sources check` finds beyond the model's field-by-field validation: checks
across entries (two entries on one site), against the wider world (registrable domains,
the translation chain) and on the raw text (provenance comments).

Each check returns one line per finding, `entry N (name)[, field 'x']: what is wrong and
what to do`; the command prefixes the file. Failures make the check fail; warnings don't.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from urllib.parse import urlsplit

import tldextract

from newsspiders.sources.model import REGION_TAGS, Source
from newsspiders.sources.provenance import comment_blocks, read_comments
from pipelines.translate.coverage import coverage


def _where(index: int, source: Source, field: str | None = None) -> str:
    return f"entry {index + 1} ({source.name})" + (f", field '{field}'" if field else "")


# --- failures ------------------------------------------------------------------


def missing_region(sources: list[Source]) -> list[str]:
    """The model refuses unknown tags and a second region; here, an entry with none."""
    return [
        f"{_where(i, s, 'tags')}: no region tag: add one of {', '.join(REGION_TAGS)}"
        for i, s in enumerate(sources)
        if not any(tag in REGION_TAGS for tag in s.tags)
    ]


def site_key(url: str) -> str:
    """A homepage's host, without a leading `www.`, with its port if it names one (the
    fixture sites share 127.0.0.1 and differ by port)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}:{parts.port}" if parts.port else host


def shared_hosts(sources: list[Source]) -> list[str]:
    """Two enabled entries on one site crawl it twice and store its articles twice."""
    first: dict[str, int] = {}
    problems = []
    for index, source in enumerate(sources):
        if not source.enabled:
            continue
        key = site_key(str(source.homepage))
        if key in first:
            other = first[key]
            problems.append(
                f"{_where(index, source, 'homepage')}: {key} is also the homepage of enabled"
                f" {_where(other, sources[other])}: keep one entry (or disable one, with a"
                " disabled_reason)"
            )
        else:
            first[key] = index
    return problems


# Offline: the public suffix list snapshot bundled with tldextract, never fetched.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@cache
def registrable_domain(url_or_host: str) -> str:
    """`news.bbc.co.uk` -> `bbc.co.uk`; an IP address or bare name stays as it is."""
    host = urlsplit(url_or_host).hostname if "://" in url_or_host else url_or_host
    host = (host or "").lower().strip(".")
    return _EXTRACT(host).top_domain_under_public_suffix or host


def foreign_discovery(sources: list[Source]) -> list[str]:
    """A feed on another site is usually a copy-paste slip; a real one (a CDN, a feed
    service) is listed in the entry's `domains:`."""
    problems = []
    for index, source in enumerate(sources):
        if not source.enabled:
            continue
        own = registrable_domain(str(source.homepage))
        allowed = {own} | {registrable_domain(d) for d in source.domains} | set(source.domains)
        for field, urls in _discovery_urls(source):
            for url in urls:
                domain = registrable_domain(url)
                if domain not in allowed:
                    problems.append(
                        f"{_where(index, source, field)}: {url} is on {domain}, not on the"
                        f" homepage's site {own}: fix the URL, or add {domain} to 'domains'"
                    )
    return problems


def _discovery_urls(source: Source) -> Iterable[tuple[str, list[str]]]:
    yield "feeds", [str(feed) for feed in source.feeds]
    yield "sitemaps", [str(sitemap) for sitemap in source.sitemaps]
    if source.listing:
        yield "listing", [str(url) for url in source.listing.urls]


def failures(sources: list[Source]) -> list[str]:
    return missing_region(sources) + shared_hosts(sources) + foreign_discovery(sources)


# --- warnings ------------------------------------------------------------------


PROVENANCE_FORMAT = "'# feed: <github:owner/repo/path or https URL>; checked YYYY-MM-DD (offline)'"


def missing_provenance(sources: list[Source], text: str, today: date) -> list[str]:
    """Entries whose comments do not say where their feed came from and when it was
    last checked, so an editor cannot re-check them."""
    blocks = comment_blocks(text)
    warnings = []
    for index, source in enumerate(sources):
        comments = read_comments(blocks.get(source.name, []), today)
        if comments.found:
            continue
        if comments.malformed:
            why = "; ".join(comments.malformed)
            warnings.append(f"{_where(index, source)}: unreadable provenance comment {why}")
        else:
            warnings.append(
                f"{_where(index, source)}: no provenance comment: add {PROVENANCE_FORMAT}"
                " above its discovery key"
            )
    return warnings


def untranslatable(sources: list[Source], chain: Mapping[str, None], target: str) -> list[str]:
    """Enabled entries in a language no provider of the chain translates (by the
    providers' documented lists): their articles would stay untranslated."""
    result = coverage({s.name: s.language for s in sources if s.enabled}, chain, target)
    names = ",".join(chain)
    return [
        f"{_where(index, source, 'language')}: no provider of the chain {names} translates"
        f" {', '.join(result.uncovered_sources[source.name])}: add a provider that does"
        " (docs/translation.md) or its articles stay untranslated"
        for index, source in enumerate(sources)
        if source.name in result.uncovered_sources
    ]
