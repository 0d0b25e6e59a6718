"""The translation threads, one pool per Python process, shared by every crawler in it.

Translation is blocking I/O, so it runs in threads off the reactor. `crawlall` runs many
crawlers in one process: one shared pool keeps NEWS_TRANSLATE_THREADS the bound on
requests in flight for the whole run, not per source.
"""

from __future__ import annotations

import atexit
from concurrent.futures import ThreadPoolExecutor

_pool: ThreadPoolExecutor | None = None


def translation_threads(threads: int) -> ThreadPoolExecutor:
    """The process's pool of `threads` translation threads (made on first use)."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(threads, thread_name_prefix="translate")
    return _pool


@atexit.register
def _shutdown_threads() -> None:
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
