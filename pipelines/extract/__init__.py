"""Extract stage: a fetched page becomes an article's text, metadata and language.

- `stage`: the item pipeline; sends each page to the pool, drops non-articles by reason.
- `worker`: what one worker process does with a page.
- `options`: `ExtractOptions`, the frozen settings sent to the worker with each page.
- `pool`: the process pool, one per Python process, shared by its crawlers.
- `body`: the article body: trafilatura, then repairs.
- `blocks`: the page's text blocks, to trace extracted lines back to the DOM.
- `boilerplate`: page furniture dropped from the body line by line.
- `metadata`: title, authors, image, section, description, canonical URL.
- `structured`: JSON-LD and microdata.
- `published`: the publication date.
- `walls`: cookie walls and paywall teasers.
- `charset`: mojibake repair.
- `text`: small text helpers.
"""
