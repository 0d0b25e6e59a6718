"""The Article item that travels through the pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from newsspiders.dates import EVERY_DATE, DateRange


@dataclass
class Article:
    # Set by the spider.
    source: str
    country: str
    url: str
    html: str = field(repr=False)
    source_languages: list[str]
    lang_attr: str | None = None
    link_title: str | None = None
    link_published: datetime | None = None
    fetched_at: datetime | None = None
    # The source's own body selector (sources.yaml `extract.body_css`), if any.
    body_css: str | None = None
    # The publication dates this crawl accepts; checked again once the page gives its date.
    dates: DateRange = EVERY_DATE
    # Set by extraction.
    title: str = ""
    text: str = ""
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    image_url: str | None = None
    description: str | None = None
    section: str | None = None
    canonical_url: str | None = None
    word_count: int = 0
    # Set by dedup: every URL of this article (url_hash -> normalised URL).
    url_hash: str = ""
    urls: dict[str, str] = field(default_factory=dict)
    # Made by the extraction worker, for dedup: the text's hash, and its LSH band hashes
    # (see pipelines.dedup.fingerprints), empty for very short texts.
    content_hash: str = ""
    bands: list[int] = field(default_factory=list)
    # Set by language detection (in the extraction worker).
    language: str | None = None
    language_confidence: float = 0.0
    language_script: str | None = None  # 'Hans' or 'Hant' for Chinese
    # Set by translation.
    title_en: str | None = None
    text_en: str | None = None
    translation_status: str = "pending"
    translator: str | None = None
    translation_error: str | None = None
