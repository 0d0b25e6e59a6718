"""What a run tells people: `runstats` (one run read from Scrapy's stats), `health`
(which sources broke, which countries went quiet), `progress` (live lines under crawlall),
`logformatter` (one line per dropped page), and the HTML report (`scrapy report`):
`report_data` (what it shows, read from the database), `html_report` (the page, with
its styles and script in `html/`) and `worldmap` (the country shapes)."""
