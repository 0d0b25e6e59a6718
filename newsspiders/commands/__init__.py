"""Project commands: crawl, crawlall, sources, initdb, retranslate, health, stories."""
