"""Stories: real crawls of the fixture sites, then `scrapy stories`, on both backends.

The fixture articles say what they cover: `event: <key>` (or `wire: <key>`) marks the
reports of one event, in several languages; `topic: <key>` marks unrelated articles on
the same broad topic (two parliaments voting on the same day), which must stay apart.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import astuple
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import yaml

from newsspiders.testing.databases import query
from newsspiders.testing.sites import CONTENT, FixtureArticle, load_sites
from newsspiders.urls import url_hash
from pipelines.dedup.fingerprints import content_hash
from pipelines.storage import open_backend, prepare_schema
from pipelines.stories.features import features
from pipelines.stories.story import Story, StoryArticle
from pipelines.stories.window import StoryWindow
from tests.conftest import Project
from tests.story_merge import (
    FIRST_ROUND,
    MERGE_DAY,
    SECOND_ROUND,
    WINDOW,
    founded,
    store_headline,
    store_round,
    stories_by_url,
)

# Every test with a database: on SQLite and on PostgreSQL.
pytestmark = pytest.mark.each_backend

SITES = load_sites()
ARTICLES = [a for site in SITES.values() for a in site.articles]
EVENTS = sorted({a.event for a in ARTICLES if a.event})
# `topic` is ours alone: the site loader has no use for it.
TOPIC = {
    (site.key, raw["slug"]): raw["topic"]
    for site in SITES.values()
    for raw in yaml.safe_load((CONTENT / f"{site.key}.yaml").read_text(encoding="utf-8"))[
        "articles"
    ]
    if raw.get("topic")
}
TARGET = 0.9
# Sources crawled before the others in the incremental test: every event has coverage
# in both halves.
FIRST = ["lejournal", "lavoz", "vestnik", "alsabah", "dailyherald"]
LATER = [key for key in SITES if key not in FIRST]


def event_of(article: FixtureArticle) -> str:
    """What the article reports: the event it shares with others, or itself alone."""
    return article.event or article.wire or f"{article.site}/{article.slug}"


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def stored(project: Project) -> dict[str, dict[str, Any]]:
    """Stored articles by fixture key (site/slug), with their story."""
    by_path = {(SITES[a.site].country, a.path): f"{a.site}/{a.slug}" for a in ARTICLES}
    rows = project.rows("SELECT id, country, url, story_id, duplicate_of FROM articles")
    return {by_path[(row["country"], path_of(row["url"]))]: row for row in rows}


def precision_recall(rows: dict[str, dict[str, Any]]) -> tuple[float, float]:
    """Of the pairs of stored articles: the share of pairs put in one story that report
    one event (precision), and of pairs reporting one event, the share put in one story
    (recall)."""
    truth = {f"{a.site}/{a.slug}": event_of(a) for a in ARTICLES}
    together = both = same = 0
    for first, second in itertools.combinations(sorted(rows), 2):
        grouped = rows[first]["story_id"] == rows[second]["story_id"]
        reported = truth[first] == truth[second]
        together += grouped
        same += reported
        both += grouped and reported
    return both / together, both / same


def stories_of(rows: dict[str, dict[str, Any]], event: str) -> set[int]:
    return {row["story_id"] for key, row in rows.items() if event_of(_fixture(key)) == event}


def _fixture(key: str) -> FixtureArticle:
    site, slug = key.split("/", 1)
    return next(a for a in SITES[site].articles if a.slug == slug)


def crawl_and_place(project: Project, *sources: str) -> str:
    args = [arg for source in sources for arg in ("--source", source)]
    crawl = project.scrapy("crawlall", *args)
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    result = project.scrapy("stories")
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


# --- end to end -----------------------------------------------------------------------


def test_each_event_is_one_story_and_unrelated_articles_stay_apart(project: Project) -> None:
    output = crawl_and_place(project)
    rows = stored(project)
    copies = sum(1 for row in rows.values() if row["duplicate_of"])
    assert f"placed {len(rows) - copies} articles" in output and f"{copies} copies" in output
    assert all(row["story_id"] for row in rows.values()), "every stored article is placed"

    for event in EVENTS:
        assert len(stories_of(rows, event)) == 1, f"{event}: its coverage is one story"
    events = {next(iter(stories_of(rows, event))) for event in EVENTS}
    assert len(events) == len(EVENTS), "no two events merged"
    for key, row in rows.items():
        article = _fixture(key)
        if not (article.event or article.wire):  # on its own: no other article with it
            assert sum(1 for r in rows.values() if r["story_id"] == row["story_id"]) == 1, key
    assert len(set(TOPIC.values())) >= 3 and all(f"{site}/{slug}" in rows for site, slug in TOPIC)

    precision, recall = precision_recall(rows)
    print(f"\npairwise grouping on the fixtures: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= TARGET and recall >= TARGET

    # The story rows: original reports and their countries counted, copies not.
    (quake,) = project.rows(
        "SELECT * FROM stories WHERE id = ?", *stories_of(rows, "korvala-quake")
    )
    assert (quake["countries"], quake["country_count"], quake["article_count"]) == (
        "AU,FR,JP,RU", 4, 4,
    )  # fmt: skip
    assert quake["title"] == _fixture("lejournal/seisme-estravie-sauveteurs-francais").title_en
    (flood,) = project.rows("SELECT * FROM stories WHERE id = ?", *stories_of(rows, "port-maren"))
    # Whichever wire copy was stored first is the original: the others are its copies.
    reports = [row for key, row in rows.items() if event_of(_fixture(key)) == "port-maren"]
    originals = [row for row in reports if row["duplicate_of"] is None]
    assert len(reports) == 5 and len(originals) == flood["article_count"] == 3
    assert flood["countries"] == ",".join(sorted({row["country"] for row in originals}))

    # Running again places nothing and changes nothing.
    before = project.rows("SELECT * FROM stories ORDER BY id")
    again = project.command("stories")  # in this process (tests/inprocess.py)
    assert again.returncode == 0 and "placed 0 articles" in again.stdout, again.stderr[-2000:]
    assert "0 copies" in again.stdout
    assert project.rows("SELECT * FROM stories ORDER BY id") == before
    assert {key: row["story_id"] for key, row in stored(project).items()} == {
        key: row["story_id"] for key, row in rows.items()
    }


def test_later_coverage_joins_the_story_it_belongs_to_under_the_same_id(project: Project) -> None:
    crawl_and_place(project, *FIRST)
    first = stored(project)
    before = {event: stories_of(first, event) for event in EVENTS}
    assert all(len(ids) == 1 for ids in before.values()), before

    crawl_and_place(project, *LATER)
    rows = stored(project)
    assert len(rows) > len(first) and all(row["story_id"] for row in rows.values())
    for event in EVENTS:
        assert stories_of(rows, event) == before[event], f"{event} kept its story id"
    for key, row in first.items():
        assert rows[key]["story_id"] == row["story_id"], f"{key} stayed where it was"
    (quake,) = project.rows(
        "SELECT country_count, version FROM stories WHERE id = ?", *before["korvala-quake"]
    )
    assert quake == {"country_count": 4, "version": 2}  # saved once per run that grew it
    precision, recall = precision_recall(rows)
    print(f"\nincremental, in two crawls: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= TARGET and recall >= TARGET


def test_articles_wait_for_their_english(project: Project) -> None:
    down = {"NEWS_LIBRETRANSLATE_URL": "http://127.0.0.1:9", "NEWS_TRANSLATE_BACKOFF": "0"}
    crawl = project.scrapy("crawl", "alsabah", **down)
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    waiting = project.command("stories")
    assert waiting.returncode == 0 and "placed 0 articles" in waiting.stdout
    assert project.command("retranslate").returncode == 0
    placed = project.command("stories")
    count = len(SITES["alsabah"].articles)
    assert f"placed {count} articles ({count} new stories" in placed.stdout, placed.stderr[-2000:]


# --- the rule, without a database -----------------------------------------------------


def _article(n: int, article: FixtureArticle, at: datetime | None = None) -> StoryArticle:
    text = "\n".join(article.paragraphs_en)
    return StoryArticle(n, SITES[article.site].country, article.title_en,
                        at or article.published, features(article.title_en, text))  # fmt: skip


def test_reports_of_one_event_further_apart_than_the_window_are_two_stories() -> None:
    quake = [a for a in ARTICLES if a.event == "korvala-quake"]
    first, second = _article(1, quake[0]), _article(2, quake[1])
    later = _article(3, quake[1], at=second.seen_at + timedelta(hours=73))
    matcher = StoryWindow([], [a.features for a in (first, second, later)], timedelta(hours=72))
    story, new = matcher.place(first)
    assert new and isinstance(story, Story)
    joined, new = matcher.place(second)
    assert joined is story and not new and story.article_count == 2
    apart, new = matcher.place(later)
    assert new and apart is not story


def test_names_come_from_capitals_that_are_not_sentence_starts() -> None:
    found = features(
        "Storm Surge Overwhelms Port Maren Barrier",
        "The storm surge hit Port Maren at 4.6 metres. Officials in Port Maren said 4,300"
        " homes flooded in 2026. Maren's mayor spoke.",
    ).entities
    assert {"@port", "@maren", "#4.6", "#4300"} <= set(found)
    assert not {"@storm", "@surge", "@the", "@officials", "#2026"} & set(found)
    assert re.fullmatch(r"[#@]\S+", next(iter(found)))


def test_a_title_case_headline_names_only_what_its_text_capitalises() -> None:
    """In title case every word is capitalised as a style: its words are names only
    where the text capitalises them inside a sentence. The same title in sentence case,
    or as a headline alone (no text to confirm by, never judged on its names), reads
    its capitals as before."""
    text = (
        "Officials in Kesh delayed the tariffs on Tuesday. Markets fell as traders kept"
        " guessing about the trade war with Arvand, and the war of words went on."
        " Investors in Velmar said the delays hurt. The central bank in Velmar held rates."
    )
    title = "Trade War Keeps Markets Guessing As Kesh Delays Tariffs"
    found = features(title, text)
    assert found.title_names == {"@kesh"} and found.subjects == {"@kesh"}
    assert not {"@keeps", "@markets", "@guessing", "@delays", "@trade"} & set(found.entities)
    sentence_case = features("Trade war keeps markets guessing as Kesh delays tariffs", text)
    assert sentence_case.title_names == {"@kesh"}
    alone = features(title, "")
    assert {"@keeps", "@guessing", "@kesh"} <= alone.title_names and alone.headline_only


def test_fixture_articles_new_for_stories_are_well_formed() -> None:
    """Reports of an event from several languages; within the dates the brief names."""
    for event in EVENTS:
        languages = {SITES[a.site].language for a in ARTICLES if a.event == event}
        assert len([a for a in ARTICLES if event_of(a) == event]) >= 3, event
        assert event == "port-maren" or len(languages) >= 3, event
    for site, slug in TOPIC:
        (article,) = [a for a in SITES[site].articles if a.slug == slug]
        assert datetime(2026, 11, 20, tzinfo=UTC) <= article.published
        assert article.published <= datetime(2026, 11, 25, tzinfo=UTC)


def test_a_story_spans_its_own_event_not_a_chain_of_reports() -> None:
    """Each report within 72 h of the one before, but the fourth 100 h after the first:
    the story's span is measured from its first report (the second came within a day:
    no precursor), so the fourth founds a story."""
    quake = [a for a in ARTICLES if a.event == "korvala-quake"]
    start = quake[0].published
    reports = [_article(n, quake[n % 2], at=start + timedelta(hours=h))
               for n, h in enumerate((0, 12, 60, 100))]  # fmt: skip
    matcher = StoryWindow([], [a.features for a in reports], timedelta(hours=72))
    first, _ = matcher.place(reports[0])
    assert matcher.place(reports[1]) == (first, False)
    assert matcher.place(reports[2]) == (first, False)
    later, new = matcher.place(reports[3])
    assert new and later is not first


def test_a_precursor_does_not_cut_its_events_coverage_short() -> None:
    """A first report that stood alone for more than a day, then the event's coverage:
    the span runs from the coverage's first report (40 h), so a report 100 h after the
    precursor still joins; the span moves once and is fixed from then on: 73 h after
    the coverage began, a report founds a story."""
    quake = [a for a in ARTICLES if a.event == "korvala-quake"]
    start = quake[0].published
    reports = [_article(n, quake[n % 2], at=start + timedelta(hours=h))
               for n, h in enumerate((0, 40, 60, 100, 113))]  # fmt: skip
    matcher = StoryWindow([], [a.features for a in reports], timedelta(hours=72))
    story, _ = matcher.place(reports[0])
    for report in reports[1:4]:
        assert matcher.place(report) == (story, False)
    assert story.span_start == reports[1].seen_at and story.first_seen == start
    later, new = matcher.place(reports[4])
    assert new and later is not story


def test_the_span_after_a_precursor_holds_across_runs(database_url: str) -> None:
    """The same, one report per run as cron places them: the stored story keeps where
    its coverage began, so a run four days after the precursor still joins it; a re-run
    places nothing."""
    from pipelines.stories import place_articles

    quake = [a for a in ARTICLES if a.event == "korvala-quake"][:3]
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        for n, hours in enumerate((0, 40, 100)):
            article = quake[n]
            text = "\n".join(article.paragraphs_en)
            store_headline(backend, n, article.title_en, hours, text=text)
            assert place_articles(backend, WINDOW).articles == 1
        assert place_articles(backend, WINDOW).articles == 0
        found = stories_by_url(database_url)
        assert found["0"] == found["1"] == found["2"], found
        (row,) = query(database_url, "SELECT article_count FROM stories")
        assert row["article_count"] == 3
    finally:
        backend.close()


def test_abbreviations_stay_whole_and_institutions_are_not_names() -> None:
    found = features(
        "N.A.A.C.P. sues F.B.I. over U.S. records",
        "The NAACP said the FBI withheld files. The House and the Senate, where Democrats"
        " hold a majority, asked Gov. Hale Merrin to testify. Merrin declined.",
    ).entities
    assert {"@naacp", "@fbi", "@us", "@merrin", "@hale"} <= set(found)
    assert found["@naacp"] > 2 and found["@fbi"] > 2  # the dotted and plain forms add up
    assert not {"@house", "@senate", "@democrats", "@gov", "@n", "@a"} & set(found)


def test_a_name_with_accents_and_without_is_one_name() -> None:
    """Two translations of one report: one keeps the names' accents, the other drops
    them. The names are the same, and the two reports are one story (they share no
    other name: without the folding they would be two)."""
    accented = features(
        "Erdoğan hosts Łukasz Wróbel for gas pipeline talks in İstanbul",
        "President Erdoğan hosted Poland's energy envoy Łukasz Wróbel in"
        " İstanbul on Monday to discuss the Baltic–Bosporus gas pipeline. Wróbel said"
        " Warsaw wanted 4.5 billion cubic metres a year. Erdoğan called the talks in"
        " İstanbul a new chapter. Engineers will survey the seabed route next spring, and"
        " both governments expect a signed agreement before the winter.",
    )
    plain = features(
        "Erdogan and Polish envoy Wrobel discuss pipeline in Istanbul",
        "Turkish President Erdogan met Polish envoy Lukasz Wrobel in Istanbul"
        " to talk about a gas pipeline. Wrobel asked for billions of cubic metres of gas a"
        " year, and Erdogan said the Istanbul meeting opened a new chapter. A survey of the"
        " seabed route starts next spring; an agreement could be signed before winter.",
    )
    assert {"@erdogan", "@istanbul", "@lukasz", "@wrobel"} <= set(accented.entities)
    assert {"@erdogan", "@istanbul", "@lukasz", "@wrobel"} <= set(plain.entities)
    assert not accented.headline_only and not plain.headline_only  # judged on names
    at = datetime(2026, 11, 20, 8, tzinfo=UTC)
    reports = [StoryArticle(n, country, "", at + timedelta(hours=n), found)
               for n, (country, found) in enumerate((("TR", accented), ("PL", plain)))]  # fmt: skip
    matcher = StoryWindow([], [accented, plain], timedelta(hours=72))
    story, _ = matcher.place(reports[0])
    assert matcher.place(reports[1]) == (story, False)


# --- threads: successive events of one long story -----------------------------------

# Three events of one conflict days apart, each told twice; beside them, on the same
# days, another conflict, an earthquake and a sports story from one of the countries.
THREAD_DAY = datetime(2026, 11, 2, 8, tzinfo=UTC)
THREAD_ARTICLES = [
    ("war-1", 0, "IE", "Kesh troops cross into Arvand's Dasht province",
     "Troops from Kesh crossed the border into the Dasht province of Arvand before dawn,"
     " shelling the town of Mirab. Arvand's defence ministry said artillery hit the market"
     " and two schools. Thousands of families fled west toward Zarang as Kesh armoured"
     " columns advanced along the river road. Arvand called the attack an invasion and"
     " asked the United Nations Security Council to meet."),
    ("war-1", 3, "AU", "Invasion: Kesh columns shell Mirab as Arvand families flee",
     "Artillery fire from Kesh forces struck Mirab, a town in Arvand's Dasht province,"
     " after columns crossed the border overnight. Families fled toward Zarang. The Arvand"
     " government said the invasion broke every agreement between the neighbours and asked"
     " the Security Council for an emergency meeting on the Kesh offensive."),
    ("war-2", 100, "FR", "Arvand and Kesh ceasefire talks in Solen collapse",
     "Talks in Solen on a ceasefire between Arvand and Kesh collapsed on Friday after envoys"
     " failed to agree on a withdrawal from Dasht province. Kesh's envoy Oren Valsi walked out"
     " of the meeting. Arvand's negotiator Lina Farro said fighting around Mirab and Zarang"
     " would go on while Kesh troops stayed on Arvand soil."),
    ("war-2", 104, "JP", "Solen talks end without ceasefire as Kesh envoy walks out",
     "The Solen negotiations between Kesh and Arvand ended without a ceasefire. Envoy Oren"
     " Valsi of Kesh left the talks, and Arvand's Lina Farro said no truce was possible while"
     " Kesh forces held Dasht province. Fighting continued near Mirab and Zarang, where"
     " shelling hit the outskirts overnight."),
    ("war-3", 220, "ES", "Kesh drones strike Teyran power station in Arvand",
     "Drones launched from Kesh struck the main power station of Teyran, Arvand's capital,"
     " cutting electricity to most of the city. The strike widened the war beyond Dasht"
     " province, where Kesh troops still hold Mirab. Arvand's president said the attack"
     " on the capital ended any hope of reviving the Solen talks soon."),
    ("war-3", 226, "IN", "Teyran blacked out after Kesh drone attack on power plant",
     "Much of Teyran, the Arvand capital, was without power after Kesh drones hit its main"
     " power plant overnight. Arvand said the war, which began with the invasion of Dasht"
     " province, had reached the capital, and that the failed Solen talks would not resume."
     " Kesh said the plant supplied Arvand forces fighting near Mirab."),
    ("other-war", 102, "DE", "Norland and Ostmark trade fire along disputed river border",
     "Soldiers from Norland and Ostmark exchanged fire across the Velle river for a third"
     " night, each side accusing the other of shelling villages along the disputed border."
     " Ostmark said two of its soldiers were killed near Brannick. Norland closed the"
     " crossings and moved troops north. Both governments rejected talks."),
    ("quake", 222, "TR", "Earthquake of magnitude 6.4 strikes Pellas coast",
     "An earthquake of magnitude 6.4 struck the coast of Pellas on Tuesday, collapsing"
     " buildings in the port of Kavira and killing at least 31 people. Rescue teams searched"
     " the rubble through the night while aftershocks shook the region. The Pellas"
     " government declared three days of mourning."),
    ("cup", 224, "BR", "Arvand beat Tolmar to win the Continental Cup final",
     "Arvand won the Continental Cup for the first time, beating Tolmar 2-1 in the final in"
     " Corvia. Striker Dario Pell scored twice in the second half after Tolmar had led at the"
     " break. Fans celebrated through the night in the stadium and the city's squares after"
     " the team lifted the trophy."),
]  # fmt: skip


def _seed(database_url: str) -> dict[str, list[int]]:
    """Store the thread articles as crawls would have (English sources); ids by event."""
    backend = open_backend(database_url)
    prepare_schema(backend)
    ids: dict[str, list[int]] = {}
    try:
        for n, (event, hours, country, title, text) in enumerate(THREAD_ARTICLES):
            url = f"https://threads.example/{n}"
            at = THREAD_DAY + timedelta(hours=hours)
            backend.save_articles([{
                "source": "threads", "country": country, "url": url, "url_hash": url_hash(url),
                "title": title, "text": text, "language": "en", "title_en": title,
                "text_en": text, "translation_status": "not_needed", "published_at": at,
                "fetched_at": at, "authors": [], "word_count": len(text.split()),
                "content_hash": content_hash(text), "urls": {url_hash(url): url}, "bands": [],
            }])  # fmt: skip
            (row,) = query(database_url, "SELECT id FROM articles WHERE url = ?", url)
            ids.setdefault(event, []).append(row["id"])
    finally:
        backend.close()
    return ids


def test_successive_events_of_one_long_story_form_one_thread(project: Project) -> None:
    ids = _seed(project.database_url)
    result = project.command("stories")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "placed 9 articles (6 new stories" in result.stdout, result.stdout
    assert "threads: 2 of 6 new stories linked (1 new threads)" in result.stdout, result.stdout

    story = {
        row["id"]: row["story_id"] for row in project.rows("SELECT id, story_id FROM articles")
    }
    event_story = {}
    for event, articles in ids.items():
        assert len({story[a] for a in articles}) == 1, f"{event}: one story"
        event_story[event] = story[articles[0]]
    thread_of = {row["id"]: row["thread_id"] for row in project.rows("SELECT * FROM stories")}
    war = {thread_of[event_story[e]] for e in ("war-1", "war-2", "war-3")}
    assert len(war) == 1 and None not in war, "the war's three events: one thread"
    (thread_id,) = war
    for event in ("other-war", "quake", "cup"):
        assert thread_of[event_story[event]] is None, f"{event} joined no thread"

    backend = open_backend(project.database_url)
    try:
        ongoing = backend.ongoing_updates(thread_id)
        unknown = backend.ongoing_updates(thread_id + 1)
    finally:
        backend.close()
    assert ongoing is not None and unknown is None
    # The thread is titled by its first event's story, whose title is one of its reports'.
    first_titles = {title for e, _, _, title, _ in THREAD_ARTICLES if e == "war-1"}
    assert ongoing.title in first_titles and ongoing.events[0].title == ongoing.title
    war_countries = {c for e, _, c, _, _ in THREAD_ARTICLES if e.startswith("war-")}
    assert {c.country for event in ongoing.events for c in event.countries} == war_countries
    assert [s.id for s in ongoing.events] == [event_story[e] for e in ("war-1", "war-2", "war-3")]
    (thread,) = project.rows("SELECT * FROM threads")
    assert thread["story_count"] == 3 and thread["title"] == ongoing.title

    again = project.command("stories")
    assert "placed 0 articles" in again.stdout and "threads: 0 of 0" in again.stdout
    assert project.rows("SELECT * FROM threads") == [thread]


def test_a_later_report_must_be_closer_to_join() -> None:
    """Likeness fades over a story's span: the Japanese report of the quake joins the
    French one an hour after it, not 70 hours after (still within the window)."""
    (french,) = [a for a in ARTICLES if a.slug == "seisme-estravie-sauveteurs-francais"]
    (japanese,) = [a for a in ARTICLES if a.slug == "estravia-jishin-kyujo-team"]
    for hours, joins in ((1, True), (70, False)):
        first = _article(1, french)
        later = _article(2, japanese, at=first.seen_at + timedelta(hours=hours))
        matcher = StoryWindow([], [first.features, later.features], timedelta(hours=72))
        story, _ = matcher.place(first)
        assert (matcher.place(later)[0] is story) is joins, hours


def test_the_threads_migration_keeps_stored_stories_and_their_ids(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database with stories from before 0010: after upgrading, the same ids, no
    thread, and the thread step leaves them out (it threads stories placed after)."""
    backend, upgrade = _open_before(database_url, monkeypatch, 10)
    try:
        backend.migrate()
        assert backend.schema_version() == 9
        before = _seed_stories(backend)
        assert upgrade() == [10, 11, 12, 13, 14]
        rows = query(database_url, "SELECT id, thread_id, thread_checked FROM stories")
        assert sorted(row["id"] for row in rows) == before
        assert all(row["thread_id"] is None and row["thread_checked"] for row in rows)
        assert backend.unthreaded_stories(10) == []
    finally:
        backend.close()


