"""Store stage: articles written in batches; a re-run stores nothing twice.

- `stage`: the item pipeline.
- `journal`: batches the database refused, kept on disk and replayed by the next run.
"""
