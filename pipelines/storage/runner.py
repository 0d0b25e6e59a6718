"""`Storage`: a backend run on its own worker thread, failing fast after a database error."""

from __future__ import annotations

import asyncio
import contextlib
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from pipelines.storage.backend import SQLBackend
from pipelines.storage.errors import StorageUnavailable
from pipelines.storage.opening import DATABASE_ERRORS, error_line, open_backend, prepare_schema

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")


class Storage:
    """A backend owned by one worker thread; every call returns an awaitable.

    After a database error it fails fast for a while (`cooldown` seconds) instead of
    making every caller wait for the database's own timeouts.
    """

    def __init__(self, url: str, cooldown: float = 30.0, *, create: bool = True):
        """`create=False`: a SQLite file that does not exist is an error (`open_backend`)."""
        self.cooldown = cooldown
        self._down_until = 0.0
        self._last_error = ""
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storage")
        try:
            self.backend: SQLBackend = self._thread.submit(
                partial(open_backend, url, create=create)
            ).result()
        except BaseException:
            self._thread.shutdown()
            raise
        try:
            self._thread.submit(self._guarded, prepare_schema, self.backend).result()
        except BaseException:
            self.close()
            raise

    async def run(self, method: Callable[..., T], *args: Any) -> T:
        self._fail_fast()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, partial(self._guarded, method, *args))

    def call(self, method: Callable[..., T], *args: Any) -> T:
        """Blocking call, from a worker thread or a command outside the reactor."""
        self._fail_fast()
        return self._thread.submit(self._guarded, method, *args).result()

    def close(self) -> None:
        # A database that went away cannot be closed cleanly; that must not mask the run.
        with contextlib.suppress(Exception):
            self._thread.submit(self.backend.close).result()
        self._thread.shutdown()

    def _fail_fast(self) -> None:
        if time.monotonic() < self._down_until:
            raise StorageUnavailable(f"{self._last_error} (not retried for {self.cooldown:g} s)")

    def _guarded(self, method: Callable[..., T], *args: Any) -> T:
        """Database errors (connection lost, locked, gone) as one exception type."""
        try:
            return method(*args)
        except DATABASE_ERRORS as exc:
            self._last_error = f"database error: {type(exc).__name__}: {error_line(exc)}"
            self._down_until = time.monotonic() + self.cooldown
            raise StorageUnavailable(self._last_error) from exc