def test_the_json_centroids_migration_keeps_each_story_as_it_was(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0013 stores PostgreSQL's centroids as JSON, not JSONB (a run reads its whole
    window's; SQLite's are text already): stories stored before it keep their ids and
    read back with the same centroids, meaning included, and a new story is stored."""
    from pipelines.stories import embedding

    backend, upgrade = _open_before(database_url, monkeypatch, 13)
    try:
        backend.migrate()
        _, _, country, title, text = THREAD_ARTICLES[0]
        (meaning,) = embedding.of_articles([(title, text)])
        article = StoryArticle(1, country, title, THREAD_DAY, features(title, text, meaning))
        centroid = Story.founded_by(article).stored_vectors()
        before = _seed_stories(backend, centroid)
        window = (THREAD_DAY - timedelta(days=1), THREAD_DAY + timedelta(days=1))
        read_before = backend.stories_in_window(*window)
        assert upgrade() == [13, 14]
        if not database_url.startswith("sqlite"):
            (column,) = query(
                database_url,
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'stories'"
                " AND column_name = 'centroid' AND table_schema = current_schema()",
            )
            assert column["data_type"] == "json"
        read_after = backend.stories_in_window(*window)
        assert [row["id"] for row in read_after] == [row["id"] for row in read_before] == before
        assert [row["centroid"] for row in read_after] == [centroid, centroid]
        assert embedding.unpack(read_after[0]["centroid"]["meaning"]).shape == (384,)
        assert _seed_stories(backend, centroid, first=2)[0] > max(before)
    finally:
        backend.close()


def _open_before(
    database_url: str, monkeypatch: pytest.MonkeyPatch, version: int
) -> tuple[Any, Callable[[], list[int]]]:
    """A backend whose migrations stop before `version`, and what then migrates it the
    rest of the way (returning the versions applied)."""
    from pipelines.storage import migrations, schema_queries

    every = migrations.migrations_for
    monkeypatch.setattr(
        schema_queries,
        "migrations_for",
        lambda name: [m for m in every(name) if m.version < version],
    )

    def upgrade() -> list[int]:
        monkeypatch.setattr(schema_queries, "migrations_for", every)
        return backend.migrate()

    backend = open_backend(database_url)
    return backend, upgrade


def _seed_stories(
    backend: Any, centroid: dict[str, Any] | None = None, first: int = 0
) -> list[int]:
    """Two stored articles (from THREAD_ARTICLES[first]), each placed in a story of its
    own with this centroid (default: empty); the stories' ids."""
    at = THREAD_DAY
    ids = []
    for n, (_, _, country, title, text) in enumerate(THREAD_ARTICLES[first : first + 2], first):
        url = f"https://old.example/{n}"
        backend.save_articles([{
            "source": "old", "country": country, "url": url, "url_hash": url_hash(url),
            "title": title, "text": text, "language": "en", "title_en": title,
            "text_en": text, "translation_status": "not_needed", "published_at": at,
            "fetched_at": at, "authors": [], "word_count": len(text.split()),
            "content_hash": content_hash(text), "urls": {url_hash(url): url}, "bands": [],
        }])  # fmt: skip
        # Read by its URL: the schema may predate any later column of the stage's reads.
        article_id = backend.find_article([url_hash(url)], content_hash(text))
        saved = backend.save_stories([{
            "id": None, "version": 0, "first_seen": at, "last_seen": at, "title": title,
            "article_id": article_id, "countries": {country}, "article_count": 1,
            "centroid": centroid or {"terms": {}, "entities": {}}, "articles": [article_id],
        }])  # fmt: skip
        assert saved is not None
        ids += saved
    return sorted(ids)


