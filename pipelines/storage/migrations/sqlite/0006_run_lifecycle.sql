-- A run's row is written when it starts (finish_reason 'running') and completed when it
-- ends; which process on which machine runs it tells a live run from one that was
-- killed, so a later run or `scrapy health` can mark the latter 'interrupted'.
ALTER TABLE crawl_runs ADD COLUMN pid INTEGER;
ALTER TABLE crawl_runs ADD COLUMN host TEXT;
CREATE INDEX crawl_runs_running ON crawl_runs (host) WHERE finish_reason = 'running';
