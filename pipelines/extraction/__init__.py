"""The extract stage's helpers, one concern per module.

- `structured`: JSON-LD and microdata a page declares about itself.
- `metadata`: title, authors, image, section, description, canonical URL, page types.
- `dates`: the published date, timezone-aware, never in the future.
- `blocks`: the page's text blocks, to map extracted lines back to the DOM.
- `boilerplate`: rules that drop furniture trafilatura keeps.
- `body`: the article body: trafilatura passes, fallbacks, repairs.
- `text`: whitespace, words and word shingles, shared by the others.
"""
