"""Run a `scrapy` command that starts no crawler inside the test process.

It goes through `scrapy.cmdline.execute`, the entry point `python -m scrapy` calls: the
command's own argument parsing, settings (from the environment, as in a new process), run,
output and exit status, without the ~1 s a new interpreter spends importing everything
again. Crawls still get a process of their own (a Twisted reactor cannot be restarted),
and so does a test whose point is the process: exit codes, signals, hash seeds.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

from scrapy.cmdline import execute
from scrapy.utils.project import get_project_settings

import newsspiders.settings


@contextlib.contextmanager
def _environment(env: Mapping[str, str], cwd: Path) -> Iterator[None]:
    saved, here = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        os.chdir(here)


def run_command(
    args: tuple[str, ...], env: Mapping[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """`scrapy *args` with this environment, as a CompletedProcess would report it."""
    command = importlib.import_module(f"newsspiders.commands.{args[0]}").Command
    # A crawler process would install a reactor in the test process: not here.
    assert not command.requires_crawler_process, f"scrapy {args[0]} needs its own process"
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with _environment(env, cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        importlib.reload(newsspiders.settings)  # its NEWS_* values are read at import
        try:
            execute(["scrapy", *args], get_project_settings())
        except SystemExit as exc:  # execute always ends with sys.exit
            code = exc.code
    if isinstance(code, str):  # sys.exit("message"): printed, status 1
        err.write(code + "\n")
        code = 1
    return subprocess.CompletedProcess(["scrapy", *args], code or 0, out.getvalue(), err.getvalue())
