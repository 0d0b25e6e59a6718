"""Extract stage: a fetched page becomes an article (text, metadata, language).

- `stage`: the item pipeline; sends each page to the worker pool, drops non-articles.
- `pool`: the process pool every crawler of a process shares.
- `options`: `ExtractOptions`, everything the worker needs besides the page.
- `worker`: what a worker process does with one page (imports no Scrapy).
- `mojibake`: UTF-8 text read as Windows-1252 upstream, repaired.
- `structured`: JSON-LD and microdata a page declares about itself.
- `metadata`: title, authors, image, section, description, canonical URL, page types.
- `published`: the published date, timezone-aware, never in the future.
- `blocks`: the page's text blocks, to map extracted lines back to the DOM.
- `boilerplate`: rules that drop furniture trafilatura keeps.
- `body`: the article body: trafilatura passes, fallbacks, repairs.
- `walls`: paywalls and cookie walls.
- `text`: whitespace, words and word n-grams, shared by the others.
"""
