"""Stories: the same event as every source tells it, in any language, grouped on the
English title and text (docs/stories.md).

features.py reads an article's terms and names, embedding.py its meaning (a sentence
encoder shipped in a wheel), vectors.py holds the arithmetic, story.py a
story and its articles, window.py the matching rule, meanings.py its candidates by
meaning, stage.py the run, threads.py the long-running stories that link successive
events.
"""

from pipelines.stories.stage import Placed, StoryConflict, place_articles, work_out_meanings
from pipelines.stories.threads import Linked, link_threads

__all__ = [
    "Linked",
    "Placed",
    "StoryConflict",
    "link_threads",
    "place_articles",
    "work_out_meanings",
]
