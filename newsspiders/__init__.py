"""The Scrapy project: one spider per news source listed in config/sources.yaml.

A source's entry becomes a spider (`loader`), the spider turns its feeds, sitemaps and
listing pages into article requests (`spiders`), and each fetched page becomes an
`items.Article` for the stages in `pipelines`.

- `settings`: Scrapy settings; every NEWS_* knob can come from the environment.
- `sources/`: the sources file, read and checked, and its table for docs/sources.md.
- `loader`: the spider loader: one spider class per enabled source.
- `spiders/`: the news spider, its discovery strategies and per-site subclasses.
- `middlewares/`: the known-URL filter, the article window and Retry-After.
- `extensions/`: run statistics recorded, drops counted, source rows synced.
- `reporting/`: run statistics, the health report, crawlall's progress, log lines.
- `commands/`: the project's `scrapy` commands.
- `items`, `urls`, `dates`: the article item, URL identity and date parsing; leaf
  modules without Scrapy, which `pipelines` may import.
- `distributed`: several machines sharing each spider's queue in Redis.
- `testing/`: fixture sites and servers for tests, `make demo` and benchmarks.
"""
