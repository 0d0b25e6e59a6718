"""Middlewares of the project.

- `known_urls`: spider middleware; article requests for URLs already stored are dropped.
- `article_window`: spider middleware; article requests reach the scheduler a few at a time.
- `retry_after`: downloader middleware; a 429/503 with Retry-After holds that host.
"""
