"""The sources file (config/sources.yaml).

- `model`: its pydantic model and loading, with errors that name file, entry and field.
- `table`: the sources as the Markdown table of docs/sources.md.
"""