def test_a_young_story_merges_into_the_older_story_of_its_event(database_url: str) -> None:
    """The first run founds two stories for one dam burst (two wordings that share too
    little), beside a summit. In the next run a report that tells both sides joins the
    later story, whose reports now meet the older story: it merges into it, which keeps
    its id; the merged id is recorded; the summit's story is left alone; a stale save of
    the merged story fails; a new story never gets the merged id; a re-run changes
    nothing."""
    from pipelines.stories import place_articles

    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        store_round(backend, FIRST_ROUND)
        assert "3 new stories" in str(place_articles(backend, WINDOW))
        dam, villagers, summit = astuple(founded(database_url))

        store_round(backend, SECOND_ROUND)
        placed = place_articles(backend, WINDOW)
        assert placed.articles == 2 and placed.stories == 0 and placed.merged == 1
        after = stories_by_url(database_url)
        assert after == {"0": dam, "1": dam, "2": dam, "3": summit, "4": dam, "5": summit}
        assert backend.merged_story(villagers) == dam and backend.merged_story(dam) is None
        (row,) = query(database_url, f"SELECT article_count FROM stories WHERE id = {dam}")
        assert row["article_count"] == 4
        assert not query(database_url, f"SELECT id FROM stories WHERE id = {villagers}")
        # A run that read the merged story before the merge cannot save it any more.
        stale = {
            "id": villagers, "version": 1, "first_seen": MERGE_DAY, "last_seen": MERGE_DAY,
            "title": "stale", "article_id": 1, "countries": {"GB"}, "article_count": 1,
            "centroid": {"terms": {}, "entities": {}}, "articles": [],
        }  # fmt: skip
        assert backend.save_stories([stale]) is None

        store_headline(backend, 6, "Orbital telescope spots icy comet", 30)
        assert place_articles(backend, WINDOW).stories == 1
        assert stories_by_url(database_url)["6"] not in {dam, villagers, summit}
        again = place_articles(backend, WINDOW)
        assert again.articles == 0 and again.merged == 0
    finally:
        backend.close()


