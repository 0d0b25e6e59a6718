"""Project commands: `scrapy sources`, `scrapy crawlall`, `scrapy initdb`."""
