"""RetryAfterMiddleware: a 429 or 503 with Retry-After holds the host's download slot for
the wait asked, then the page is retried."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic

from scrapy import Request, Spider, signals
from scrapy.core.downloader import Slot
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response

logger = logging.getLogger(__name__)

# The downloader checks lastseen only for a slot with a delay; with DOWNLOAD_DELAY 0 and
# no AutoThrottle a held slot gets this token one.
MIN_SLOT_DELAY = 0.001


def retry_after_seconds(value: bytes | None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def hold_slot(slot: Slot, wait: float) -> None:
    """Make a downloader slot send nothing for `wait` seconds from now.

    The downloader sends a slot's next request once its delay has passed since
    `slot.lastseen`, the moment it last sent one; pushing lastseen to the end of the wait
    holds back every request to the host, queued or yet to come, with no timer of ours.
    AutoThrottle only tunes `slot.delay`, so it cannot undo this, and taking the later of
    two ends means several 429s hold the slot as long as the longest wait, not their sum.
    """
    slot.lastseen = max(slot.lastseen, monotonic() + wait)  # monotonic since Scrapy 2.16
    slot.delay = max(slot.delay, MIN_SLOT_DELAY)


class RetryAfterMiddleware:
    """Honours Retry-After on 429 and 503: holds the host for as long as the server asks,
    and retries the page once that has passed.

    Sits closer to the downloader than Scrapy's RetryMiddleware, which retries these at
    once; a wait longer than NEWS_RETRY_AFTER_MAX gives up on the page for this run.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("NEWS_RETRY_AFTER_MAX")
        # The slot is held when the response arrives, not in process_response: the
        # downloader sends this slot's next queued request before the response reaches
        # the middlewares, and response_downloaded fires just ahead of that.
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def wait_asked(self, response: Response) -> float | None:
        if response.status not in (429, 503):
            return None
        return retry_after_seconds(response.headers.get("Retry-After"))

    def response_downloaded(self, response: Response, request: Request) -> None:
        # Held even when the page is out of retries: the wait is asked of the whole host.
        wait = self.wait_asked(response)
        if wait is None or wait > self.max_wait:
            return
        assert self.crawler.engine is not None
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:  # it is, while the request is in the downloader
            hold_slot(slot, wait)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        wait = self.wait_asked(response)
        if wait is None:
            return response  # Scrapy's RetryMiddleware decides
        stats = self.crawler.stats
        assert stats is not None
        if wait > self.max_wait:
            stats.inc_value("news/retry_after/too_long")
            logger.warning(
                "%s asks to wait %.0f s: giving up on %s", response.status, wait, request
            )
            return response
        assert self.crawler.spider is not None
        retry = get_retry_request(
            request, spider=self.crawler.spider, reason=f"retry_after_{response.status}"
        )
        if retry is None:  # out of retries
            return response
        stats.inc_value("news/retry_after/honoured")
        # No wait here: the slot is held (response_downloaded), so the retry and every
        # other request to the host queue in the downloader until the wait has passed.
        return retry
