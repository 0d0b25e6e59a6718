"""Store stage: articles written to the database in batches.

- `stage`: the item pipeline.
- `journal`: batches the database refused, kept on disk and replayed by the next run.
"""
