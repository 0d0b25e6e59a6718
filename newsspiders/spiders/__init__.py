"""The news spider every source runs.

- `news`: `NewsSpider`: discovery pages in, article requests and `Article` items out.
- `discovery`: feeds, sitemaps and listing pages read into article links.
- `charset`: a page re-read in its <meta> charset when the HTTP header's is wrong.
- `sites/`: `NewsSpider` subclasses for the rare source that config can't describe.
"""
