"""What a run reports, and what is read back from the runs.

- `runstats`: one source's run, read from Scrapy's stats collector.
- `health`: the health report's rules (`scrapy health`).
- `progress`: crawlall's progress line.
- `logformatter`: log lines an operator can read; a drop is one line.
"""
