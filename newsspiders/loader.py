"""SPIDER_LOADER_CLASS that makes one spider class per enabled entry of the sources file."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.misc import load_object

from newsspiders.sources.model import Source, SourcesError, languages_of, load_sources
from newsspiders.spiders.news import NewsSpider
from newsspiders.urls import host_of

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.settings import BaseSettings


def spider_class_for(source: Source, languages: list[str] | None = None) -> type[NewsSpider]:
    """A NewsSpider subclass bound to one source (or the source's own class).

    `languages`, those of every source in the file, reach the crawler's settings as
    NEWS_SOURCE_LANGUAGES: the language detector covers them all, so each crawler of
    `crawlall` shares one detector.
    """
    base: type[NewsSpider] = NewsSpider
    if source.spider_class:
        base = load_object(source.spider_class)
        if not (isinstance(base, type) and issubclass(base, NewsSpider)):
            raise TypeError(f"{source.spider_class} (source {source.name}) is not a NewsSpider")
    attrs = {
        "name": source.name,
        "source": source,
        "allowed_domains": sorted(_domains_of(source)),
        "custom_settings": {
            **(base.custom_settings or {}),
            "NEWS_SOURCE_LANGUAGES": languages if languages is not None else source.language,
            **source.settings,
        },
        "__module__": base.__module__,
    }
    return type(f"{source.name.title().replace('_', '')}Spider", (base,), attrs)


def _domains_of(source: Source) -> set[str]:
    urls = [source.homepage, *source.feeds, *source.sitemaps]
    if source.listing:
        urls.extend(source.listing.urls)
    return {host_of(str(url)) for url in urls} | set(source.domains)


class SourceSpiderLoader(SpiderLoader):
    """Spiders from the sources file (NEWS_SOURCES) plus any in SPIDER_MODULES."""

    def __init__(self, settings: BaseSettings):
        self.sources_path = settings.get("NEWS_SOURCES")
        super().__init__(settings)

    def _load_all_spiders(self) -> None:
        super()._load_all_spiders()
        try:
            sources = load_sources(self.sources_path)
        except SourcesError as exc:
            # A clean message rather than a traceback: this is an editor's typo, not a bug.
            raise SystemExit(f"{exc}\n(run `scrapy sources check` for details)") from None
        languages = languages_of(sources)
        for source in sources:
            if source.enabled:
                self._spiders[source.name] = spider_class_for(source, languages)
                self._found[source.name].append(("sources", self.sources_path))

    def load(self, spider_name: str) -> type[Spider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            close = difflib.get_close_matches(spider_name, self._spiders, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise KeyError(
                f"Spider not found: {spider_name} (no enabled source of that name in"
                f" {self.sources_path}{hint})"
            ) from None

    def find_by_request(self, request: Request) -> list[str]:
        return [name for name, cls in self._spiders.items() if cls.handles_request(request)]
