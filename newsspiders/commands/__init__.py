"""The project's `scrapy` commands.

- `crawl`: Scrapy's own, with plain messages for the usual mistakes.
- `crawlall`: many sources in one process.
- `sources`: check the sources file, or list it (and refresh docs/sources.md).
- `initdb`: create or migrate the database.
- `retranslate`: finish translations left pending.
- `stories`: place new articles in stories.
- `health`: which sources broke, which countries went quiet.
- `report`: the same, the coverage map and the top stories, as one HTML page.
- `export`: articles, stories or a country's feed as JSON Lines (docs/schema.md).
"""
