"""URL identity: one spelling per article, however the site links to it."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that only track the reader; they never select content.
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|yclid|_ga|ocid|cmpid)$")


def normalize_url(url: str) -> str:
    """Lower-case host, no fragment, no tracking parameters, sorted query."""
    parts = urlsplit(url.strip())
    query_keys = [pair.split("=", 1)[0] for pair in parts.query.split("&") if pair]
    tracking = [key for key in query_keys if _TRACKING.match(key.lower())]
    if tracking:
        url = url_query_cleaner(url, tracking, remove=True, keep_fragments=True)
    url = canonicalize_url(url, keep_fragments=False)
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.lower()))


def url_hash(url: str) -> str:
    """Stable key of a URL after normalisation (hex SHA-1, 40 chars)."""
    return url_key(normalize_url(url))


def url_key(normalized: str) -> str:
    """`url_hash` of a URL that `normalize_url` has already made (normalising is the
    costly part, and the crawl process pays it for every article)."""
    return hashlib.sha1(normalized.encode("utf-8")).hexdigest()


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
