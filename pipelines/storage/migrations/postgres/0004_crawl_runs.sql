-- One row per source per run, from Scrapy's stats: what the health report reads.
CREATE TABLE crawl_runs (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source                  TEXT NOT NULL,
    started_at              TIMESTAMPTZ NOT NULL,
    finished_at             TIMESTAMPTZ NOT NULL,
    finish_reason           TEXT NOT NULL,
    failed                  BOOLEAN NOT NULL,
    pages                   INTEGER NOT NULL DEFAULT 0,   -- responses received
    discovered              INTEGER NOT NULL DEFAULT 0,   -- article links found
    new_articles            INTEGER NOT NULL DEFAULT 0,
    duplicates              INTEGER NOT NULL DEFAULT 0,
    near_duplicates         INTEGER NOT NULL DEFAULT 0,
    dropped                 JSONB NOT NULL,                 -- {reason: count}
    http_errors             JSONB NOT NULL,                 -- {status: count}
    errors                  INTEGER NOT NULL DEFAULT 0,   -- error log lines
    translation_requests    INTEGER NOT NULL DEFAULT 0,
    translation_characters  INTEGER NOT NULL DEFAULT 0,
    pending_translations    INTEGER NOT NULL DEFAULT 0,
    robots_forbidden        INTEGER NOT NULL DEFAULT 0,
    stats                   JSONB NOT NULL                  -- the whole stats dict
);
CREATE INDEX crawl_runs_source_finished ON crawl_runs (source, finished_at DESC);
