"""The extraction worker pool, one per Python process, shared by every crawler in it.

Shared, because `scrapy crawlall` runs many crawlers in one process: a pool each would
multiply workers by the number of sources at once, and with them memory. Processes are
spawned, not forked: forking a process that runs a reactor and threads can deadlock.

Workers never see Ctrl-C. A terminal sends SIGINT to the whole process group, workers
included; a worker that took it would hand a KeyboardInterrupt back through its future
(or die and break the pool) while the parent is shutting down gracefully. So only the
parent handles it (Scrapy's shutdown: finish what is in flight, record the run).
"""

from __future__ import annotations

import atexit
import signal
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from typing import Any

_pools: dict[int, Executor] = {}
_SIGINT = {signal.SIGINT}


def _ignore_interrupts() -> None:
    """Worker initializer: SIGINT ignored for good, then unblocked (one that arrived
    while the worker started is pending, and is now discarded)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGINT)


class WorkerPool(ProcessPoolExecutor):
    """A process pool whose workers ignore SIGINT from their first instruction.

    Workers are spawned on demand inside `submit`; a new process inherits the signal
    mask of the thread that starts it, so SIGINT is blocked around `submit` and the
    worker is deaf to it until its initializer ignores it. The parent only defers a
    Ctrl-C that arrives meanwhile, never loses it.
    """

    def __init__(self, max_workers: int):
        super().__init__(
            max_workers=max_workers, mp_context=get_context("spawn"), initializer=_ignore_interrupts
        )

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGINT)
        try:
            return super().submit(fn, *args, **kwargs)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def cpu_pool(processes: int) -> Executor:
    """A shared pool of `processes` workers; 0 means one thread in this process."""
    pool = _pools.get(processes)
    if pool is None:
        if processes <= 0:
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
        else:
            pool = WorkerPool(processes)
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
