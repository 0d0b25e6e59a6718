"""What a run tells people: `runstats` (one run read from Scrapy's stats), `health`
(which sources broke, which countries went quiet), `progress` (live lines under crawlall)
and `logformatter` (one line per dropped page)."""
