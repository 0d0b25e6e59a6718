"""Per-site NewsSpider subclasses, for the rare source that config can't describe.

A class here has no `name`; its sources.yaml entry points at it with `spider_class`.
"""
