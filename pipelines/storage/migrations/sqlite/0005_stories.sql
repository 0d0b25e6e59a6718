-- Stories: one event as every source tells it, in any language, grouped on the English
-- text by `scrapy stories` (docs/stories.md). An article's story_id is set once, and a
-- story keeps its id as articles join it.
CREATE TABLE stories (
    id              INTEGER PRIMARY KEY,
    first_seen      TEXT NOT NULL,       -- earliest report (published, else fetched), ISO 8601 UTC
    last_seen       TEXT NOT NULL,       -- latest report
    title           TEXT NOT NULL,       -- representative English title: the earliest report's
    article_id      INTEGER NOT NULL REFERENCES articles(id),   -- that report
    countries       TEXT NOT NULL,       -- comma-separated ISO 3166-1 codes, sorted
    country_count   INTEGER NOT NULL,    -- how many countries report it
    article_count   INTEGER NOT NULL,    -- original reports: near-duplicates are not counted
    centroid        TEXT NOT NULL,       -- JSON {"terms": {...}, "entities": {...}}, for matching
    version         INTEGER NOT NULL DEFAULT 1,   -- bumped by every save
    updated_at      TEXT NOT NULL
);
-- "Stories of the last 24 h": a range on last_seen (then that day's stories sorted by
-- country_count). Also the stage's window of candidate stories.
CREATE INDEX stories_last_seen ON stories (last_seen DESC);

ALTER TABLE articles ADD COLUMN story_id INTEGER REFERENCES stories(id);
-- "All coverage of story S by country": one range of this index, already in that order.
CREATE INDEX articles_story ON articles (story_id, country, published_at);
-- The stage's to-do list: only articles in no story yet are in this index.
CREATE INDEX articles_unassigned ON articles (id) WHERE story_id IS NULL;
