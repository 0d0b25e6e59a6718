"""Dedup stage: an article already stored (same URL, canonical URL or text) is not stored
again; an edited copy is stored and marked as a near-duplicate.

- `stage`: the item pipeline.
- `fingerprints`: the content hash and MinHash bands, made in the extraction worker.
"""
