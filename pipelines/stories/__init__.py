"""Stories: the same event as every source tells it, in any language, grouped on the
English title and text (docs/stories.md).

features.py reads an article's terms and names, vectors.py holds the arithmetic,
story.py a story and its articles, window.py the matching rule, stage.py the run.
"""

from pipelines.stories.stage import Placed, StoryConflict, place_articles

__all__ = ["Placed", "StoryConflict", "place_articles"]
