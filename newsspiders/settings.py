"""Scrapy settings. Every NEWS_* knob can be overridden from the environment."""

import os

from newsspiders.paths import project_database_url, project_path

BOT_NAME = "newsspiders"

SPIDER_LOADER_CLASS = "newsspiders.loader.SourceSpiderLoader"
# Per-site spider classes for the few sources config can't describe live here.
SPIDER_MODULES = ["newsspiders.spiders.sites"]
NEWSPIDER_MODULE = "newsspiders.spiders.sites"
COMMANDS_MODULE = "newsspiders.commands"

# --- our knobs (environment wins) -------------------------------------------
# Relative paths here are taken from the project root, whatever the working directory
# (newsspiders/paths.py).
NEWS_SOURCES = project_path(os.environ.get("NEWS_SOURCES", "config/sources.yaml"))
NEWS_DATABASE_URL = project_database_url(
    os.environ.get("NEWS_DATABASE_URL", "sqlite:///data/news.db")
)
# Ordered provider chain; the first that succeeds wins.
NEWS_TRANSLATORS = os.environ.get("NEWS_TRANSLATORS", "libretranslate")
NEWS_LIBRETRANSLATE_URL = os.environ.get("NEWS_LIBRETRANSLATE_URL", "http://127.0.0.1:5000")
NEWS_LIBRETRANSLATE_API_KEY = os.environ.get("NEWS_LIBRETRANSLATE_API_KEY", "")
NEWS_TRANSLATE_TIMEOUT = float(os.environ.get("NEWS_TRANSLATE_TIMEOUT", "30"))
# Per provider: tries on 429/5xx/timeouts before the next provider, and the backoff base.
NEWS_TRANSLATE_ATTEMPTS = int(os.environ.get("NEWS_TRANSLATE_ATTEMPTS", "3"))
NEWS_TRANSLATE_BACKOFF = float(os.environ.get("NEWS_TRANSLATE_BACKOFF", "0.5"))
# Circuit breaker: after this many failed articles in a row a provider is skipped for the
# rest of the run (articles go pending at once; `retranslate` finishes them). 0: never.
NEWS_TRANSLATE_BREAKER_FAILURES = int(os.environ.get("NEWS_TRANSLATE_BREAKER_FAILURES", "5"))
# Daily character budgets, e.g. "google=500000,deepl=100000"; over it, articles wait.
NEWS_TRANSLATE_BUDGETS = os.environ.get("NEWS_TRANSLATE_BUDGETS", "")
NEWS_DEEPL_API_KEY = os.environ.get("NEWS_DEEPL_API_KEY", "")
NEWS_DEEPL_URL = os.environ.get("NEWS_DEEPL_URL", "")  # default: DeepL's own (free/pro by key)
NEWS_GOOGLE_URL = os.environ.get("NEWS_GOOGLE_URL", "")  # default: translate.google.com
NEWS_MICROSOFT_API_KEY = os.environ.get("NEWS_MICROSOFT_API_KEY", "")
NEWS_MICROSOFT_REGION = os.environ.get("NEWS_MICROSOFT_REGION", "")
# Translation requests in flight per process (all the sources `crawlall` runs share them):
# I/O-bound, so well above the core count.
NEWS_TRANSLATE_THREADS = int(os.environ.get("NEWS_TRANSLATE_THREADS", "16"))
NEWS_TARGET_LANGUAGE = "en"
# Language detector: lingua (default) or langdetect; fastText's bundled model backs either.
NEWS_LANGUAGE_DETECTOR = os.environ.get("NEWS_LANGUAGE_DETECTOR", "lingua")
# The languages the detector tells apart (English always among them); the spider loader
# sets them per spider to every language of the sources file.
NEWS_SOURCE_LANGUAGES: list[str] = []
# Extraction runs in a process pool; 0 keeps it in a thread (handy under a debugger).
NEWS_EXTRACT_PROCESSES = int(os.environ.get("NEWS_EXTRACT_PROCESSES", str(os.cpu_count() or 1)))
# Pages whose extracted text is shorter than this are not articles.
NEWS_MIN_TEXT_CHARS = int(os.environ.get("NEWS_MIN_TEXT_CHARS", "400"))
NEWS_STORE_BATCH_SIZE = int(os.environ.get("NEWS_STORE_BATCH_SIZE", "50"))
# Where batches go when the database is away; the next run of the source replays them.
NEWS_JOURNAL_DIR = project_path(os.environ.get("NEWS_JOURNAL_DIR", "data/journal"))
# crawlall: sources crawling at once, and requests in flight across all of them.
NEWS_CONCURRENT_SOURCES = int(os.environ.get("NEWS_CONCURRENT_SOURCES", "8"))
NEWS_MAX_REQUESTS = int(os.environ.get("NEWS_MAX_REQUESTS", "64"))

# The flow: extract (+ language, in the worker) -> dedup -> translate -> store.
ITEM_PIPELINES = {
    "pipelines.extract.stage.ExtractPipeline": 100,
    "pipelines.dedup.stage.DedupPipeline": 200,
    "pipelines.translate.stage.TranslatePipeline": 400,
    "pipelines.store.stage.StorePipeline": 500,
}

