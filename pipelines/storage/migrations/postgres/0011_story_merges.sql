-- Merged stories (docs/stories.md, "Merging young stories"): a story founded by an
-- event's first reports that later met an older story of the same event merged into it.
-- Its articles moved to the older story and its row was deleted; this keeps its id, so
-- that a link to it still finds the story its reports are in now.
CREATE TABLE story_merges (
    story_id        BIGINT PRIMARY KEY,      -- the merged story's id (its row is gone)
    merged_into     BIGINT NOT NULL REFERENCES stories(id),   -- the story that stays
    merged_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX story_merges_into ON story_merges (merged_into);
