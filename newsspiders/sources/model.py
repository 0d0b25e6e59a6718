"""The source list: a pydantic model of `config/sources.yaml` and its loading.

Every error names the file, the entry (by position and name) and the field, so an
editor can fix a bad entry without reading Python.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import pycountry
import yaml
from cssselect import SelectorError
from lxml.cssselect import CSSSelector
from parsel import Selector
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

if TYPE_CHECKING:
    from pipelines.storage import SourceRow

SPIDER_NAME = r"^[a-z][a-z0-9_]*$"

# Who runs an outlet: the app tells its readers whose take they read.
Ownership = Literal["private", "public", "state", "party", "exile", "wire", "foreign"]
OWNERSHIPS: tuple[str, ...] = Ownership.__args__  # type: ignore[attr-defined]

# Every entry has exactly one region tag (Central America and the Caribbean count as
# north-america, the Caucasus as europe, Central Asia as asia) and may add `core` (the
# 1-2 most important outlets of its country). A closed list, so `crawlall --tag` and the
# app's region filters never miss an entry to a typo.
REGION_TAGS = (
    "africa", "asia", "europe", "middle-east", "north-america", "south-america", "oceania",
)  # fmt: skip
OTHER_TAGS = ("core",)


def _check_country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code.upper()) is None or len(code) != 2:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code.upper()


_LANGUAGE_TAG = re.compile(r"^(?P<lang>[a-z]{2})(?:-(?P<sub>[A-Z][a-z]{3}|[A-Z]{2}))?$")


def _check_language(code: str) -> str:
    match = _LANGUAGE_TAG.match(code)
    if not match or pycountry.languages.get(alpha_2=match["lang"]) is None:
        raise ValueError(
            f"{code!r} is not an ISO 639-1 language code (optionally with a script or"
            " region, e.g. 'zh-Hant', 'pt-BR')"
        )
    return code


def _check_css(selector: str) -> str:
    """A selector as the spider runs it (parsel: `::text`, `::attr(name)` allowed)."""
    try:
        _EMPTY_PAGE.css(selector)
    except SelectorError as exc:
        raise ValueError(f"{selector!r} is not a valid CSS selector: {exc}") from None
    return selector


def _check_xpath(expression: str) -> str:
    try:
        _EMPTY_PAGE.xpath(expression)
    except ValueError:
        raise ValueError(f"{expression!r} is not a valid XPath expression") from None
    return expression


def _check_lxml_css(selector: str) -> str:
    """A selector as the extraction worker runs it (lxml: no pseudo-elements)."""
    try:
        CSSSelector(selector)
    except SelectorError as exc:
        raise ValueError(f"{selector!r} is not a valid CSS selector: {exc}") from None
    return selector


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _check_tags(tags: list[str]) -> list[str]:
    """Known tags, at most one region (an entry without one fails `sources check`)."""
    unknown = [tag for tag in tags if tag not in REGION_TAGS + OTHER_TAGS]
    if unknown:
        raise ValueError(
            f"unknown tag {unknown[0]!r} (allowed: one region of {', '.join(REGION_TAGS)};"
            f" and {', '.join(OTHER_TAGS)})"
        )
    regions = [tag for tag in tags if tag in REGION_TAGS]
    if len(regions) > 1:
        raise ValueError(f"more than one region tag ({', '.join(regions)}): give exactly one")
    return tags


def _url_or_mapping(value: Any) -> Any:
    return {"url": value} if isinstance(value, str) else value


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from None
    return pattern


CountryCode = Annotated[str, AfterValidator(_check_country)]
LanguageCode = Annotated[str, AfterValidator(_check_language)]
Regex = Annotated[str, AfterValidator(_check_regex)]
RegexList = Annotated[list[Regex], BeforeValidator(_as_list)]
Css = Annotated[str, AfterValidator(_check_css)]
XPath = Annotated[str, AfterValidator(_check_xpath)]
LxmlCss = Annotated[str, AfterValidator(_check_lxml_css)]
_EMPTY_PAGE = Selector(text="<html></html>")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Listing(_Strict):
    """Listing pages: start URLs, a selector for article links, pagination."""

    urls: Annotated[list[HttpUrl], BeforeValidator(_as_list)] = Field(min_length=1)
    css: Css | None = None
    xpath: XPath | None = None
    next_css: Css = "a[rel=next]::attr(href)"
    max_pages: int = Field(default=1, ge=1, le=1000)

    @model_validator(mode="after")
    def _one_selector(self) -> Listing:
        if (self.css is None) == (self.xpath is None):
            raise ValueError("give exactly one of 'css' or 'xpath' for the article links")
        return self


class DiscoveryUrl(_Strict):
    """A feed or sitemap: a bare URL, or `{url: ..., language: xx}` where one site
    publishes several languages and this feed carries only one of them."""

    url: HttpUrl
    # One of the entry's languages: the language expected of the articles it lists.
    language: LanguageCode | None = None

    def __str__(self) -> str:
        return str(self.url)


# A bare string is the common case; the mapping form only where a language is given.
DiscoveryUrls = list[Annotated[DiscoveryUrl, BeforeValidator(_url_or_mapping)]]


class ExtractHints(_Strict):
    """Help for trafilatura when it picks the wrong part of a page."""

    body_css: LxmlCss | None = None


class HealthExpectations(_Strict):
    """What the health report expects of a source, where its own history misleads."""

    # Alert when no new article arrived for this long (default: from the source's rate).
    quiet_hours: int | None = Field(default=None, ge=1, le=24 * 60)


Seconds = Annotated[float, Field(ge=0, le=3600)]


class SourceSettings(_Strict):
    """The Scrapy settings a source may change, typed: politeness and how requests look.

    Nothing else: a setting such as FEEDS, LOG_FILE or ITEM_PIPELINES would let a sources
    file write files or run code anywhere.
    """

    # Delays and concurrency.
    DOWNLOAD_DELAY: Seconds | None = None
    RANDOMIZE_DOWNLOAD_DELAY: bool | None = None
    CONCURRENT_REQUESTS_PER_DOMAIN: Annotated[int, Field(gt=0, le=64)] | None = None
    AUTOTHROTTLE_ENABLED: bool | None = None
    AUTOTHROTTLE_START_DELAY: Seconds | None = None
    AUTOTHROTTLE_MAX_DELAY: Seconds | None = None
    AUTOTHROTTLE_TARGET_CONCURRENCY: Annotated[float, Field(gt=0, le=64)] | None = None
    # Timeouts.
    DOWNLOAD_TIMEOUT: Annotated[float, Field(gt=0, le=600)] | None = None
    # How requests look.
    USER_AGENT: Annotated[str, Field(min_length=1)] | None = None
    DEFAULT_REQUEST_HEADERS: dict[str, str] | None = None
    # Retries.
    RETRY_ENABLED: bool | None = None
    RETRY_TIMES: Annotated[int, Field(ge=0, le=10)] | None = None
    RETRY_HTTP_CODES: list[Annotated[int, Field(ge=100, le=599)]] | None = None


class Source(_Strict):
    name: str = Field(max_length=64)
    country: CountryCode
    language: Annotated[list[LanguageCode], BeforeValidator(_as_list)] = Field(min_length=1)
    homepage: HttpUrl
    feeds: DiscoveryUrls = []
    # Sitemaps, sitemap indexes, news sitemaps, .xml.gz, or a robots.txt naming them.
    sitemaps: DiscoveryUrls = []
    listing: Listing | None = None
    # URL regexes applied to every discovered article link.
    allow: RegexList = []
    deny: RegexList = []
    # Extra domains the spider may follow besides the homepage's and the discovery URLs'.
    domains: list[str] = []
    extract: ExtractHints = ExtractHints()
    # Per-source Scrapy settings: only those of SourceSettings.
    settings: SourceSettings = SourceSettings()
    enabled: bool = True
    # Why an entry is switched off (dead feed, terms of use): required with `enabled: false`.
    disabled_reason: str | None = Field(default=None, min_length=3)
    ownership: Ownership | None = None
    tags: Annotated[list[str], AfterValidator(_check_tags)] = []
    health: HealthExpectations = HealthExpectations()
    # Dotted path of a NewsSpider subclass, for the rare site YAML can't describe.
    spider_class: str | None = None

    @field_validator("name")
    @classmethod
    def _name_is_a_spider_name(cls, value: str) -> str:
        if not re.fullmatch(SPIDER_NAME, value):
            raise ValueError(
                f"{value!r} must be lower-case letters, digits and '_' (it is the spider name)"
            )
        return value

    @field_validator("feeds", "sitemaps")
    @classmethod
    def _feed_language_is_the_entry_s(
        cls, urls: list[DiscoveryUrl], info: ValidationInfo
    ) -> list[DiscoveryUrl]:
        languages = info.data.get("language")  # absent when it failed validation itself
        kind = "feed" if info.field_name == "feeds" else "sitemap"
        for position, found in enumerate(urls, start=1):
            if found.language and languages and found.language not in languages:
                raise ValueError(
                    f"{kind} {position} ({found.url}) has language"
                    f" {found.language!r}, not one of the entry's languages"
                    f" ({', '.join(languages)})"
                )
        return urls

    @model_validator(mode="after")
    def _has_discovery(self) -> Source:
        if not (self.feeds or self.sitemaps or self.listing or self.spider_class):
            raise ValueError("no discovery: give at least one of 'feeds', 'sitemaps' or 'listing'")
        return self

    @model_validator(mode="after")
    def _disabled_says_why(self) -> Source:
        if not self.enabled and not self.disabled_reason:
            raise ValueError("'enabled: false' needs a 'disabled_reason' saying why")
        if self.enabled and self.disabled_reason:
            raise ValueError("'disabled_reason' is given but the source is enabled")
        return self

    def languages_of(self, found: DiscoveryUrl | None) -> list[str]:
        """The languages expected of articles found through a feed or sitemap (all the
        entry's, unless the feed names its own)."""
        return [found.language] if found is not None and found.language else list(self.language)

    def scrapy_settings(self) -> dict[str, Any]:
        """The source's own settings, as the spider's `custom_settings`."""
        return self.settings.model_dump(exclude_none=True)

    def as_row(self) -> SourceRow:
        """What the `sources` table keeps of this source."""
        # Imported here: storage pulls in Scrapy and psycopg, and the model is read alone
        # (validation, language detection) too.
        from pipelines.storage import SourceRow

        return SourceRow(
            self.name,
            self.country,
            tuple(self.language),
            str(self.homepage),
            self.enabled,
            self.ownership,
        )


ALLOWED_SETTINGS = tuple(SourceSettings.model_fields)


class SourceList(_Strict):
    sources: list[Source]


class SourcesError(ValueError):
    """The sources file is unreadable or invalid; `problems` holds one line per error."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(f"{self.path}: {p}" for p in problems))


def _describe_location(raw: Any, loc: tuple[Any, ...]) -> str:
    """Turn a pydantic error location into 'entry 3 (lemonde), field country'."""
    if len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int):
        index = loc[1]
        entries = raw.get("sources") if isinstance(raw, dict) else None
        name = None
        if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
            name = entries[index].get("name")
        where = f"entry {index + 1}" + (f" ({name})" if name else "")
        field = ".".join(str(part) for part in loc[2:])
        return f"{where}, field '{field}'" if field else where
    return "field '" + ".".join(str(part) for part in loc) + "'" if loc else "top level"


def _read_yaml(text: str) -> Any:
    """The YAML read by libyaml where PyYAML has it: every `scrapy` command reads the
    whole file, and the pure-Python reader takes ~0.7 s of each start for ~150 sources.
    A broken file is read again by the pure-Python reader, whose error quotes the line."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def parse_sources(text: str, path: Path | str = "<string>") -> list[Source]:
    try:
        raw = _read_yaml(text)
    except yaml.YAMLError as exc:
        raise SourcesError(path, [f"not valid YAML: {exc}"]) from None
    if not isinstance(raw, dict) or "sources" not in raw:
        raise SourcesError(path, ["expected a mapping with a 'sources:' list at the top"])
    problems = _duplicate_names(raw)
    try:
        sources = SourceList.model_validate(raw).sources
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(part for part in error["loc"] if not str(part).startswith("function-"))
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown field (a typo?)"
                if len(loc) >= 2 and loc[-2] == "settings":
                    message = f"not a per-source setting (allowed: {', '.join(ALLOWED_SETTINGS)})"
            problems.append(f"{_describe_location(raw, loc)}: {message}")
    if problems:
        raise SourcesError(path, problems)
    return sources


def _duplicate_names(raw: dict[str, Any]) -> list[str]:
    """Checked on the raw entries so that it is reported together with other errors."""
    entries = raw.get("sources")
    first_seen: dict[str, int] = {}
    problems = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str):
            continue
        if name in first_seen:
            problems.append(
                f"entry {index + 1} ({name}), field 'name': {name!r} is used more than once"
                f" (first by entry {first_seen[name] + 1})"
            )
        else:
            first_seen[name] = index
    return problems


def load_sources(path: Path | str) -> list[Source]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError(path, [f"cannot read the file: {exc.strerror}"]) from None
    except UnicodeDecodeError as exc:
        raise SourcesError(
            path, [f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})"]
        ) from None
    return parse_sources(text, path)


def languages_of(sources: list[Source]) -> list[str]:
    """Every language the sources publish in (ISO 639-1, sorted): what the language
    detector is restricted to."""
    return sorted({tag.split("-")[0].lower() for source in sources for tag in source.language})