def test_titles_naming_the_town_or_the_country_agree_when_the_texts_name_both() -> None:
    """One outlet headlines the town, another the country; each text names both, so the
    second report joins (the titles-agree rule, window._titles_agree)."""
    town = ("Floods cut off Pellastro after record rain",
            "Floods cut off the town of Pellastro in northern Varenna after record rain on"
            " Tuesday. Rescue teams in Varenna evacuated 2,400 residents from Pellastro as the"
            " river Ossel burst its banks, and the regional governor asked the army for boats."
            " Roads into Pellastro stayed closed and the rain was forecast to continue.")  # fmt: skip
    country = ("Varenna evacuates thousands as river bursts its banks",
               "Varenna evacuated 2,400 residents from the town of Pellastro after the river"
               " Ossel burst its banks following record rain on Tuesday. Rescue teams used"
               " boats lent by the army, and the roads into the flooded town stayed closed"
               " while forecasters in Varenna expected more rain overnight.")  # fmt: skip
    at = datetime(2027, 3, 2, 8, tzinfo=UTC)
    first = StoryArticle(1, "it", town[0], at, features(*town))
    second = StoryArticle(2, "fr", country[0], at + timedelta(hours=3), features(*country))
    assert first.features.title_names.isdisjoint(second.features.title_names)
    matcher = StoryWindow([], [first.features, second.features], timedelta(hours=72))
    story, _ = matcher.place(first)
    assert matcher.place(second) == (story, False)


