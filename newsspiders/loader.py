"""SPIDER_LOADER_CLASS that makes one spider class per enabled entry of the sources file."""

from __future__ import annotations

import difflib
import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from scrapy.spiderloader import SpiderLoader

from newsspiders.commands.exits import exit_config
from newsspiders.sources.model import Source, SourcesError, languages_of, load_sources
from newsspiders.spiders.news import NewsSpider
from newsspiders.urls import host_of

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.settings import BaseSettings


# Where a `spider_class` may live: the project's spiders (per-site classes go in
# newsspiders/spiders/sites/), and the packages Scrapy's own SPIDER_MODULES setting names
# (see `spider_packages`). Checked before anything is imported, so a sources file can
# never make the crawler import, let alone run, code from elsewhere.
SPIDER_PACKAGE = "newsspiders.spiders"


def spider_class_for(
    source: Source,
    languages: list[str] | None = None,
    packages: Sequence[str] = (SPIDER_PACKAGE,),
) -> type[NewsSpider]:
    """A NewsSpider subclass bound to one source (or the source's own class).

    `languages`, those of every source in the file, reach the crawler's settings as
    NEWS_SOURCE_LANGUAGES: the language detector covers them all, so each crawler of
    `crawlall` shares one detector. `packages`: where its `spider_class` may live.
    """
    base = (
        resolve_spider_class(source.spider_class, packages) if source.spider_class else NewsSpider
    )
    attrs = {
        "name": source.name,
        "source": source,
        "allowed_domains": sorted(domains_of(source)),
        "custom_settings": {
            **(base.custom_settings or {}),
            "NEWS_SOURCE_LANGUAGES": languages if languages is not None else source.language,
            **source.scrapy_settings(),
        },
        "__module__": base.__module__,
    }
    return type(f"{source.name.title().replace('_', '')}Spider", (base,), attrs)


def spider_packages(settings: BaseSettings) -> tuple[str, ...]:
    """The packages a `spider_class` may name: the project's and SPIDER_MODULES."""
    return (SPIDER_PACKAGE, *settings.getlist("SPIDER_MODULES"))


class SpiderClassError(ValueError):
    """A source's `spider_class` cannot be used; the message says why."""


def resolve_spider_class(
    dotted: str, packages: Sequence[str] = (SPIDER_PACKAGE,)
) -> type[NewsSpider]:
    """The class a `spider_class` names: inside one of `packages`, importable, a NewsSpider."""
    module_name, _, attribute = dotted.rpartition(".")
    if not any(module_name == p or module_name.startswith(f"{p}.") for p in packages):
        raise SpiderClassError(
            f"{dotted!r} is not inside {' or '.join(packages)} (per-site classes live in"
            " newsspiders/spiders/sites/, or in a package listed in SPIDER_MODULES)"
        )
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # an import error, or anything the module raised on import
        raise SpiderClassError(
            f"cannot import {module_name}: {type(exc).__name__}: {exc}"
        ) from None
    found = getattr(module, attribute, None)
    if found is None:
        raise SpiderClassError(f"{module_name} has no {attribute}")
    if not (isinstance(found, type) and issubclass(found, NewsSpider)):
        raise SpiderClassError(f"{dotted} is not a NewsSpider subclass")
    return found


def spider_class_problems(
    sources: list[Source], packages: Sequence[str] = (SPIDER_PACKAGE,)
) -> list[str]:
    """One line per entry whose `spider_class` cannot be used, named as the file's
    validation errors are (`entry N (name), field 'spider_class': why`)."""
    problems = []
    for index, source in enumerate(sources):
        if source.spider_class:
            try:
                resolve_spider_class(source.spider_class, packages)
            except SpiderClassError as exc:
                problems.append(f"entry {index + 1} ({source.name}), field 'spider_class': {exc}")
    return problems


def domains_of(source: Source) -> set[str]:
    """The domains a source's spider may fetch from (Scrapy's offsite filter)."""
    urls = [source.homepage, *source.feeds, *source.sitemaps]
    if source.listing:
        urls.extend(source.listing.urls)
    return {host_of(str(url)) for url in urls} | set(source.domains)


_REPORTED: set[str] = set()


class SourceSpiderLoader(SpiderLoader):
    """Spiders from the sources file (NEWS_SOURCES) plus any in SPIDER_MODULES."""

    def __init__(self, settings: BaseSettings):
        self.sources_path = settings.get("NEWS_SOURCES")
        self.packages = spider_packages(settings)
        # Sources that cannot run (a bad `spider_class`), with the reason: the others do.
        self.broken: dict[str, str] = {}
        super().__init__(settings)

    def _load_all_spiders(self) -> None:
        super()._load_all_spiders()
        try:
            sources = load_sources(self.sources_path)
        except SourcesError as exc:
            # A clean message rather than a traceback: this is an editor's typo, not a bug.
            raise exit_config(f"{exc}\n(run `scrapy sources check` for details)") from None
        languages = languages_of(sources)
        for index, source in enumerate(sources):
            if not source.enabled:
                continue
            try:
                self._spiders[source.name] = spider_class_for(source, languages, self.packages)
            except SpiderClassError as exc:
                self._skip(index, source, str(exc))
                continue
            self._found[source.name].append(("sources", self.sources_path))

    def _skip(self, index: int, source: Source, reason: str) -> None:
        where = f"entry {index + 1} ({source.name}), field 'spider_class'"
        line = f"{self.sources_path}: {where}: {reason}"
        self.broken[source.name] = line
        # Once per process (commands may build the loader twice), and to stderr: `scrapy
        # list` runs with logging off.
        if line not in _REPORTED:
            _REPORTED.add(line)
            print(f"{line}; source skipped", file=sys.stderr)

    def load(self, spider_name: str) -> type[Spider]:
        if spider_name in self.broken:
            raise KeyError(f"source {spider_name} cannot run: {self.broken[spider_name]}")
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
