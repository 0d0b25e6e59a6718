-- Threads: the successive event stories of one long-running story (a war, a campaign,
-- a trial), linked by `scrapy stories` (docs/stories.md). A story is in at most one
-- thread; a thread keeps its id as stories join it.
CREATE TABLE threads (
    id              INTEGER PRIMARY KEY,
    first_seen      TEXT NOT NULL,       -- its first story's first report, ISO 8601 UTC
    last_seen       TEXT NOT NULL,       -- its latest story's latest report
    title           TEXT NOT NULL,       -- its first story's title
    story_count     INTEGER NOT NULL,
    centroid        TEXT NOT NULL,       -- JSON {"terms": {...}, "entities": {...}}, its stories'
    version         INTEGER NOT NULL DEFAULT 1,   -- bumped by every save
    updated_at      TEXT NOT NULL
);
CREATE INDEX threads_last_seen ON threads (last_seen DESC);

ALTER TABLE stories ADD COLUMN thread_id INTEGER REFERENCES threads(id);
-- 0 until the thread step has looked at the story once; stories from before threads
-- existed are left out of them.
ALTER TABLE stories ADD COLUMN thread_checked INTEGER NOT NULL DEFAULT 0;
UPDATE stories SET thread_checked = 1;
-- "Ongoing updates": a thread's events in time order, one range of this index.
CREATE INDEX stories_thread ON stories (thread_id, first_seen);
-- The thread step's to-do list.
CREATE INDEX stories_unthreaded ON stories (id) WHERE thread_checked = 0;
