"""What the extraction worker needs besides the page, in one value.

Frozen and small, so it pickles cheaply across the process boundary for every page, and
a new knob is a new field here rather than one more positional argument.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.language.detection import LanguageSetup


@dataclass(frozen=True)
class ExtractOptions:
    # The source's own body selector (sources.yaml `extract.body_css`): trusted as is.
    body_css: str | None = None
    # Search the whole page for a date when it declares none (htmldate: the costliest
    # step of all); off when the feed already dated the article.
    search_date: bool = True
    # Which detector over which languages; None: no language detection.
    languages: LanguageSetup | None = None
    # The source's languages: they settle short or ambiguous texts.
    declared: tuple[str, ...] = ()


DEFAULT_OPTIONS = ExtractOptions()