# A long report (more distinct terms than a story keeps), a shorter report of its event
# the next morning, and another town's flood the same day.
BRIDGE_LONG = (
    "Bridge over the Arlen collapses in Dunmore, trapping commuters",
    "A road bridge over the river Arlen collapsed in Dunmore during the Monday rush hour,"
    " sending three cars and a delivery van into the water and trapping commuters in the"
    " wreckage, police said. Fire crews from Dunmore and two neighbouring counties cut"
    " survivors free from crushed vehicles while divers searched the murky current below."
    " Mayor Teodor Halvik said eleven people had been taken to St Brennan's hospital, four"
    " of them in a critical condition, and that the number of missing was still unclear."
    " Engineers had inspected the steel span in March and rated it fair, according to"
    " records published by the county's transport office. Residents told reporters they"
    " had heard a loud crack, then a groan of twisting metal, before the central section"
    " gave way. Rail services across the valley were suspended as a precaution, schools"
    " closed early, and volunteers opened a church hall for relatives waiting for news."
    " The national roads agency promised an independent investigation into the design,"
    " maintenance and recent resurfacing work, which had finished only weeks earlier."
    " Opposition councillors demanded to know why heavy lorries had been allowed across"
    " despite weight warnings posted last winter. Shops along the quay shut, traffic"
    " backed up for miles on the ring road, and ferries were laid on to carry workers.",
)
BRIDGE_NEXT = (
    "Dunmore bridge collapse: divers recover bodies from the Arlen",
    "Divers recovered two bodies from the river Arlen on Tuesday, a day after the road"
    " bridge in Dunmore collapsed under rush-hour traffic, police said. Mayor Teodor Halvik"
    " said five people were still missing and that St Brennan's hospital was treating nine"
    " survivors. The roads agency opened its investigation into the span's inspection.",
)
FLOOD_ELSEWHERE = (
    "River bursts its banks in Corwen, flooding homes",
    "The river Tay burst its banks in Corwen on Monday after days of rain, flooding two"
    " hundred homes and closing the main road, police said. Mayor Ines Varga opened the"
    " town hall to families and asked volunteers to help fill sandbags along the quay.",
)


