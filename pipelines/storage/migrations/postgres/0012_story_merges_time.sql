-- A stories export from a cursor reads the merges made since its last run in time order
-- (`WHERE merged_at >= ? ORDER BY merged_at, story_id`): without this index it scanned
-- every merge ever recorded on each run.
CREATE INDEX story_merges_time ON story_merges (merged_at, story_id);
