"""The app's panels (pipelines/storage/read_queries.py) on a real crawl of the fixture
sites with stories placed, on SQLite and on PostgreSQL.

The crawl is made once per backend (module scope): `dailyherald` first, so its wire story
is the original; then the other sites, `scrapy stories`; then `alsabah` with the
translator down, so Egypt's articles are pending and in no story. `courier` and `tribune`
are moved to GB in this sources file, so that one country has three sources: a wire copy
folded into the original in GB's feed, and a story covered twice from one country.

Expectations come from the fixture texts (newsspiders/testing/content), not from the
panels: which site reports which event, titles, English, publication times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsspiders.testing.databases import postgres_schema, query
from newsspiders.testing.serve import FixtureSites
from newsspiders.testing.sites import FixtureArticle, load_sites
from newsspiders.testing.translate_server import TranslateServer
from pipelines.storage import SQLBackend, open_backend, prepare_schema
from pipelines.storage.read_queries import excerpt
from tests.conftest import BACKENDS, Project
from tests.story_merge import FIRST_ROUND, SECOND_ROUND, WINDOW, founded, store_round

SITES = load_sites()
MOVED = {"courier": "GB", "tribune": "GB"}
COUNTRY = {key: MOVED.get(key, site.country) for key, site in SITES.items()}
OWNERSHIP = {
    "lejournal": "private", "lavoz": "private", "vestnik": "state", "alsabah": "public",
    "nichinichi": "private", "dailyherald": "private", "courier": "private",
    "tribune": "public", "gazette": "private",
}  # fmt: skip
PENDING = "alsabah"


@dataclass
class Crawled:
    project: Project
    backend: SQLBackend
    ids: dict[str, int]  # site/slug -> article id, for every stored article
    fetched_by: datetime  # every article was fetched before this

    def article(self, key: str) -> FixtureArticle:
        site, slug = key.split("/", 1)
        return next(a for a in SITES[site].articles if a.slug == slug)


@pytest.fixture(scope="module", params=BACKENDS)
def crawled(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sites: FixtureSites,
    translator: TranslateServer,
) -> Iterator[Crawled]:
    tmp = tmp_path_factory.mktemp(f"reads-{request.param}")
    with ExitStack() as stack:
        url = (
            f"sqlite:///{tmp}/news.db"
            if request.param == "sqlite"
            else stack.enter_context(postgres_schema("reads"))
        )
        sources = tmp / "sources.yaml"
        text = sites.demo_sources()
        for name, country in MOVED.items():
            head, entry = text.split(f"  - name: {name}\n", 1)
            entry = entry.replace("country: IE", f"country: {country}", 1).replace(
                "country: AU", f"country: {country}", 1
            )
            text = f"{head}  - name: {name}\n{entry}"
        sources.write_text(text, encoding="utf-8")
        project = Project(Path(tmp), sources, url, translator.url)
        _run(project, "crawl", "dailyherald")
        others = [key for key in SITES if key not in ("dailyherald", PENDING)]
        _run(project, "crawlall", *[arg for key in others for arg in ("--source", key)])
        placed = project.command("stories")  # in this process (tests/inprocess.py)
        assert placed.returncode == 0, placed.stderr[-3000:]
        down = {"NEWS_LIBRETRANSLATE_URL": "http://127.0.0.1:9", "NEWS_TRANSLATE_BACKOFF": "0"}
        _run(project, "crawl", PENDING, **down)
        fetched_by = datetime.now(UTC)
        rows = project.rows("SELECT id, source, url FROM articles")
        by_path = {
            (a.site, a.path): f"{a.site}/{a.slug}" for s in SITES.values() for a in s.articles
        }
        ids = {
            by_path[(row["source"], "/" + row["url"].split("/", 3)[3])]: row["id"] for row in rows
        }
        backend = open_backend(url, create=False)
        stack.callback(backend.close)
        yield Crawled(project, backend, ids, fetched_by)


def _run(project: Project, *args: str, **env: str) -> None:
    result = project.scrapy(*args, **env)
    assert result.returncode == 0, result.stderr[-3000:]


def copy_of(crawled: Crawled) -> dict[str, int | None]:
    rows = crawled.project.rows("SELECT id, duplicate_of FROM articles")
    duplicate = {row["id"]: row["duplicate_of"] for row in rows}
    return {key: duplicate[article_id] for key, article_id in crawled.ids.items()}


# --- country feed ---------------------------------------------------------------------


def test_the_wire_story_was_stored_as_planned(crawled: Crawled) -> None:
    """The premises of the tests below: the British original, courier's identical copy an
    alias of it, tribune's (GB) and gazette's (US) edited copies near-duplicates of it."""
    copies = copy_of(crawled)
    wire = {a.site: f"{a.site}/{a.slug}" for s in SITES.values() for a in s.articles if a.wire}
    original = crawled.ids[wire["dailyherald"]]
    assert copies[wire["dailyherald"]] is None
    assert wire["courier"] not in crawled.ids
    assert copies[wire["tribune"]] == original and copies[wire["gazette"]] == original


def test_country_feed_lists_each_text_once_newest_first_in_english(crawled: Crawled) -> None:
    copies = copy_of(crawled)
    for country in sorted(set(COUNTRY.values())):
        stored = [key for key in crawled.ids if COUNTRY[key.split("/")[0]] == country]
        # A copy whose original is in the same country is folded into it.
        folded = {
            key
            for key in stored
            if copies[key] is not None
            and any(crawled.ids[other] == copies[key] for other in stored)
        }
        expected = sorted(
            (key for key in stored if key not in folded),
            key=lambda key: crawled.article(key).published,
            reverse=True,
        )
        feed = crawled.backend.country_feed(country, limit=100)
        assert [crawled.ids[key] for key in expected] == [line.id for line in feed], country
        for key, line in zip(expected, feed, strict=True):
            article = crawled.article(key)
            pending = article.site == PENDING
            assert line.translated is not pending
            assert line.title == (article.title if pending else article.title_en)
            assert line.title_original == article.title
            lead = (article.paragraphs if pending else article.paragraphs_en)[0]
            assert line.excerpt == excerpt(lead) and len(line.excerpt) <= 221
            assert lead.startswith(line.excerpt.removesuffix("…"))
            assert line.source == article.site and line.ownership == OWNERSHIP[article.site]
            assert line.language == SITES[article.site].language
            assert line.published_at == article.published.astimezone(UTC)
            assert line.image_url and line.image_url.endswith(f"/media/{article.slug}.jpg")
            assert (line.story_id is None) is pending
            if line.copy_of is not None:  # gazette's copy of the British original
                assert key.startswith("gazette/") and line.copy_of == copies[key]


def test_country_feed_folds_a_copy_into_the_countrys_first_copy(crawled: Crawled) -> None:
    wire = {a.site: f"{a.site}/{a.slug}" for s in SITES.values() for a in s.articles if a.wire}
    gb = {line.id: line for line in crawled.backend.country_feed("GB", limit=100)}
    assert crawled.ids[wire["tribune"]] not in gb  # folded into dailyherald's
    original = gb[crawled.ids[wire["dailyherald"]]]
    assert original.copies == 1 and original.copy_of is None
    us = {line.id: line for line in crawled.backend.country_feed("US", limit=100)}
    copy = us[crawled.ids[wire["gazette"]]]  # the first (only) copy in the US is shown
    assert copy.copy_of == original.id and copy.copies == 0


def test_country_feed_pages_continue_where_the_last_ended(crawled: Crawled) -> None:
    whole = crawled.backend.country_feed("GB", limit=100)
    assert len(whole) >= 5
    first = crawled.backend.country_feed("GB", limit=2)
    second = crawled.backend.country_feed("GB", limit=2, before=first[-1])
    rest = crawled.backend.country_feed("GB", limit=100, before=second[-1])
    assert first + second + rest == whole
    assert crawled.backend.country_feed("ZZ") == []


# --- alternative takes ----------------------------------------------------------------


def _event_key(site: str, event: str) -> str:
    article = next(a for a in SITES[site].articles if a.event == event)
    return f"{site}/{article.slug}"


def test_alternative_takes_other_countries_first_one_per_source(crawled: Crawled) -> None:
    wire = {a.site: f"{a.site}/{a.slug}" for s in SITES.values() for a in s.articles if a.wire}
    flood_us, flood_gb = _event_key("gazette", "port-maren"), _event_key("courier", "port-maren")
    # Of the wire text, no copy is a take (the same text): the reports of other sources,
    # the US paper's before the one from the viewed article's own country.
    cases = {
        wire["dailyherald"]: [flood_us, flood_gb],
        wire["tribune"]: [flood_us, flood_gb],  # a copy: the original is the same text
        wire["gazette"]: [flood_gb],  # gazette's own report is its source's, not a take
    }
    for viewed, want in cases.items():
        takes = crawled.backend.alternative_takes(crawled.ids[viewed])
        _check_takes(crawled, viewed, takes, want)
        assert [take.id for take in takes] == [crawled.ids[key] for key in want]


def _check_takes(crawled: Crawled, viewed: str, takes: list[Any], want: list[str]) -> None:
    home = COUNTRY[viewed.split("/")[0]]
    got = [take.id for take in takes]
    assert sorted(got) == sorted(crawled.ids[key] for key in want), viewed
    assert len({take.source for take in takes}) == len(takes)
    flags = [take.same_country for take in takes]
    assert flags == sorted(flags), "other countries first"
    for take in takes:
        key = next(k for k, v in crawled.ids.items() if v == take.id)
        article = crawled.article(key)
        assert take.country == COUNTRY[article.site] and take.same_country == (take.country == home)
        assert take.title == article.title_en and take.ownership == OWNERSHIP[article.site]
        assert take.language == SITES[article.site].language


def test_alternative_takes_of_the_earthquake_span_four_countries(crawled: Crawled) -> None:
    viewed = _event_key("lejournal", "korvala-quake")
    takes = crawled.backend.alternative_takes(crawled.ids[viewed])
    others = [_event_key(site, "korvala-quake") for site in ("nichinichi", "tribune", "vestnik")]
    _check_takes(crawled, viewed, takes, others)
    times = [crawled.article(k).published for k in others]
    assert [t.published_at for t in takes] == sorted(t.astimezone(UTC) for t in times)
    assert {t.country for t in takes} == {"JP", "GB", "RU"}


def test_an_article_in_no_story_has_no_alternative_takes(crawled: Crawled) -> None:
    pending = next(key for key in crawled.ids if key.startswith(PENDING + "/"))
    assert crawled.backend.alternative_takes(crawled.ids[pending]) == []
    assert crawled.backend.alternative_takes(10**9) == []


# --- the world's current take ---------------------------------------------------------


def _expected_stories(crawled: Crawled) -> list[dict[str, Any]]:
    """Per fixture event: its original reports (no wire copy, nothing pending)."""
    copies = copy_of(crawled)
    stories: dict[str, list[FixtureArticle]] = {}
    for key in crawled.ids:
        article = crawled.article(key)
        if article.site == PENDING or copies[key] is not None:
            continue
        stories.setdefault(article.event or article.wire or key, []).append(article)
    expected = []
    for event, reports in stories.items():
        countries: dict[str, list[FixtureArticle]] = {}
        for article in sorted(reports, key=lambda a: a.published):
            countries.setdefault(COUNTRY[article.site], []).append(article)
        expected.append(
            {
                "event": event,
                "countries": countries,
                "sources": len({a.site for a in reports}),
                "last_seen": max(a.published for a in reports).astimezone(UTC),
            }
        )
    return sorted(
        expected, key=lambda s: (-len(s["countries"]), -s["sources"], -s["last_seen"].timestamp())
    )


def test_current_take_ranks_by_countries_then_sources(crawled: Crawled) -> None:
    expected = _expected_stories(crawled)
    assert [s["event"] for s in expected[:2]] == ["korvala-quake", "port-maren"]
    now = max(s["last_seen"] for s in expected) + timedelta(minutes=1)
    take = crawled.backend.current_take(hours=24 * 400, limit=4, now=now)
    assert len(take) == 4
    for story, want in zip(take, expected[:4], strict=True):
        assert story.country_count == len(want["countries"]), want["event"]
        assert story.source_count == want["sources"] and story.last_seen == want["last_seen"]
        got = {c.country: (c.articles, c.headline, c.source) for c in story.countries}
        assert got == {
            country: (len(reports), reports[0].title_en, reports[0].site)
            for country, reports in want["countries"].items()
        }
        counts = [c.articles for c in story.countries]
        assert counts == sorted(counts, reverse=True)
    flood = take[1]
    assert [c.country for c in flood.countries] == ["GB", "US"]  # GB twice, US once


def test_current_take_keeps_only_the_last_hours(crawled: Crawled) -> None:
    expected = _expected_stories(crawled)
    cut = sorted(s["last_seen"] for s in expected)[len(expected) // 2]
    now = max(s["last_seen"] for s in expected) + timedelta(hours=1)
    hours = (now - cut).total_seconds() / 3600
    take = crawled.backend.current_take(hours=hours, limit=100, now=now)
    recent = [s for s in expected if s["last_seen"] >= cut]
    assert 0 < len(take) == len(recent) < len(expected)
    assert [s.country_count for s in take] == [len(s["countries"]) for s in recent]
    assert all(s.last_seen >= cut for s in take)


# --- globe ------------------------------------------------------------------------------


def test_globe_counts_articles_per_country_and_marks_quiet_ones(crawled: Crawled) -> None:
    stored: dict[str, int] = {}
    for key in crawled.ids:
        stored[COUNTRY[key.split("/")[0]]] = stored.get(COUNTRY[key.split("/")[0]], 0) + 1
    sources: dict[str, int] = {}
    for site in SITES:
        sources[COUNTRY[site]] = sources.get(COUNTRY[site], 0) + 1
    now = crawled.fetched_by
    globe = {row.country: row for row in crawled.backend.globe(now)}
    assert sorted(globe) == sorted(sources) and globe["GB"].sources == 3
    for country, row in globe.items():
        assert (row.articles_24h, row.articles_7d, row.sources) == (
            stored[country],
            stored[country],
            sources[country],
        )
        assert not row.quiet
    later = {row.country: row for row in crawled.backend.globe(now + timedelta(days=2))}
    assert all(
        r.quiet and r.articles_24h == 0 and r.articles_7d == stored[c] for c, r in later.items()
    )
    gone = crawled.backend.globe(now + timedelta(days=8))
    assert all(r.quiet and r.articles_7d == 0 for r in gone)


# --- the indexes they read -----------------------------------------------------------


class _RecordingTx:
    """A transaction that notes each statement it runs, for EXPLAIN afterwards."""

    def __init__(self, tx: Any, statements: list[tuple[str, Any]]):
        self.tx, self.statements = tx, statements

    def execute(self, sql: str, params: Any = ()) -> Any:
        self.statements.append((sql, params))
        return self.tx.execute(sql, params)


def _plans(crawled: Crawled, panel: Any) -> str:
    """The query plans of every statement the panel runs, one line each."""
    backend, statements = crawled.backend, []
    original = backend.transaction

    @contextmanager
    def recording(*, exclusive: bool = False) -> Iterator[_RecordingTx]:
        with original(exclusive=exclusive) as tx:
            yield _RecordingTx(tx, statements)

    backend.transaction = recording  # type: ignore[method-assign]
    try:
        panel(backend)
    finally:
        del backend.transaction
    lines = []
    with backend.transaction() as tx:
        if backend.name == "postgres":  # small tables: ask which index it would use
            tx.execute("SET LOCAL enable_seqscan = off")
        explain = "EXPLAIN QUERY PLAN " if backend.name == "sqlite" else "EXPLAIN "
        for sql, params in statements:
            rows = tx.execute(explain + sql, params).fetchall()
            lines.append(" | ".join(str(row[-1]) for row in rows))
    return "\n".join(lines)


# Per panel: the indexes its plans name. SQLite's planner decides on the query alone, so
# this is checked there. PostgreSQL's decides on table statistics: on these few rows it
# picks any index of `articles` (checked: never a table scan); on a million rows the plans
# read these indexes (alternative takes: articles_story_sources, which holds only original
# reports), as `EXPLAIN` on bench.reads' schema shows (docs/performance.md).
PANEL_INDEXES = {
    "country_feed": (
        lambda b: b.country_feed("GB", 5, before=b.country_feed("GB", 2)[-1]),
        ["articles_feed", "articles_copies"],
    ),
    "alternative_takes": (lambda b: b.alternative_takes(1), ["articles_story"]),
    "current_take": (
        lambda b: b.current_take(24 * 400, 5, now=datetime(2026, 12, 1, tzinfo=UTC)),
        ["stories_recent", "articles_story_sources", "articles_story"],
    ),
    "globe": (lambda b: b.globe(), ["articles_country_fetched"]),
    # The first story placed: a merged id's lookup is one range of story_merges' key.
    "story": (lambda b: b.story(1), ["articles_story_sources", "articles_story"]),
}
TABLE_SCAN = re.compile(r"Seq Scan on (articles|stories)|SCAN (a|b|c|articles|stories)\b(?! USING)")


@pytest.mark.parametrize("panel", sorted(PANEL_INDEXES))
def test_each_panel_reads_its_indexes_and_scans_no_table(crawled: Crawled, panel: str) -> None:
    call, indexes = PANEL_INDEXES[panel]
    plans = _plans(crawled, call)
    assert not TABLE_SCAN.search(plans), plans
    if crawled.backend.name == "sqlite":
        for index in indexes:
            assert index in plans, f"{panel} does not read {index}:\n{plans}"


@pytest.mark.each_backend
def test_a_merged_story_id_reads_as_the_story_its_reports_are_in(database_url: str) -> None:
    """The app cached a story's id before the story merged into an older one of its
    event (tests/story_merge.py): asking for it gives the story that stayed, and still
    does once that one merges on (a chain X -> Y -> Z); an id that never was a story
    gives nothing."""
    from pipelines.stories import place_articles

    backend = open_backend(database_url)
    try:
        prepare_schema(backend)
        store_round(backend, FIRST_ROUND)
        place_articles(backend, WINDOW)
        ids = founded(database_url)
        cached = backend.story(ids.villagers)
        assert cached is not None and cached.id == ids.villagers
        assert [c.articles for c in cached.countries] == [1]

        store_round(backend, SECOND_ROUND)
        assert place_articles(backend, WINDOW).merged == 1
        assert backend.resolve_story(ids.villagers) == ids.dam == backend.resolve_story(ids.dam)
        dam = backend.story(ids.dam)
        assert dam is not None and backend.story(ids.villagers) == dam
        # The dam's four reports, the merged story's two among them.
        assert dam.id == ids.dam and [c.articles for c in dam.countries] == [4]

        # The story that stayed merges on: both old ids lead to the last one.
        (row,) = query(database_url, f"SELECT version FROM stories WHERE id = {ids.dam}")
        moved = [{"id": ids.dam, "version": row["version"], "into": ids.summit}]
        assert backend.save_stories([], merged=moved) == []
        assert backend.resolve_story(ids.villagers) == ids.summit
        assert backend.resolve_story(ids.dam) == ids.summit
        summit = backend.story(ids.villagers)
        assert summit is not None and summit.id == ids.summit
        assert summit == backend.story(ids.dam) == backend.story(ids.summit)

        never = max(ids.dam, ids.villagers, ids.summit) + 1000
        assert backend.resolve_story(never) is None and backend.story(never) is None
    finally:
        backend.close()
