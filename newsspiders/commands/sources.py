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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newsspiders.commands.exits import EXIT_PROBLEM, ConfigError, one_line_errors, report
from newsspiders.loader import spider_class_problems, spider_packages
from newsspiders.sources import checks
from newsspiders.sources.live import LiveOptions, check_sources
from newsspiders.sources.live_report import as_json, as_table
from newsspiders.sources.model import Source, SourcesError, load_sources
from newsspiders.sources.table import markdown_table, replace_generated
from pipelines.translate.coverage import coverage, describe_uncovered


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return (
            "check|list [FILE] [--live [--source NAME] [--format table|json]]"
            " [--markdown] [--write DOC]"
        )

    def short_desc(self) -> str:
        return "Validate (check) or show (list) the sources file without crawling"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--markdown", action="store_true", help="list as a Markdown table")
        parser.add_argument("--write", metavar="DOC", help="refresh the table inside DOC")
        live = parser.add_argument_group("check --live (fetches: run on a networked machine)")
        live.add_argument(
            "--live", action="store_true", help="fetch every discovery URL and judge it"
        )
        live.add_argument(
            "--source",
            action="append",
            metavar="NAME",
            help="only this source, enabled or not (repeatable)",
        )
        live.add_argument(
            "--format",
            choices=("table", "json"),
            help="default: a table on a terminal, JSON otherwise",
        )
        live.add_argument(
            "--stale-days",
            type=float,
            default=7.0,
            help="a newest item older than this makes a URL stale (default 7)",
        )
        live.add_argument(
            "--timeout", type=float, default=20.0, help="seconds per request (default 20)"
        )
        live.add_argument(
            "--delay",
            type=float,
            default=1.0,
            help="seconds between two requests to one source (default 1)",
        )

    @one_line_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args or args[0] not in {"check", "list"} or len(args) > 2:
            raise UsageError("expected: scrapy sources check|list [FILE]")
        assert self.settings is not None
        path = args[1] if len(args) == 2 else self.settings.get("NEWS_SOURCES")
        sources = load_sources(path)
        if (opts.source or opts.format) and not opts.live:
            raise UsageError("--source and --format go with `check --live`")
        if args[0] == "check" and opts.live:
            self._check_live(sources, opts)
        elif args[0] == "check":
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
        ) + checks.untranslatable(sources, self._chain(), self.settings.get("NEWS_TARGET_LANGUAGE"))
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

    def _check_live(self, sources: list[Source], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if opts.source:
            known = {source.name for source in sources}
            unknown = [name for name in opts.source if name not in known]
            if unknown:
                raise ConfigError(f"--source {unknown[0]}: no entry of that name in the file")
            chosen = [source for source in sources if source.name in opts.source]
        else:
            chosen = [source for source in sources if source.enabled]
        for number, value, unit in (
            ("--timeout", opts.timeout, "seconds"),
            ("--stale-days", opts.stale_days, "days"),
        ):
            if value <= 0:
                raise ConfigError(f"{number} {value:g}: expected a positive number of {unit}")
        if opts.delay < 0:
            raise ConfigError(f"--delay {opts.delay:g}: expected 0 or more seconds")
        options = LiveOptions(
            user_agent=self.settings.get("USER_AGENT"),
            timeout=opts.timeout,
            delay=opts.delay,
            stale_after=timedelta(days=opts.stale_days),
            max_bytes=self.settings.getint("DOWNLOAD_MAXSIZE"),
            min_text_chars=self.settings.getint("NEWS_MIN_TEXT_CHARS"),
        )
        started = datetime.now(UTC)
        results = check_sources(chosen, options, started)
        table = opts.format == "table" or (opts.format is None and sys.stdout.isatty())
        print(as_table(results) if table else as_json(results, started))
        if any(result.verdict == "dead" for result in results):
            self.exitcode = EXIT_PROBLEM

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
