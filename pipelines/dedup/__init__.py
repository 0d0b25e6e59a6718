"""Dedup stage: one stored article per story copy.

- `stage`: the item pipeline; exact copies become aliases, copies in flight fold.
- `fingerprints`: content hash, MinHash band hashes and the near-copy test.
"""
