"""`scrapy sources check [FILE]` validates a sources file; `scrapy sources list` shows it.

`scrapy sources check` exits 2 when the file cannot be loaded (an entry the model
refuses), 1 when it loads but a check across entries fails (two entries on one site, a
feed on another site, no region tag), and prints one warning line per entry without a
provenance comment or in a language the translation chain leaves out.
`scrapy sources check --live [--source NAME] [--format json]` fetches every discovery
URL instead (newsspiders/sources/live.py) and exits 1 when an enabled source is dead.
`scrapy sources list --markdown` prints the table of docs/sources.md, and
`--write docs/sources.md` refreshes that table in place, so the docs never go stale.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newsspiders.commands.exits import EXIT_PROBLEM, one_line_errors, report
from newsspiders.loader import spider_class_problems, spider_packages
from newsspiders.sources import checks
from newsspiders.sources.model import Source, SourcesError, load_sources
from newsspiders.sources.table import markdown_table, replace_generated
from pipelines.translate.coverage import coverage, describe_uncovered


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "check|list [FILE] [--markdown] [--write DOC]"

    def short_desc(self) -> str:
        return "Validate (check) or show (list) the sources file without crawling"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--markdown", action="store_true", help="list as a Markdown table")
        parser.add_argument("--write", metavar="DOC", help="refresh the table inside DOC")

    @one_line_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args or args[0] not in {"check", "list"} or len(args) > 2:
            raise UsageError("expected: scrapy sources check|list [FILE]")
        assert self.settings is not None
        path = args[1] if len(args) == 2 else self.settings.get("NEWS_SOURCES")
        sources = load_sources(path)
        if args[0] == "check":
            # What the model cannot see: whether each `spider_class` imports and fits.
            problems = spider_class_problems(sources, spider_packages(self.settings))
            if problems:
                raise SourcesError(path, problems)
            self._check_offline(path, sources)
        elif opts.write:
            doc = Path(opts.write)
            doc.write_text(replace_generated(doc.read_text(encoding="utf-8"), sources), "utf-8")
            print(f"{doc}: table of {len(sources)} sources refreshed")
        elif opts.markdown:
            print(markdown_table(sources))
        else:
            for source in sorted(sources, key=lambda s: (s.country, s.name)):
                flag = "" if source.enabled else "  (disabled)"
                languages = ",".join(source.language)
                print(f"{source.country}  {source.name:<24} {languages:<8} {source.homepage}{flag}")

    def _check_offline(self, path: str, sources: list[Source]) -> None:
        assert self.settings is not None
        warnings = checks.missing_provenance(
            sources, Path(path).read_text(encoding="utf-8"), datetime.now(UTC).date()
        ) + checks.untranslatable(
            sources, self._chain(), self.settings.get("NEWS_TARGET_LANGUAGE")
        )
        for warning in warnings:
            print(f"scrapy sources: warning: {path}: {warning}", file=sys.stderr)
        failed = checks.failures(sources)
        if failed:
            report("sources", SourcesError(path, failed))
            self.exitcode = EXIT_PROBLEM
            return
        enabled = sum(source.enabled for source in sources)
        countries = len({source.country for source in sources})
        print(
            f"{path}: OK, {len(sources)} sources ({enabled} enabled) in {countries} countries,"
            f" {len(warnings)} warning{'s' * (len(warnings) != 1)}"
        )
        print(self._translation_coverage(sources))

    def _chain(self) -> dict[str, None]:
        """The NEWS_TRANSLATORS providers, in order (their documented languages)."""
        assert self.settings is not None
        names = [n.strip().lower() for n in self.settings.getlist("NEWS_TRANSLATORS")]
        return dict.fromkeys(filter(None, names))

    def _translation_coverage(self, sources: list[Source]) -> str:
        """Which enabled sources the NEWS_TRANSLATORS chain cannot translate, by the
        providers' documented lists (`scrapy translators check` asks the providers)."""
        assert self.settings is not None
        names = [n.strip().lower() for n in self.settings.getlist("NEWS_TRANSLATORS")]
        chain = ",".join(filter(None, names))
        result = coverage(
            {s.name: s.language for s in sources if s.enabled},
            dict.fromkeys(filter(None, names)),
            self.settings.get("NEWS_TARGET_LANGUAGE"),
        )
        if not result.uncovered_sources:
            return f"translation: the chain {chain} covers every enabled source's languages"
        return (
            f"translation: the chain {chain} leaves {len(result.uncovered_sources)} enabled"
            f" source(s) untranslated: {describe_uncovered(result)}"
            " (providers and their languages: docs/translation.md)"
        )
