"""Ctrl-C and SIGTERM stop a crawl within seconds, not after its backlog.

Scrapy's graceful shutdown waits for every request handed to the downloader, however
long its queues. So on the first signal the requests not yet sent are dropped
(`pipelines.store.stopping`), then Scrapy's own handler runs as usual: pages being
downloaded finish, articles in the pipeline are stored, the run is recorded as
`shutdown`. A second signal still stops at once (Scrapy's handler for it).
"""

from __future__ import annotations

import signal
from functools import partial
from types import FrameType
from typing import Any

from scrapy.crawler import CrawlerProcessBase

from pipelines.store.stopping import drop_unsent

SIGNALS = (signal.SIGINT, signal.SIGTERM)


def stop_promptly(process: CrawlerProcessBase) -> None:
    """Call before `process.start()`: wraps the handlers Scrapy installs at start-up
    (in a startup trigger registered by `start()`, so after this one: hence callLater)."""
    from twisted.internet import reactor

    reactor.callWhenRunning(reactor.callLater, 0, _wrap_handlers, process)


def _wrap_handlers(process: CrawlerProcessBase) -> None:
    for signum in SIGNALS:
        scrapys = signal.getsignal(signum)
        if callable(scrapys):
            signal.signal(signum, partial(_on_signal, process, scrapys))


def _on_signal(
    process: CrawlerProcessBase, scrapys: Any, signum: int, frame: FrameType | None
) -> None:
    from twisted.internet import reactor

    # A signal handler may interrupt the reactor anywhere: the queues are touched from
    # the reactor's own loop, before Scrapy's graceful stop (queued after this).
    reactor.callFromThread(_drop_unsent, process)
    scrapys(signum, frame)  # installs Scrapy's handler for a second signal


def _drop_unsent(process: CrawlerProcessBase) -> None:
    for crawler in process.crawlers:
        drop_unsent(crawler)
