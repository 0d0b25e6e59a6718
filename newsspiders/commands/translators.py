"""`scrapy translators check [--format table|json]`: does each provider of
NEWS_TRANSLATORS answer, which languages does it have, how much of today's budget is
left, and which enabled sources does the chain leave untranslated?

Exit 0: all well; 1: a provider is unreachable or a source language is uncovered;
2: the configuration is wrong (an unknown provider, a missing key, a bad budget or
sources file). Setting up each provider: docs/translation.md.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from newsspiders.commands.exits import EXIT_PROBLEM, ConfigError, one_line_errors
from newsspiders.sources.model import load_sources
from pipelines.translate.chain import build_provider, parse_budgets
from pipelines.translate.coverage import Coverage, coverage
from pipelines.translate.probe import ProviderStatus, inspect


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "check [--format table|json]"

    def short_desc(self) -> str:
        return "Check the translation providers and which sources they cover"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--format", default="table", choices=["table", "json"])

    @one_line_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args != ["check"]:
            raise UsageError("expected: scrapy translators check [--format table|json]")
        assert self.settings is not None
        report = check(self.settings)
        if opts.format == "json":
            print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        else:
            print(report.table())
        if not report.ok:
            self.exitcode = EXIT_PROBLEM


class Report:
    def __init__(
        self,
        chain: list[str],
        statuses: list[ProviderStatus],
        budgets: dict[str, dict[str, int | None]],
        covered: Coverage,
    ):
        self.chain = chain
        self.statuses = statuses
        self.budgets = budgets
        self.coverage = covered

    @property
    def unreachable(self) -> list[ProviderStatus]:
        return [status for status in self.statuses if not status.reachable]

    @property
    def ok(self) -> bool:
        return not self.unreachable and not self.coverage.uncovered_sources

    def problems(self) -> list[str]:
        lines = [f"{s.name} is unreachable: {s.error}" for s in self.unreachable]
        for name, tags in self.coverage.uncovered_sources.items():
            lines.append(f"source {name} is uncovered: no provider translates {', '.join(tags)}")
        return lines

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "chain": self.chain,
            "providers": [
                {
                    "name": s.name,
                    "reachable": s.reachable,
                    "error": s.error,
                    "languages": sorted(s.languages),
                    "languages_from": s.languages_from,
                    "budget_today": self.budgets[s.name],
                }
                for s in self.statuses
            ],
            "coverage": self.coverage.as_json(),
            "problems": self.problems(),
        }

    def table(self) -> str:
        lines = [f"chain: {','.join(self.chain)}", ""]
        lines.append(f"{'provider':<16}{'reachable':<11}{'languages':<24}budget today")
        for s in self.statuses:
            budget = self.budgets[s.name]
            left = "no limit" if budget["limit"] is None else f"{budget['left']:,} characters left"
            languages = f"{len(s.languages)} ({s.languages_from})"
            lines.append(f"{s.name:<16}{'yes' if s.reachable else 'NO':<11}{languages:<24}{left}")
        covered = len(self.coverage.languages) - len(self.coverage.uncovered)
        lines += [
            "",
            f"source languages: {covered} of {len(self.coverage.languages)} translated by the"
            " chain",
        ]
        for problem in self.problems():
            lines.append(f"FAIL {problem}")
        if not self.ok:
            lines.append("See docs/translation.md to start or add a provider.")
        else:
            lines.append("OK")
        return "\n".join(lines)


def check(settings: BaseSettings) -> Report:
    names = [n.strip().lower() for n in settings.getlist("NEWS_TRANSLATORS") if n.strip()]
    if not names:
        raise ConfigError("NEWS_TRANSLATORS is empty")
    sources = [s for s in load_sources(settings.get("NEWS_SOURCES")) if s.enabled]
    try:
        providers = [build_provider(name, settings) for name in names]
        limits = parse_budgets(settings.get("NEWS_TRANSLATE_BUDGETS") or "")
    except ValueError as exc:  # unknown provider, missing key, bad budget
        raise ConfigError(str(exc)) from None
    timeout = min(settings.getfloat("NEWS_TRANSLATE_TIMEOUT"), 10.0)
    statuses = [inspect(provider, timeout) for provider in providers]
    covered = coverage(
        {source.name: source.language for source in sources},
        {status.name: status.languages for status in statuses},
        settings.get("NEWS_TARGET_LANGUAGE"),
    )
    return Report(names, statuses, budgets_today(settings, names, limits), covered)


def budgets_today(
    settings: BaseSettings, names: list[str], limits: dict[str, int]
) -> dict[str, dict[str, int | None]]:
    """Each provider's daily limit, characters spent today and what is left."""
    spent: dict[str, int] = {}
    if any(name in limits for name in names):  # only then is the database read
        from pipelines.storage import Storage
        from pipelines.translate.article import today

        storage = Storage(settings.get("NEWS_DATABASE_URL"))
        try:
            spent = storage.call(storage.backend.usage_on, today())
        finally:
            storage.close()
    budgets: dict[str, dict[str, int | None]] = {}
    for name in names:
        limit, used = limits.get(name), spent.get(name, 0)
        left = None if limit is None else max(0, limit - used)
        budgets[name] = {"limit": limit, "spent": used, "left": left}
    return budgets
