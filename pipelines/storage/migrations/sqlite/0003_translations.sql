-- Translations by segment (a title or a paragraph), so a re-run, a duplicate or an
-- edited copy of a story costs no new request for the text already translated.
CREATE TABLE translations (
    text_hash   TEXT NOT NULL,           -- SHA-1 of the original segment
    source      TEXT NOT NULL,
    target      TEXT NOT NULL,
    provider    TEXT NOT NULL,
    translated  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (text_hash, source, target, provider)
);

-- Characters and requests sent to each provider per UTC day, for the daily budgets.
CREATE TABLE translation_usage (
    day         TEXT NOT NULL,           -- YYYY-MM-DD
    provider    TEXT NOT NULL,
    characters  INTEGER NOT NULL DEFAULT 0,
    requests    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, provider)
);
