"""A story's title, the one the app shows: its most central report's, not its first's
(pipelines/stories/representative.py). Real database, run by run as cron places them."""

from __future__ import annotations

import pytest

from newsspiders.testing.databases import query
from pipelines.storage import open_backend, prepare_schema
from pipelines.stories import place_articles
from tests.story_merge import WINDOW, store_round, stories_by_url

pytestmark = pytest.mark.each_backend

# One earthquake. France's own angle is published first; the main reports follow, and
# a later local angle after them. (n, English title, hours after the first.)
SIDE_FIRST = [(0, "France sends sixty rescuers to quake-hit Korvala in Estravia", 0.0)]
MAIN = [
    (1, "Estravia earthquake kills 173 in Korvala, thousands homeless", 1.0),
    (2, "Korvala earthquake: death toll in Estravia climbs to 173", 1.5),
    (3, "Magnitude 7.1 earthquake in Estravia kills 173 around Korvala", 2.0),
]
SIDE_LATER = [(4, "Japanese rescue team flies to Estravia's quake-hit Korvala", 5.0)]


def test_a_story_is_titled_by_its_most_central_report_not_by_its_first(
    database_url: str,
) -> None:
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        titles = []
        for run in (SIDE_FIRST, MAIN, SIDE_LATER):
            store_round(backend, run)
            placed = place_articles(backend, WINDOW)
            assert placed.articles == len(run)
            titles.append(_story(database_url)["title"])
        assert len(set(stories_by_url(database_url).values())) == 1, "one story, one event"
        # Alone, the side angle stands for its story; once the main reports are in, one
        # of them does, and a later side angle does not take the title back.
        main_titles = {title for _, title, _ in MAIN}
        assert titles[0] == SIDE_FIRST[0][1]
        assert titles[1] in main_titles and titles[2] == titles[1], titles
        # The representative report is the one whose title is shown.
        story = _story(database_url)
        (shown,) = query(
            database_url, f"SELECT title_en FROM articles WHERE id = {story['article_id']}"
        )
        assert shown["title_en"] == story["title"]
        # A re-run places nothing and keeps the title.
        assert place_articles(backend, WINDOW).articles == 0
        assert _story(database_url)["title"] == titles[-1]
    finally:
        backend.close()


def _story(database_url: str) -> dict[str, object]:
    (row,) = query(database_url, "SELECT title, article_id FROM stories")
    return row
