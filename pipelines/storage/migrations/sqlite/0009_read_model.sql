-- The app's read model (pipelines/storage/read_queries.py, docs/schema.md) and the
-- cursors of `scrapy export`.

-- Country feed: one country's articles newest first (published, else fetched time), read
-- in index order; `before` pages continue from a position in it.
CREATE INDEX articles_feed ON articles (country, COALESCE(published_at, fetched_at) DESC, id DESC);
-- Folding near-duplicates: an original's copies, per country (only copies are indexed).
CREATE INDEX articles_copies ON articles (duplicate_of, country) WHERE duplicate_of IS NOT NULL;
-- Globe: a country's articles fetched in the last 24 h / 7 days, counted from the index
-- alone (two ranges per country).
CREATE INDEX articles_country_fetched ON articles (country, fetched_at);
-- Current take: the stories of the last hours with their country counts, from the index
-- alone, to rank them before any story row is read.
CREATE INDEX stories_recent ON stories (last_seen, country_count, id);
-- Current take: a story's sources with an original report, counted from the index alone.
CREATE INDEX articles_story_sources ON articles (story_id, source) WHERE duplicate_of IS NULL;
-- Export: stories changed since a cursor's last run.
CREATE INDEX stories_updated ON stories (updated_at);

-- One row per named export cursor: where `scrapy export --cursor NAME` stopped.
CREATE TABLE export_cursors (
    name         TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,               -- articles | stories | feed
    country      TEXT,                        -- feed cursors: the country
    last_id      INTEGER NOT NULL DEFAULT 0,  -- articles, feed: highest article id looked at
    last_change  TEXT,                         -- stories: latest updated_at exported
    runs         INTEGER NOT NULL DEFAULT 0,  -- bumped by every run: two runs at once fail
    updated_at   TEXT NOT NULL
);
-- Articles a cursor saw while their translation was pending: exported once it is done.
CREATE TABLE export_waiting (
    cursor_name TEXT NOT NULL REFERENCES export_cursors(name),
    article_id  INTEGER NOT NULL,
    PRIMARY KEY (cursor_name, article_id)
);
-- The version of each story a cursor exported: a story is exported again when it changes.
CREATE TABLE export_story_versions (
    cursor_name TEXT NOT NULL REFERENCES export_cursors(name),
    story_id    INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (cursor_name, story_id)
);
