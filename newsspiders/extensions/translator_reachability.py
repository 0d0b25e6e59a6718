"""TranslatorReachability: a crawl whose translation providers all refuse connections
says so once, at the start, in one line naming the chain and the fix.

Nothing is lost meanwhile: the translate stage stores each article `pending`, and
`scrapy retranslate` finishes them once a provider answers. The check only opens a
connection to each provider (no text is sent, so it costs no request or budget), off
the reactor, and runs once per process and chain: `crawlall` warns once, not per source.
"""

from __future__ import annotations

import logging
import threading

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from twisted.internet.threads import deferToThread

from pipelines.translate.probe import accepts_connections, endpoint

logger = logging.getLogger(__name__)

_checked: set[tuple[str, ...]] = set()
_lock = threading.Lock()


class TranslatorReachability:
    def __init__(self, settings: BaseSettings):
        self.settings = settings

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TranslatorReachability:
        extension = cls(crawler.settings)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        return extension

    def engine_started(self) -> None:
        names = tuple(n.strip().lower() for n in self.settings.getlist("NEWS_TRANSLATORS"))
        names = tuple(filter(None, names))
        with _lock:
            if not names or names in _checked:
                return
            _checked.add(names)
        try:
            endpoints = [endpoint(name, self.settings) for name in names]
        except ValueError:
            return  # a configuration error: the translate stage reports it
        timeout = min(self.settings.getfloat("NEWS_TRANSLATE_TIMEOUT"), 5.0)
        deferToThread(any_reachable, endpoints, timeout).addCallback(self._report, names)

    def _report(self, reachable: bool, names: tuple[str, ...]) -> None:
        if not reachable:
            logger.warning(
                "no translation provider is reachable (chain %s): articles are stored"
                " pending until one answers; set one up (docs/translation.md), check it"
                " with `scrapy translators check`, then run `scrapy retranslate`",
                ",".join(names),
            )


def any_reachable(urls: list[str], timeout: float) -> bool:
    return any(accepts_connections(url, timeout) for url in urls)
