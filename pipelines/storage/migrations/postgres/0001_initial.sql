-- Sources synced from the YAML, articles, their URLs (aliases included).
CREATE TABLE sources (
    name        TEXT PRIMARY KEY,
    country     TEXT NOT NULL,
    languages   TEXT NOT NULL,          -- comma-separated ISO 639-1 codes
    homepage    TEXT NOT NULL,
    enabled     BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE articles (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source              TEXT NOT NULL,
    country             TEXT NOT NULL,
    url                 TEXT NOT NULL,
    url_hash            TEXT NOT NULL UNIQUE,
    canonical_url       TEXT,
    title               TEXT NOT NULL,
    text                TEXT NOT NULL,
    language            TEXT,
    language_confidence REAL,
    title_en            TEXT,
    text_en             TEXT,
    translation_status  TEXT NOT NULL,   -- done | not_needed | pending
    translator          TEXT,
    translation_error   TEXT,
    published_at        TIMESTAMPTZ,
    fetched_at          TIMESTAMPTZ NOT NULL,
    authors             JSONB NOT NULL DEFAULT '[]',
    section             TEXT,
    image_url           TEXT,
    description         TEXT,
    content_hash        TEXT NOT NULL,
    duplicate_of        BIGINT REFERENCES articles(id),
    word_count          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_country_published ON articles (country, published_at DESC);
CREATE INDEX articles_source_published ON articles (source, published_at DESC);
CREATE INDEX articles_content_hash ON articles (content_hash);
CREATE INDEX articles_pending ON articles (translation_status) WHERE translation_status = 'pending';

-- Every URL that leads to a stored article: its own, its canonical one, and aliases.
CREATE TABLE article_urls (
    url_hash    TEXT PRIMARY KEY,
    url         TEXT NOT NULL,
    article_id  BIGINT NOT NULL REFERENCES articles(id)
);
CREATE INDEX article_urls_article ON article_urls (article_id);
