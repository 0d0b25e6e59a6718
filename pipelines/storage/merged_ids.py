"""Story ids that outlived their story: where a merged story's reports are now.

A story that merged into an older story of its event (migration 0011, docs/stories.md,
"Merging young stories") has no row any more; `story_merges` records where it went. An
app or a downstream job may still hold its id (from a panel, an article's `story_id`, an
export line), so every read that takes a story id maps it here, the same SQL on SQLite
and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from pipelines.storage.dialect import first

# More hops than any chain can have: `save_stories` points earlier merges at the story
# that stays, so a chain is one hop; the bound only keeps a corrupt cycle from looping.
MAX_HOPS = 64

# The live story at the end of the id's chain of merges (X -> Y -> Z): the id itself
# when its story still exists, nothing when the id was never a story.
LIVE_STORY = (
    "WITH RECURSIVE chain (id, hops) AS ("
    " SELECT CAST(? AS BIGINT), 0"
    " UNION ALL SELECT m.merged_into, chain.hops + 1"
    " FROM story_merges m JOIN chain ON m.story_id = chain.id WHERE chain.hops < ?)"
    " SELECT s.id FROM chain JOIN stories s ON s.id = chain.id ORDER BY chain.hops LIMIT 1"
)


def live_story_id(tx: Any, story_id: int) -> int | None:
    """The id of the story `story_id`'s reports are in now (itself if it was never
    merged), or None for an id that was never a story's."""
    row = tx.execute(LIVE_STORY, (story_id, MAX_HOPS)).fetchone()
    return None if row is None else int(first(row))
