-- Threads: the successive event stories of one long-running story (a war, a campaign,
-- a trial), linked by `scrapy stories` (docs/stories.md). A story is in at most one
-- thread; a thread keeps its id as stories join it.
CREATE TABLE threads (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_seen      TIMESTAMPTZ NOT NULL,   -- its first story's first report
    last_seen       TIMESTAMPTZ NOT NULL,   -- its latest story's latest report
    title           TEXT NOT NULL,          -- its first story's title
    story_count     INTEGER NOT NULL,
    centroid        JSONB NOT NULL,         -- {"terms": {...}, "entities": {...}}, its stories'
    version         INTEGER NOT NULL DEFAULT 1,   -- bumped by every save
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX threads_last_seen ON threads (last_seen DESC);

ALTER TABLE stories ADD COLUMN thread_id BIGINT REFERENCES threads(id);
-- False until the thread step has looked at the story once; stories from before
-- threads existed are left out of them.
ALTER TABLE stories ADD COLUMN thread_checked BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE stories SET thread_checked = TRUE;
-- "Ongoing updates": a thread's events in time order, one range of this index.
CREATE INDEX stories_thread ON stories (thread_id, first_seen);
-- The thread step's to-do list.
CREATE INDEX stories_unthreaded ON stories (id) WHERE NOT thread_checked;
