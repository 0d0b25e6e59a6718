"""The sources file: `model` (pydantic entries, loading, errors naming file, entry and
field) and `table` (the generated table in docs/sources.md)."""