def test_a_long_reports_story_keeps_its_strongest_terms_and_draws_the_next_report(
    database_url: str,
) -> None:
    """A story stores only its KEEP_TERMS strongest terms (a run reads its whole window's
    centroids); the story read back from the store still takes its event's next report
    in a later run, and another town's flood stays apart."""
    from pipelines.stories import place_articles
    from pipelines.stories.story import KEEP_TERMS

    assert len(features(*BRIDGE_LONG, None).terms) > KEEP_TERMS  # the cut applies
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        store_headline(backend, 0, BRIDGE_LONG[0], 0, text=BRIDGE_LONG[1])
        store_headline(backend, 1, FLOOD_ELSEWHERE[0], 2, text=FLOOD_ELSEWHERE[1])
        place_articles(backend, WINDOW)
        bridge = stories_by_url(database_url)["0"]
        (stored,) = backend.stories_in_window(MERGE_DAY, MERGE_DAY + timedelta(hours=1))
        terms = stored["centroid"]["terms"]
        assert stored["id"] == bridge and len(terms) == KEEP_TERMS
        assert {"bridg", "collaps", "dunmor", "arlen"} <= set(terms)  # the title's, weighted

        store_headline(backend, 2, BRIDGE_NEXT[0], 20, text=BRIDGE_NEXT[1])
        placed = place_articles(backend, WINDOW)
        assert placed.articles == 1 and placed.stories == 0
        after = stories_by_url(database_url)
        assert after["2"] == bridge != after["1"]
    finally:
        backend.close()


