"""Distributed mode (NEWS_REDIS_URL): scrapy-redis's scheduler, fit for workers that come
and go. See docs/scaling.md.

scrapy-redis gives every worker of a spider one shared request queue and one shared
seen-request set (its RFPDupeFilter). Used as it is, with our cron-driven spiders:

- SCHEDULER_PERSIST = False: the first worker to finish deletes the queue (its requests
  are lost to the crawl) and the seen set while the others still crawl;
- SCHEDULER_PERSIST = True: the seen set outlives the crawl, so every later run finds its
  feed and sitemap requests "already seen" and discovers nothing, ever;
- a worker whose start requests were filtered (another worker fetched the feed) finds the
  queue empty and exits before the other worker has filled it.

So the queue and seen set persist, and each spider keeps a register of live workers in
Redis (a heartbeat with an expiry in Redis's own clock, so machines' clocks don't matter):

- the first worker of a crawl (none alive, nothing queued) starts afresh: it clears the
  seen set, so the feeds are read again; a worker that finds requests left by workers that
  died resumes them instead;
- a worker with nothing to do stays while another worker is busy (its responses may yield
  more requests), and exits once every worker is idle and the queue is empty;
- the last worker to leave with nothing queued clears the seen set.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import TYPE_CHECKING, Any

from redis import RedisError
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.asyncio import create_looping_call
from scrapy_redis.scheduler import Scheduler

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# KEYS: 1 workers (zset: worker -> expiry, ms), 2 idle workers (set), 3 queue, 4 seen set.
# Every script first forgets workers whose heartbeat expired (they died).
_PRUNE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, dead in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
    redis.call('SREM', KEYS[2], dead)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
"""

# ARGV: worker, ttl (ms). Returns how this worker's crawl begins.
_JOIN = (
    _PRUNE
    + """
local state = 'joined'
if redis.call('ZCARD', KEYS[1]) == 0 then
    if redis.call('EXISTS', KEYS[3]) == 1 then
        state = 'resumed'
    else
        redis.call('DEL', KEYS[4])
        state = 'fresh'
    end
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('SREM', KEYS[2], ARGV[1])
return state
"""
)

# ARGV: worker, ttl (ms), mode ('idle', 'busy' or 'alive'). Returns the busy workers.
_BEAT = (
    _PRUNE
    + """
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
if ARGV[3] == 'idle' then
    redis.call('SADD', KEYS[2], ARGV[1])
elseif ARGV[3] == 'busy' then
    redis.call('SREM', KEYS[2], ARGV[1])
end
return redis.call('ZCARD', KEYS[1]) - redis.call('SCARD', KEYS[2])
"""
)

# ARGV: worker. Returns 1 if this was the last worker and the crawl is over.
_LEAVE = (
    _PRUNE
    + """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('EXISTS', KEYS[3]) == 0 then
    redis.call('DEL', KEYS[4])
    return 1
end
return 0
"""
)


class DistributedScheduler(Scheduler):
    """scrapy_redis.scheduler.Scheduler plus the worker register described above.

    Settings: NEWS_REDIS_PREFIX (key prefix), NEWS_REDIS_WORKER_TTL (seconds without a
    heartbeat before a worker counts as dead), NEWS_REDIS_POLL_INTERVAL (seconds between
    looks at the queue while idle and waiting for the other workers).
    """

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DistributedScheduler:
        scheduler: DistributedScheduler = super().from_crawler(crawler)
        settings = crawler.settings
        scheduler.crawler = crawler
        scheduler.prefix = settings.get("NEWS_REDIS_PREFIX", "newsspiders")
        scheduler.ttl = settings.getfloat("NEWS_REDIS_WORKER_TTL", 60.0)
        scheduler.poll_interval = settings.getfloat("NEWS_REDIS_POLL_INTERVAL", 0.25)
        scheduler.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Spider) -> None:
        super().open(spider)
        self._idle = False
        self._keys = [
            f"{self.prefix}:{spider.name}:workers",
            f"{self.prefix}:{spider.name}:idle",
            self.queue.key,
            self.df.key,
        ]
        self._join = self.server.register_script(_JOIN)
        self._beat_script = self.server.register_script(_BEAT)
        self._leave = self.server.register_script(_LEAVE)
        state = _text(self._join(keys=self._keys, args=[self.worker, self._ttl_ms()]))
        queued = len(self.queue)
        if self.stats:
            self.stats.set_value("news/redis/worker", self.worker)
            self.stats.set_value("news/redis/start", state)
        logger.info(
            "Distributed crawl of %s (worker %s): %s, %d requests queued",
            spider.name,
            self.worker,
            {
                "fresh": "first worker, a new crawl",
                "joined": "joining the workers already crawling",
                "resumed": "resuming what stopped workers left queued",
            }[state],
            queued,
        )
        # The heartbeat keeps this worker in the register; the poll wakes the engine while
        # it waits for the others (without it, Scrapy looks again only every 5 s).
        self._heartbeat = create_looping_call(self._keep_alive)
        self._heartbeat.start(max(self.ttl / 6, 0.1), now=False)
        self._poll = create_looping_call(self._wake_engine)

    def close(self, reason: str) -> None:
        for loop in (self._heartbeat, self._poll):
            if loop.running:
                loop.stop()
        ended = self._leave(keys=self._keys, args=[self.worker])
        if ended:
            logger.info("Last worker of %s: the crawl is over", self.spider.name)
        super().close(reason)  # SCHEDULER_PERSIST: keeps what is still queued

    # --- the queue -------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        # Like scrapy-redis's, minus the `spider=` argument Scrapy's stats deprecate,
        # plus Scrapy's own counter of filtered duplicates.
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            if self.stats:
                self.stats.inc_value("dupefilter/filtered")
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        if self._idle:
            if not len(self.queue):
                return None
            # Busy before popping: no other worker may see this one idle while it holds a
            # request, or they could all exit with work still to come.
            self._beat("busy")
            self._idle = False
            if self._poll.running:
                self._poll.stop()  # the engine keeps itself going while there is work
        request: Request | None = self.queue.pop(self.idle_before_close)
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    # --- idleness --------------------------------------------------------------

    def spider_idle(self) -> None:
        """Scrapy found this worker idle and the queue empty: stay while others work."""
        self._idle = True
        busy = self._beat("idle")
        if busy:
            if not self._poll.running:
                self._poll.start(self.poll_interval, now=False)
            raise DontCloseSpider(f"{busy} other workers still busy")
        if self._poll.running:
            self._poll.stop()

    def _keep_alive(self) -> None:
        try:
            self._beat("alive")
        except RedisError as exc:
            # Keep beating: after NEWS_REDIS_WORKER_TTL without one, the others would take
            # this worker for dead (and the last of them would clear the seen set).
            logger.warning("Redis heartbeat of %s failed: %s", self.worker, exc)

    def _beat(self, mode: str) -> int:
        return int(self._beat_script(keys=self._keys, args=[self.worker, self._ttl_ms(), mode]))

    def _ttl_ms(self) -> int:
        return int(self.ttl * 1000)

    def _wake_engine(self) -> None:
        # No public call asks the engine to look at the scheduler again; its 5 s
        # heartbeat does the same if this private attribute ever goes away.
        slot: Any = getattr(self.crawler.engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
