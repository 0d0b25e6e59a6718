"""Exit statuses and one-line errors, the same in every command.

- 0: done, nothing to report.
- 1 (`EXIT_PROBLEM`): the command ran and found a problem: a health alert, a failed
  crawl, translations still pending.
- 2 (`EXIT_CONFIG`): the command could not run as configured: a bad setting or sources
  file, a database that is missing, unreachable or unusable, a bad argument. Scrapy's own
  usage errors exit 2 as well.

A command's `run` wrapped in `@one_line_errors` turns every configuration error
(`CONFIG_ERRORS`, `ConfigError` for a command's own checks) into one line on stderr,
`scrapy NAME: error: what to fix`, and exit status 2, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING, Any, TypeVar

from newsspiders.sources.model import SourcesError
from pipelines.storage import (
    DATABASE_ERRORS,
    DatabaseUrlError,
    SchemaError,
    StorageUnavailable,
)
from pipelines.storage.opening import error_line
from pipelines.translate.config import TranslationSettingsError

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from scrapy.commands import ScrapyCommand

EXIT_PROBLEM = 1
EXIT_CONFIG = 2


class ConfigError(Exception):
    """A command cannot run as configured; the message says what to fix, in one line."""


# Raised by the layers below the commands for what an operator, not the code, must fix.
CONFIG_ERRORS: tuple[type[BaseException], ...] = (
    ConfigError,
    SourcesError,
    DatabaseUrlError,
    StorageUnavailable,
    SchemaError,
    TranslationSettingsError,
    *DATABASE_ERRORS,
)

C = TypeVar("C", bound="ScrapyCommand")


def one_line_errors(
    run: Callable[[C, list[str], argparse.Namespace], None],
) -> Callable[[C, list[str], argparse.Namespace], None]:
    """Wrap a command's `run`: configuration errors become one line and exit status 2."""

    @functools.wraps(run)
    def guarded(command: C, args: list[str], opts: argparse.Namespace) -> None:
        try:
            run(command, args, opts)
        except CONFIG_ERRORS as exc:
            report(_name_of(command), exc)
            command.exitcode = EXIT_CONFIG

    return guarded


def report(command: str, exc: BaseException) -> None:
    """`scrapy NAME: error: …` on stderr, one line per problem (a sources file can
    have several; each names its file, entry and field)."""
    if isinstance(exc, SourcesError):
        lines = [f"{exc.path}: {problem}" for problem in exc.problems]
    elif isinstance(exc, DATABASE_ERRORS):
        lines = [f"database error: {type(exc).__name__}: {error_line(exc)}"]
    else:
        lines = [" ".join(str(exc).split())]  # one line whatever the message holds
    for line in lines:
        print(f"scrapy {command}: error: {line}", file=sys.stderr)


def exit_config(message: str) -> SystemExit:
    """For code that runs before a command does (the spider loader): print the message,
    and give the SystemExit to raise with status 2."""
    print(message, file=sys.stderr)
    return SystemExit(EXIT_CONFIG)


def _name_of(command: Any) -> str:
    return type(command).__module__.rsplit(".", 1)[-1]
