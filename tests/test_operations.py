"""Running it every day: crawlall subsets, run statistics, the health report."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsspiders.reporting.health import Report, Thresholds, build_report, format_table, judge
from newsspiders.sources.model import parse_sources
from newsspiders.testing.serve import FixtureSites
from newsspiders.testing.sites import load_sites
from tests.conftest import Project

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.mark.parametrize("fault", ["500", "garbage"])
@pytest.mark.each_backend
def test_broken_source_is_recorded_and_alerted_until_it_recovers(
    project: Project, sites: FixtureSites, fault: str
) -> None:
    sites.break_site("vestnik", fault)
    try:
        broken = project.scrapy("crawlall", "--source", "vestnik", "--source", "lejournal")
    finally:
        sites.break_site("vestnik", None)
    assert broken.returncode == 1, broken.stderr[-2000:]
    assert "FAILED: vestnik" in broken.stdout
    runs = project.rows("SELECT source, failed, new_articles FROM crawl_runs ORDER BY source")
    assert [(r["source"], bool(r["failed"])) for r in runs] == [
        ("lejournal", False),
        ("vestnik", True),
    ]
    assert runs[0]["new_articles"] == len(load_sites()["lejournal"].articles)  # did its work

    health = project.scrapy("health", "--fail-on-alert")
    assert health.returncode == 1
    alerted = [line for line in health.stdout.splitlines() if "failed:" in line]
    assert len(alerted) == 1 and alerted[0].startswith("vestnik")

    recovered = project.scrapy("crawlall", "--source", "vestnik")
    assert recovered.returncode == 0, recovered.stderr[-2000:]
    report = json.loads(project.command("health", "--format", "json").stdout)
    vestnik = next(s for s in report["sources"] if s["source"] == "vestnik")
    assert vestnik["alerts"] == [] and vestnik["new_24h"] == len(load_sites()["vestnik"].articles)
    assert project.scrapy("health", "--fail-on-alert").returncode == 0


def test_crawlall_by_tag_and_with_few_sources_at_once(project: Project) -> None:
    text = project.sources.read_text()
    for region in ("south-america", "north-america"):  # lavoz, gazette
        text = text.replace(f"    tags: [{region}]\n", f"    tags: [{region}, core]\n")
    project.sources.write_text(text)
    result = project.scrapy("crawlall", "--tag", "core", NEWS_CONCURRENT_SOURCES="1")
    assert result.returncode == 0, result.stderr[-2000:]
    runs = project.rows("SELECT source FROM crawl_runs ORDER BY source")
    assert [r["source"] for r in runs] == ["gazette", "lavoz"]
    assert "gazette done (" in result.stderr  # line-oriented progress without a terminal


@pytest.mark.each_backend
def test_run_statistics_come_from_scrapy_stats(project: Project) -> None:
    result = project.scrapy("crawl", "lavoz")
    assert result.returncode == 0, result.stderr[-2000:]
    (run,) = project.runs()
    assert run["source"] == "lavoz" and run["finish_reason"] == "finished"
    count = len(load_sites()["lavoz"].articles)
    assert run["new_articles"] == count and run["translation_requests"] == count
    assert run["dropped"] == {"duplicate_content": 1, "not_article": 1}
    stats = run["stats"]
    assert stats["news/stored"] == count and stats["response_received_count"] == run["pages"]
    # Each drop is one log line naming the page and the reason, not the article's text.
    drops = [line for line in result.stderr.splitlines() if "Dropped: " in line]
    assert len(drops) == 2 and any("Dropped: not_article: http" in line for line in drops)
    assert "Article(" not in result.stderr
    assert "Crawled (200)" not in result.stderr  # debug lines are not even made at INFO


def test_debug_log_names_each_scraped_page_in_one_line(project: Project) -> None:
    result = project.scrapy("crawl", "lavoz", "-L", "DEBUG")
    assert result.returncode == 0, result.stderr[-2000:]
    scraped = [line for line in result.stderr.splitlines() if "Scraped http" in line]
    crawled = [line for line in result.stderr.splitlines() if "Crawled (200)" in line]
    assert len(scraped) == len(load_sites()["lavoz"].articles)  # the stored ones
    assert crawled and "Article(" not in result.stderr


# --- the rules, one by one ----------------------------------------------------------

SOURCE = parse_sources(
    "sources:\n  - {name: daily, country: FR, language: fr, homepage: 'https://d.fr/',"
    " feeds: ['https://d.fr/rss']}\n"
)[0]


def run(hours_ago: float, new: int = 5, **fields: Any) -> dict[str, Any]:
    return {
        "finished_at": NOW - timedelta(hours=hours_ago), "failed": False,
        "finish_reason": "finished", "new_articles": new, "pages": 20, "http_errors": {},
        "dropped": {}, "robots_forbidden": 0, **fields,
    }  # fmt: skip


def kinds(runs: list[dict[str, Any]], new_7d: int = 30, pending: int = 0) -> list[str]:
    health = judge(SOURCE, runs, 0, new_7d, pending, NOW, Thresholds())
    return [alert.kind for alert in health.alerts]


def test_a_healthy_source_has_no_alert() -> None:
    assert kinds([run(1), run(2), run(3)]) == []


def test_quiet_source_alerts_after_runs_and_hours_without_news() -> None:
    assert kinds([run(1, 0), run(2, 0), run(3, 5)]) == []  # two quiet runs: not yet
    assert kinds([run(1, 0), run(2, 0), run(3, 0), run(30, 5)], new_7d=30) == ["quiet"]
    # A source that publishes twice a week is not quiet after 30 hours.
    assert kinds([run(1, 0), run(2, 0), run(3, 0), run(30, 5)], new_7d=2) == []


def test_per_source_expectation_wins() -> None:
    patient = SOURCE.model_copy(
        update={"health": SOURCE.health.model_copy(update={"quiet_hours": 100})}
    )
    runs = [run(1, 0), run(2, 0), run(3, 0), run(60, 5)]
    assert [a.kind for a in judge(patient, runs, 0, 30, 0, NOW, Thresholds()).alerts] == []


def test_error_extraction_pending_and_robots_alerts() -> None:
    assert kinds([run(1, http_errors={"503": 9})]) == ["errors"]
    assert kinds([run(1, new=1, dropped={"too_short": 6, "duplicate": 9})]) == ["extraction"]
    assert kinds([run(1)], pending=51) == ["pending"]
    assert kinds([run(1, robots_forbidden=3)]) == ["robots"]
    assert kinds([run(1, failed=True, finish_reason="shutdown")]) == ["failed"]


def sample_report() -> Report:
    sources = parse_sources(
        "sources:\n"
        + "".join(
            f"  - {{name: {name}, country: {cc}, language: fr, homepage: 'https://{name}.fr/',"
            f" feeds: ['https://{name}.fr/rss']{owner}}}\n"
            for name, cc, owner in [("le_quotidien_du_grand_est_edition_soir", "FR", ""),
                                    ("lemonde", "FR", ", ownership: private"), ("ouest", "FR", ""),
                                    ("abidjan", "CI", ", ownership: state"), ("newcomer", "SN", "")]
        )
    )  # fmt: skip
    runs = {
        "le_quotidien_du_grand_est_edition_soir": [run(1, failed=True, finish_reason="shutdown")],
        "lemonde": [run(1), run(2)],
        "ouest": [run(1, http_errors={"503": 12, "exception:TimeoutError": 3})],
        "abidjan": [run(1, 0), run(2, 0), run(3, 0), run(200, 3)],
    }
    new_24h = {"lemonde": 10, "ouest": 2}
    new_7d = {"lemonde": 70, "ouest": 14}
    return build_report(sources, runs, new_24h, new_7d, {"ouest": 60}, NOW, Thresholds())


def test_table_fits_100_columns_shows_every_alert_whole_and_matches_the_snapshot() -> None:
    table = format_table(sample_report())
    assert all(len(line) <= 100 for line in table.splitlines())
    assert table == (SNAPSHOTS / "health_table.txt").read_text(encoding="utf-8").rstrip("\n")


def test_json_has_the_documented_shape() -> None:
    data = json.loads(json.dumps(sample_report().as_json()))
    assert set(data) == {"generated_at", "alerts", "quiet_countries", "sources"}
    assert data["generated_at"] == "2026-11-25T12:00:00+00:00" and data["alerts"] == 4
    assert data["quiet_countries"] == ["CI", "SN"]
    fields = {
        "source": str, "country": str, "last_run": (str, type(None)),
        "last_run_failed": (bool, type(None)), "finish_reason": (str, type(None)),
        "new_24h": int, "new_7d": int, "pending_translations": int, "alerts": list,
        "ownership": (str, type(None)),
    }  # fmt: skip
    for entry in data["sources"]:
        assert set(entry) == set(fields)
        for name, kind in fields.items():
            assert isinstance(entry[name], kind), name
        for alert in entry["alerts"]:
            assert set(alert) == {"kind", "message"}
            assert alert["kind"] in {"failed", "quiet", "errors", "extraction", "pending", "robots"}
    newcomer = next(e for e in data["sources"] if e["source"] == "newcomer")
    assert newcomer["last_run"] is None and newcomer["alerts"] == []
    assert newcomer["ownership"] is None
    assert next(e for e in data["sources"] if e["source"] == "lemonde")["ownership"] == "private"


def test_unreadable_discovery_pages_alert_unless_the_run_failed() -> None:
    half = {"news/discovery_ok": 1, "news/discovery_errors": 1}
    assert kinds([run(1, stats=half)]) == ["discovery"]
    assert kinds([run(1, stats=half, failed=True)]) == ["failed"]
