-- A `stories` run reads the centroid of every story in its window (20,000 stories with
-- 50,000 articles in it), and `link_threads` every thread's. JSONB is turned back into
-- text on each read, which cost the server more than the rest of the read; JSON keeps
-- the text as written. No query looks inside a centroid.
ALTER TABLE stories ALTER COLUMN centroid TYPE JSON USING centroid::json;
ALTER TABLE threads ALTER COLUMN centroid TYPE JSON USING centroid::json;
