"""The stages an article passes through, one package each, in the order of ITEM_PIPELINES:

- `extract/`: text, metadata and language of a page, in a worker process pool.
- `language/`: language detection, called by the extract worker (not a Scrapy stage).
- `dedup/`: an article stored already, or met earlier in the crawl, is not stored again.
- `translate/`: title and text to English through the provider chain.
- `store/`: batched writes; a journal when the database is away.
- `storage/`: the database itself (a Scrapy extension, two backends, queries, migrations).
- `stories/`: cross-border stories, run by `scrapy stories` after crawls.

Each stage package has a thin `stage.py` (the Scrapy item pipeline) and the parts only it
uses. Dependencies run one way: nothing here imports `newsspiders` beyond its leaf
modules `items`, `urls` and `dates`.
"""