# One dam burst: its first headline founds a story; half an hour later, in the next run,
# three headlines on the flooded villagers found another, which grows larger; then a
# headline on the dam that names the valley joins the first story, whose centroid now
# meets the second's.
TWIN_RUNS = [
    [(0, "Record monsoon rain bursts the Korvala dam", 0.0)],
    [
        (1, "Tessaly villagers flee flooded valley homes", 0.5),
        (2, "Villagers flee flooded homes in Tessaly valley", 1.0),
        (3, "Flooded Tessaly valley homes abandoned as villagers flee", 1.5),
    ],
    [(4, "Monsoon rain bursts Korvala dam, flooding Tessaly valley homes", 4.0)],
]


@pytest.mark.parametrize("twins", [True, False], ids=["twins", "older-only"])
def test_an_events_older_smaller_story_merges_into_its_larger_twin(
    database_url: str, monkeypatch: pytest.MonkeyPatch, twins: bool
) -> None:
    """Run by run as cron places them: the dam's story (older, smaller) grows and meets
    the villagers' story founded half an hour after it (younger, larger). It merges into
    the larger, which keeps its id and its title, still the most central (three of its
    five reports tell of the villagers); the merged id is recorded. Without twins (only an older story may be merged into), the
    two stay apart for good."""
    from pipelines.stories import place_articles
    from pipelines.stories import window as story_window

    if not twins:
        monkeypatch.setattr(story_window, "TWIN_HOURS", 0.0)
    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        placed, ids = [], []
        for run in TWIN_RUNS:
            store_round(backend, run)
            placed.append(place_articles(backend, WINDOW))
            ids.append(stories_by_url(database_url))
        dam, villagers = ids[1]["0"], ids[1]["1"]
        assert dam != villagers == ids[1]["2"] == ids[1]["3"]  # two stories, two runs
        after = ids[-1]
        if not twins:
            assert after == {**ids[1], "4": dam} and placed[-1].merged == 0
            return
        assert placed[-1].merged == 1 and set(after.values()) == {villagers}
        (row,) = query(
            database_url, f"SELECT title, article_count FROM stories WHERE id = {villagers}"
        )
        assert row == {"title": TWIN_RUNS[1][0][1], "article_count": 5}
        assert backend.merged_story(dam) == villagers
        again = place_articles(backend, WINDOW)
        assert again.articles == 0 and again.merged == 0
    finally:
        backend.close()
