-- LSH band hashes of each article's MinHash, for near-duplicate lookups in one query.
CREATE TABLE article_bands (
    band_hash   INTEGER NOT NULL,
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (band_hash, article_id)
) WITHOUT ROWID;

-- One stored article per exact text: a second writer's insert of the same text fails
-- instead of storing it twice.
DROP INDEX articles_content_hash;
CREATE UNIQUE INDEX articles_content_hash ON articles (content_hash);
