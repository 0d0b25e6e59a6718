"""`scrapy export articles|stories|feed CC (--since T [--until T] | --cursor NAME)
[--output FILE]`: JSON Lines for another system (fields: docs/schema.md, "Export")."""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, ClassVar

from scrapy.commands import ScrapyCommand

from newsspiders.commands.exits import ConfigError, one_line_errors
from newsspiders.exporting import KINDS, Target, export_from_cursor, export_range
from pipelines.storage import open_backend, prepare_schema

CURSOR_NAME = r"[A-Za-z0-9_.-]{1,64}"


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "articles|stories|feed COUNTRY (--since T [--until T] | --cursor NAME) [-O FILE]"

    def short_desc(self) -> str:
        return "Write articles, stories or a country's feed as JSON Lines"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--since", help="from this time (ISO 8601; a date is its 00:00 UTC)")
        parser.add_argument("--until", help="before this time (default: now)")
        parser.add_argument("--cursor", help="write what is new since this cursor's last run")
        parser.add_argument(
            "-O", "--output", help="write to this file (replaced at the end); default stdout"
        )

    @one_line_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        target = parse_target(args)
        if opts.cursor is not None and (opts.since or opts.until):
            raise ConfigError("give either --cursor or --since/--until, not both")
        if opts.cursor is None and not opts.since:
            raise ConfigError("give --since (and --until) for a time range, or --cursor NAME")
        if opts.cursor is not None:
            check_cursor_name(opts.cursor)
        else:
            since, until = parse_time("--since", opts.since), parse_time("--until", opts.until)
            if since >= until:
                raise ConfigError(f"--since {opts.since} is not before --until {opts.until}")
        # Exports what crawls stored: a database that does not exist is a mistake.
        backend = open_backend(self.settings.get("NEWS_DATABASE_URL"), create=False)
        try:
            prepare_schema(backend)
            with _output(opts.output) as out:
                if opts.cursor is not None:
                    count = export_from_cursor(
                        backend, opts.cursor, target, out.write_line, out.finish
                    )
                else:
                    count = export_range(backend, target, since, until, out.write_line)
        finally:
            backend.close()
        print(f"exported {count} lines ({target.kind})", file=sys.stderr)


def parse_target(args: list[str]) -> Target:
    """`articles`, `stories` or `feed CC`."""
    if not args:
        raise ConfigError(f"say what to export: one of {', '.join(KINDS)}")
    kind, rest = args[0], args[1:]
    if kind not in KINDS:
        raise ConfigError(f"cannot export {kind!r}: one of {', '.join(KINDS)}")
    if kind == "feed":
        if len(rest) != 1 or not (len(rest[0]) == 2 and rest[0].isalpha()):
            raise ConfigError("feed needs one country code (ISO 3166-1 alpha-2), e.g. feed FR")
        return Target(kind, rest[0].upper())
    if rest:
        raise ConfigError(f"{kind} takes no further argument, got {' '.join(rest)!r}")
    return Target(kind)


def parse_time(option: str, text: str | None) -> datetime:
    """An ISO 8601 time (UTC unless it says), a date (its midnight UTC); None: now."""
    if text is None:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(
            f"{option} {text!r} is not a time: use ISO 8601, e.g. 2026-11-23 or"
            " 2026-11-23T06:00:00+00:00"
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def check_cursor_name(name: str) -> None:
    if not re.fullmatch(CURSOR_NAME, name):
        raise ConfigError(f"cursor name {name!r}: use 1 to 64 letters, digits, '_', '.' or '-'")


class _Output:
    """Lines to stdout, or to a file that appears whole: written beside it, renamed at
    the end, so a reader never sees half an export."""

    def __init__(self, path: str | None):
        self.path = Path(path) if path else None
        self.partial = self.path.with_name(self.path.name + ".partial") if self.path else None
        self.stream: IO[str] = sys.stdout
        if self.partial is not None:
            try:
                self.stream = self.partial.open("w", encoding="utf-8")
            except OSError as exc:
                raise ConfigError(f"cannot write {path}: {exc.strerror}") from None

    def write_line(self, line: str) -> None:
        self.stream.write(line + "\n")

    def finish(self) -> None:
        """Every line on disk (the file in place), before a cursor moves past them."""
        if self.stream.closed:  # finished already
            return
        self.stream.flush()
        if self.partial is not None and self.path is not None:
            os.fsync(self.stream.fileno())
            self.stream.close()
            os.replace(self.partial, self.path)

    def __enter__(self) -> _Output:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is None:
            self.finish()
        elif self.partial is not None:
            self.stream.close()
            self.partial.unlink(missing_ok=True)


def _output(path: str | None) -> _Output:
    return _Output(path)
