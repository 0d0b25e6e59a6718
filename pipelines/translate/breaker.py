"""A per-run circuit breaker for each provider: after N failures in a row the provider is
skipped for the rest of the run, so a dead or very slow provider costs N articles' wait,
not every article's (attempts x timeout each)."""

from __future__ import annotations

import threading


class CircuitBreaker:
    def __init__(self, threshold: int):
        self.threshold = threshold
        self.failures = 0  # in a row
        self.last_failure = ""  # what the last one said: a skipped article keeps the reason
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        return self.threshold > 0 and self.failures >= self.threshold

    def failed(self, reason: str) -> None:
        with self._lock:
            self.failures += 1
            self.last_failure = reason

    def succeeded(self) -> None:
        with self._lock:
            if not self.open:  # once open it stays open until the run ends
                self.failures = 0


_run: dict[str, CircuitBreaker] = {}


def run_breakers() -> dict[str, CircuitBreaker]:
    """The breakers of this process's run, by provider: every crawler of a `crawlall`
    shares them, so a dead provider is given up once, not once per source."""
    return _run
