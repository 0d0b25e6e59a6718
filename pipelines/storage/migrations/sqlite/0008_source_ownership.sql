-- Who runs each outlet (private, public, state, party, exile, wire, foreign), from
-- config/sources.yaml: the app shows it beside every article.
ALTER TABLE sources ADD COLUMN ownership TEXT;
