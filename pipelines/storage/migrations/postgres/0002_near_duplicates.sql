-- LSH band hashes of each article's MinHash, for near-duplicate lookups in one query.
CREATE TABLE article_bands (
    band_hash   BIGINT NOT NULL,
    article_id  BIGINT NOT NULL REFERENCES articles(id),
    PRIMARY KEY (band_hash, article_id)
);

-- One stored article per exact text.
DROP INDEX articles_content_hash;
CREATE UNIQUE INDEX articles_content_hash ON articles (content_hash);
