"""Stories: a full report about people the story never names is another event (the
titles-agree rule, window._titles_agree; docs/stories.md, rule 3).

Two caucuses of one state a day apart: each winner's report names the state, the
count, the delegates and the rally town, so by their words alone the second joins the
first; its headline's protagonist, whom its text tells of too, is no one the first
story names. Articles written for these tests (every name invented).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsspiders.testing.databases import query
from newsspiders.testing.story_stream import stored_row
from pipelines.storage import open_backend, prepare_schema
from pipelines.stories import place_articles
from pipelines.stories import window as story_window
from pipelines.stories.features import features
from pipelines.stories.story import StoryArticle
from pipelines.stories.window import StoryWindow, new_subjects

WINDOW = timedelta(hours=72)
DAY = datetime(2027, 3, 6, 22, tzinfo=UTC)

# (hours after DAY, title, text)
QUINTERO = (0, "Marla Quintero wins the Calderia caucuses",
            "Marla Quintero won the Calderia caucuses on Saturday with 46 percent of the"
            " vote, said Ruth Okafor, who chairs the Calderia election board, after counting"
            " overnight. The senator beat four rivals and takes most of the state's 36"
            " delegates to the national convention. Turnout in Calderia was the highest in a"
            " decade, Okafor said, from Belmont to the farms of Ostrava, and Quintero thanked"
            " volunteers at a rally in Belmont. Her campaign now heads to the southern"
            " primaries next week.")  # fmt: skip
# The same win, in other words.
CALDERIAN = (3, "Quintero takes a clear win in the Calderian caucuses",
             "Voters in the Calderian caucuses handed Marla Quintero a clear win on Saturday,"
             " with 46 percent of the vote after counting overnight, said Ruth Okafor of the"
             " election board. The senator takes most of the 36 delegates at stake to the"
             " national convention, and told volunteers at a rally in Belmont that the result"
             " from Belmont to Ostrava showed her message worked. Her campaign heads to the"
             " southern primaries next week.")  # fmt: skip
# The other party's caucuses the next day: the state, the count, the board, the towns;
# its headline's protagonist is someone the first story never names, in full.
TENNANT = (20, "Republican delegates go to Owen Tennant in Calderia",
           "All of Calderia's Republican delegates went to Owen Tennant on Sunday after the"
           " party's caucuses, said Ruth Okafor, who chairs the Calderia election board,"
           " after counting overnight. The former governor beat two rivals with 61 percent"
           " of the vote and takes the state's 30 delegates to the national convention."
           " Turnout in Calderia was lower than in the caucuses the day before, Okafor said,"
           " from Belmont to Ostrava, and Owen Tennant thanked volunteers at a rally in"
           " Belmont. His campaign heads to the southern primaries next week.")  # fmt: skip
# A local angle: an outlet abroad headlines its own town's part in the same win, a
# name the story never gave. One new name is allowed.
LOCAL = (8, "Quintero's Calderia win cheered in Vellmark, where she studied",
         "In Vellmark, where she studied law, students cheered as Marla Quintero won the"
         " Calderia caucuses on Saturday with 46 percent of the vote, said Ruth Okafor of"
         " the Calderia election board. The senator takes most of the state's 36 delegates"
         " to the national convention; she thanked volunteers at a rally in Belmont, and"
         " her campaign heads to the southern primaries next week.")  # fmt: skip
# A report whose title names only a figure: no one, so its texts decide.
COUNT = (5, "Caucus count confirms 4,812 votes for the winner",
         "The final count of Saturday's caucuses in Calderia confirms 4,812 votes for Marla"
         " Quintero, 46 percent of the vote, said Ruth Okafor of the Calderia election board."
         " The senator takes most of the state's 36 delegates to the national convention"
         " after thanking volunteers at a rally in Belmont, and Quintero's campaign heads to"
         " the southern primaries next week.")  # fmt: skip


def _report(n: int, report: tuple[float, str, str]) -> StoryArticle:
    hours, title, text = report
    return StoryArticle(n, "us", title, DAY + timedelta(hours=hours), features(title, text))


def _place(*reports: tuple[float, str, str]) -> list[int]:
    """Each report's story, as the index of the first report in it."""
    articles = [_report(n, r) for n, r in enumerate(reports)]
    matcher = StoryWindow([], [a.features for a in articles], WINDOW)
    stories = [matcher.place(article)[0] for article in articles]
    return [next(i for i, s in enumerate(stories) if s is story) for story in stories]


