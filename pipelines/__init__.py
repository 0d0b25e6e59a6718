"""The item pipelines: what happens to a page after the spider fetched it.

One package per stage, each with a thin `stage.py` that Scrapy runs (ITEM_PIPELINES):

- `extract`: the article's text, metadata and language, in a process pool.
- `dedup`: an article already stored is not stored again; near-copies are marked.
- `translate`: title and text to English through a cache and a provider chain.
- `store`: batched writes, and a journal while the database is away.

And the packages the stages use:

- `language`: language detection, called by the extraction worker (not a stage).
- `storage`: the database (SQLite or PostgreSQL), shared as a Scrapy extension.
- `stories`: articles grouped into stories after the crawl (`scrapy stories`).

Imports run one way: from `newsspiders` these packages take only `items`, `urls` and
`dates`; `storage` takes nothing; the extraction worker imports no Scrapy, Twisted,
pydantic or database driver.
"""
