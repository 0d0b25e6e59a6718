"""Pools shared by every crawler of a Python process: one process pool for CPU-bound
work (extraction), named thread pools for blocking I/O (translation requests).

Shared, because `scrapy crawlall` runs many crawlers in one process: a pool each would
multiply workers and threads by the number of sources at once, and with them memory.
Processes are spawned, not forked: forking a process that runs a reactor and threads
can deadlock.
"""

from __future__ import annotations

import atexit
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context

_pools: dict[int, Executor] = {}


def cpu_pool(processes: int) -> Executor:
    """A shared pool of `processes` workers; 0 means one thread in this process."""
    pool = _pools.get(processes)
    if pool is None:
        if processes <= 0:
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
        else:
            pool = ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn"))
        _pools[processes] = pool
    return pool


_thread_pools: dict[str, ThreadPoolExecutor] = {}


def thread_pool(name: str, threads: int) -> ThreadPoolExecutor:
    """The process's pool of `threads` threads for `name` (made on first use)."""
    pool = _thread_pools.get(name)
    if pool is None:
        pool = _thread_pools[name] = ThreadPoolExecutor(threads, thread_name_prefix=name)
    return pool


def discard_pool(processes: int) -> None:
    """Forget a broken pool (a worker died) so the next call starts a fresh one."""
    pool = _pools.pop(processes, None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


@atexit.register
def _shutdown_pools() -> None:
    for pool in [*_pools.values(), *_thread_pools.values()]:
        pool.shutdown(wait=True, cancel_futures=True)
    _pools.clear()
    _thread_pools.clear()