def test_the_subjects_are_the_title_names_the_text_tells_of() -> None:
    """A name only the headline gives is a setting, not whom the report is about; a
    figure is no one."""
    found = features(
        "Corvana scores freely in Germany and dreams of the final",
        "Atletico Corvana beat Brennholt 3-1 in the first leg, with 4,812 fans watching."
        " Salaverri scored twice for Corvana, and the return leg will be played next week"
        " in front of a full stadium, where the club has not lost a cup match in two"
        " seasons, said coach Paco Lezama after the match.",
    )
    assert {"@corvana", "@germany"} <= found.title_names
    assert found.subjects == {"@corvana"}
    quintero = features(*QUINTERO[1:])
    assert quintero.subjects == {"@quintero", "@calderia"}  # a sentence's first word: no name
    tennant = features(*TENNANT[1:])
    assert set(new_subjects(tennant, quintero.entities)) == {"@owen", "@tennant"}
    assert new_subjects(features(*LOCAL[1:]), quintero.entities) == ["@vellmark"]
    # The state's adjective is a form of its name: Calderian for Calderia.


def test_a_report_about_someone_the_story_never_names_founds_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The other party's caucuses shares the state, the figures' words and the rally
    town with the first win, enough to join it on words and titles alone; its
    protagonist, named in full, parts it. The same win headlined by the adjective, by a
    figure alone, or by a town abroad (one new name: a local angle) still joins."""
    assert _place(QUINTERO, CALDERIAN, COUNT, LOCAL, TENNANT) == [0, 0, 0, 0, 4]
    # Without the rule the next day's caucuses join the first win: it is what parts them.
    monkeypatch.setattr(story_window, "NEW_SUBJECTS_MAX", 99)
    assert _place(QUINTERO, TENNANT) == [0, 0]
    # Stricter, the local angle would found a story of its own.
    monkeypatch.setattr(story_window, "NEW_SUBJECTS_MAX", 0)
    assert _place(QUINTERO, LOCAL) == [0, 1]


@pytest.mark.each_backend
def test_scrapy_stories_keeps_the_next_days_caucuses_apart(database_url: str) -> None:
    """Through place_articles, a run a day as cron would: the first win and its second
    report in one story; the next day's other caucuses in a story of its own, and so
    is a second look at the round; a re-run places nothing."""
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        for n, (hours, title, text) in enumerate((QUINTERO, CALDERIAN, COUNT)):
            at = DAY + timedelta(hours=hours)
            backend.save_articles([stored_row(f"https://a.example/{n}", "US", title, text, at)])
        assert place_articles(backend, WINDOW).stories == 1
        hours, title, text = TENNANT
        row = stored_row("https://b.example/3", "GB", title, text, DAY + timedelta(hours=hours))
        backend.save_articles([row])
        placed = place_articles(backend, WINDOW)
        assert (placed.articles, placed.stories, placed.merged) == (1, 1, 0)
        rows = query(database_url, "SELECT url, story_id FROM articles ORDER BY url")
        stories = [row["story_id"] for row in rows]
        assert stories[0] == stories[1] == stories[2] != stories[3]
        assert place_articles(backend, WINDOW).articles == 0
    finally:
        backend.close()


# The other party's caucuses again, told as the next day's news usually is: it recalls
# the first win and its winner, so every name of the first story's titles is in its text.
TENNANT_RECALLS = (
    TENNANT[0],
    TENNANT[1],
    TENNANT[2] + " His win came a day after Marla Quintero won the Calderia caucuses of"
    " the other party.",
)


@pytest.mark.each_backend
@pytest.mark.parametrize("runs", [1, 2])
def test_the_next_days_caucuses_stay_apart_though_they_recall_the_first_win(
    database_url: str, runs: int
) -> None:
    """The second look sets a new story beside the others either way round. The next
    day's caucuses name Quintero and Calderia, so the first win's people are all in its
    text; its own, Owen Tennant, are in none of the first story's reports, and that
    keeps the two apart, whether it comes in the first win's run or in a later one.
    (Without StoryWindow._strangers, the two stories merge in either case.)"""
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        reports = (QUINTERO, CALDERIAN, TENNANT_RECALLS)
        for n, (hours, title, text) in enumerate(reports):
            at = DAY + timedelta(hours=hours)
            backend.save_articles([stored_row(f"https://a.example/{n}", "US", title, text, at)])
            if runs == 2 and n == 1:
                assert place_articles(backend, WINDOW).stories == 1
        placed = place_articles(backend, WINDOW)
        assert placed.merged == 0
        rows = query(database_url, "SELECT url, story_id FROM articles ORDER BY url")
        assert rows[0]["story_id"] == rows[1]["story_id"] != rows[2]["story_id"]
    finally:
        backend.close()
