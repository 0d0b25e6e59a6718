-- Stories: one event as every source tells it, in any language, grouped on the English
-- text by `scrapy stories` (docs/stories.md). An article's story_id is set once, and a
-- story keeps its id as articles join it.
CREATE TABLE stories (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_seen      TIMESTAMPTZ NOT NULL,   -- earliest report (published, else fetched)
    last_seen       TIMESTAMPTZ NOT NULL,   -- latest report
    title           TEXT NOT NULL,          -- representative English title: the earliest report's
    article_id      BIGINT NOT NULL REFERENCES articles(id),   -- that report
    countries       TEXT NOT NULL,          -- comma-separated ISO 3166-1 codes, sorted
    country_count   INTEGER NOT NULL,       -- how many countries report it
    article_count   INTEGER NOT NULL,       -- original reports: near-duplicates are not counted
    centroid        JSONB NOT NULL,         -- {"terms": {...}, "entities": {...}}, for matching
    version         INTEGER NOT NULL DEFAULT 1,   -- bumped by every save
    updated_at      TIMESTAMPTZ NOT NULL
);
-- "Stories of the last 24 h": a range on last_seen (then that day's stories sorted by
-- country_count). Also the stage's window of candidate stories.
CREATE INDEX stories_last_seen ON stories (last_seen DESC);

-- Every existing row is NULL, so the foreign key needs no validating scan of articles.
ALTER TABLE articles ADD COLUMN story_id BIGINT;
ALTER TABLE articles ADD CONSTRAINT articles_story_id_fkey
    FOREIGN KEY (story_id) REFERENCES stories(id) NOT VALID;
-- "All coverage of story S by country": one range of this index, already in that order.
CREATE INDEX articles_story ON articles (story_id, country, published_at);
-- The stage's to-do list: only articles in no story yet are in this index.
CREATE INDEX articles_unassigned ON articles (id) WHERE story_id IS NULL;
