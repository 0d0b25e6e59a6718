"""Scrapy middlewares of the project.

- `known_urls`: `KnownUrlFilter`, a spider middleware: article requests for URLs an
  earlier run stored are never sent.
- `article_window`: `ArticleWindowMiddleware`, a spider middleware: article requests
  wait until the downloader has room for them.
- `retry_after`: `RetryAfterMiddleware`, a downloader middleware: a 429 or 503 with
  Retry-After holds the host's download slot, then the page is retried.
"""
