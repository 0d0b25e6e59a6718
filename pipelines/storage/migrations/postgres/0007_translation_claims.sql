-- `scrapy retranslate` claims the pending articles it works on, so that two runs at once
-- never translate the same article; a claim older than its time-out is free again (a
-- run that was killed).
ALTER TABLE articles ADD COLUMN translation_claim TEXT;
ALTER TABLE articles ADD COLUMN translation_claimed_at TEXT;