SPIDER_MIDDLEWARES = {
    # Output passes from the spider outwards (high numbers first): article requests for
    # URLs stored by an earlier run are dropped, one query per batch; then those left
    # wait in the window until the downloader has room (outermost, after every filter).
    "newsspiders.middlewares.known_urls.KnownUrlFilter": 950,
    "newsspiders.middlewares.article_window.ArticleWindowMiddleware": 10,
}
DOWNLOADER_MIDDLEWARES = {
    # Closer to the downloader than RetryMiddleware (550): sees 429/503 first.
    "newsspiders.middlewares.retry_after.RetryAfterMiddleware": 560,
}
# Longest Retry-After we wait for; a longer one skips the page until the next run.
NEWS_RETRY_AFTER_MAX = float(os.environ.get("NEWS_RETRY_AFTER_MAX", "120"))

EXTENSIONS = {
    # The database every stage, middleware and extension of a crawl shares.
    "pipelines.storage.extension.StorageExtension": 100,
    "newsspiders.extensions.source_sync.SourceSync": 200,
    "newsspiders.extensions.drop_counter.DropCounter": 300,
    "newsspiders.extensions.translator_reachability.TranslatorReachability": 400,
    # After CoreStats (0), which sets finish_reason on spider_closed.
    "newsspiders.extensions.run_recorder.RunRecorder": 500,
}

# `scrapy health` thresholds (per-source `health:` entries in the sources file win).
NEWS_HEALTH_QUIET_RUNS = int(os.environ.get("NEWS_HEALTH_QUIET_RUNS", "3"))
NEWS_HEALTH_QUIET_HOURS = int(os.environ.get("NEWS_HEALTH_QUIET_HOURS", "48"))
NEWS_HEALTH_ERROR_RATE = float(os.environ.get("NEWS_HEALTH_ERROR_RATE", "0.2"))
NEWS_HEALTH_DROP_RATE = float(os.environ.get("NEWS_HEALTH_DROP_RATE", "0.5"))
NEWS_HEALTH_PENDING = int(os.environ.get("NEWS_HEALTH_PENDING", "50"))

# --- crawling manners --------------------------------------------------------
USER_AGENT = os.environ.get(
    "NEWS_USER_AGENT", "newsspiders/0.1 (+https://github.com/newsspiders; news aggregation)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Items processed at once per response. An article page yields one item and a feed only
# requests, so more buys nothing, while Scrapy starts this many tasks for every response.
CONCURRENT_ITEMS = 4
# Bytes of responses a crawler holds while their articles go through the pipeline (Scrapy
# stops downloading above it). A page stays held until its article is stored, its text
# decoded at up to 4 bytes a character, so the default 5 MB costs ~75 MB of memory per
# source in `crawlall`; 1.5 MB keeps the extraction workers just as busy.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_500_000
DOWNLOAD_DELAY = float(os.environ.get("NEWS_DOWNLOAD_DELAY", "0.25"))
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = os.environ.get("NEWS_LOG_LEVEL", "INFO")
LOG_FORMATTER = "newsspiders.reporting.logformatter.NewsLogFormatter"  # drops in one line each

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# --- distributed mode: scrapy-redis (docs/scaling.md) ------------------------------------
# NEWS_REDIS_URL set: every worker running a spider, on any machine, shares that spider's
# request queue and seen-request set in Redis. Unset: the single-machine scheduler above
# is untouched and Redis is not needed.
NEWS_REDIS_URL = os.environ.get("NEWS_REDIS_URL", "")
# Every key starts with it (`<prefix>:<spider>:requests`, …): one Redis, several setups.
NEWS_REDIS_PREFIX = os.environ.get("NEWS_REDIS_PREFIX", "newsspiders")
# Seconds without a heartbeat before a worker counts as dead; seconds between looks at
# the queue while a worker waits for busy ones.
NEWS_REDIS_WORKER_TTL = float(os.environ.get("NEWS_REDIS_WORKER_TTL", "60"))
NEWS_REDIS_POLL_INTERVAL = float(os.environ.get("NEWS_REDIS_POLL_INTERVAL", "0.25"))
if NEWS_REDIS_URL:
    # scrapy-redis's scheduler with a worker register (newsspiders/distributed.py).
    SCHEDULER = "newsspiders.distributed.DistributedScheduler"
    DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
    # Never flush on close: other workers may still be crawling, and an interrupted
    # backfill resumes from what is left. The scheduler clears the seen set between crawls.
    SCHEDULER_PERSIST = True
    REDIS_URL = NEWS_REDIS_URL
    SCHEDULER_QUEUE_KEY = f"{NEWS_REDIS_PREFIX}:%(spider)s:requests"
    SCHEDULER_DUPEFILTER_KEY = f"{NEWS_REDIS_PREFIX}:%(spider)s:dupefilter"
# --- end of distributed mode -------------------------------------------------------------
