"""The extraction worker pool, one per Python process, shared by every crawler in it.

Shared, because `scrapy crawlall` runs many crawlers in one process: a pool each would
multiply workers by the number of sources at once, and with them memory. Processes are
spawned, not forked: forking a process that runs a reactor and threads can deadlock.
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


def discard_pool(processes: int) -> None:
    """Forget a broken pool (a worker died) so the next call starts a fresh one."""
    pool = _pools.pop(processes, None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


@atexit.register
def _shutdown_pools() -> None:
    for pool in _pools.values():
        pool.shutdown(wait=True, cancel_futures=True)
    _pools.clear()
