"""An operator's mistakes: each one gets a clear line naming what to fix and exit status 2
(configuration), never a traceback; a mistake in one source never stops the others.

Exit statuses, in every command: 0 fine, 1 it ran and found a problem (an alert, a failed
run, translations still pending), 2 it could not run (configuration, files, database).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsspiders.sources.model import SourcesError, load_sources, parse_sources
from newsspiders.testing.sites import SITE_ORDER
from pipelines.storage import DatabaseUrlError, open_backend
from pipelines.store.journal import Journal
from tests.conftest import DEMO_SOURCES, Project

ENTRY = (
    "  - {{name: {name}, country: FR, language: fr, homepage: 'https://{name}.fr/',"
    " feeds: ['https://{name}.fr/rss'], {extra}}}\n"
)


def add_entry(project: Project, name: str, extra: str) -> None:
    with project.sources.open("a", encoding="utf-8") as out:
        out.write(ENTRY.format(name=name, extra=extra))


def last_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def start(project: Project, command: list[str], **env: str) -> subprocess.Popen[str]:
    """`scrapy` started from the project's folder, not waited for."""
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", *command],
        cwd=project.tmp,
        env={**project.env(**env), "SCRAPY_SETTINGS_MODULE": "newsspiders.settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def run_all(
    project: Project, *commands: list[str], **env: str
) -> list[subprocess.CompletedProcess[str]]:
    """Several `scrapy` commands at once (each is mostly start-up time)."""
    return [finish(process) for process in [start(project, c, **env) for c in commands]]


def scrapy_in(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`scrapy` run from `cwd` (any folder: the settings module is named in the env)."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=cwd,
        env={**os.environ, "SCRAPY_SETTINGS_MODULE": "newsspiders.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- 8. spider_class ------------------------------------------------------------------

BAD_CLASSES = {
    "outside": ("os.system", "not inside newsspiders.spiders"),
    "missing": ("newsspiders.spiders.sites.gone.GoneSpider", "cannot import newsspiders.spiders.sites.gone"),
    "noattr": ("newsspiders.spiders.news.Nothing", "newsspiders.spiders.news has no Nothing"),
    "notspider": ("newsspiders.spiders.news.DateRange", "is not a NewsSpider subclass"),
}  # fmt: skip


def test_bad_spider_class_fails_check_and_only_its_own_source(project: Project) -> None:
    for name, (dotted, _) in BAD_CLASSES.items():
        add_entry(project, name, f"spider_class: {dotted}")
    check, listed, crawl = run_all(project, ["sources", "check"], ["list"], ["crawl", "missing"])
    assert check.returncode == 2, check.stderr
    for index, (name, (_, says)) in enumerate(BAD_CLASSES.items()):
        entry = f"entry {len(SITE_ORDER) + 1 + index} ({name}), field 'spider_class'"
        assert f"{project.sources}: {entry}: " in check.stderr and says in check.stderr
        # `scrapy list` names it in one line and goes on with the others.
        (reported,) = [line for line in listed.stderr.splitlines() if f"({name})" in line]
        assert says in reported
    assert listed.returncode == 0 and listed.stdout.split() == sorted(SITE_ORDER)
    assert crawl.returncode == 2 and BAD_CLASSES["missing"][1] in last_line(crawl.stderr)
    for result in (check, listed, crawl):
        assert "Traceback" not in result.stderr


def test_healthy_source_crawls_beside_a_broken_one_and_a_corrupt_journal(
    project: Project,
) -> None:
    add_entry(project, "broken", "spider_class: os.system")
    journal = project.tmp / "journal"
    journal.mkdir()
    corrupt = journal / "lejournal-20250101T000000000000-1.jsonl"
    corrupt.write_bytes(b'{"url": "https://x/1", \n\xff\xfe not json\n')
    result = project.scrapy("crawl", "lejournal", NEWS_JOURNAL_DIR=str(journal))
    assert result.returncode == 0, result.stderr[-3000:]
    assert project.runs()[-1]["stats"]["news/stored"] == 6
    (quarantine,) = journal.glob("lejournal-*.corrupt")
    assert quarantine.read_bytes() == b'{"url": "https://x/1", \n\xff\xfe not json\n'
    assert str(quarantine) in result.stderr
    assert not list(journal.glob("*.jsonl"))  # replayed (nothing readable) and gone


# --- 12. the journal ----------------------------------------------------------------


def test_corrupt_journal_lines_are_quarantined_and_the_rest_replayed(tmp_path: Path) -> None:
    journal = Journal(tmp_path, "lemonde")
    when = datetime(2025, 11, 1, tzinfo=UTC)
    path = journal.spill([{"url": "https://a/1", "published": when}, {"url": "https://a/2"}])
    good = path.read_bytes()
    bad = b'{"url": "https://a/3", "tru\n\xc3\x28 latin soup\n[1, 2]\n'
    path.write_bytes(good + bad)
    rows = journal.take(path)
    assert rows == [{"url": "https://a/1", "published": when}, {"url": "https://a/2"}]
    quarantine = path.with_suffix(".corrupt")
    assert quarantine.read_bytes() == bad  # nothing lost: the bad bytes kept as they were
    assert journal.pending() == [path]  # the caller deletes it once the rows are stored


# --- 9, 15. per-source settings and selectors ------------------------------------------

LISTING = "listing: {urls: ['https://x.fr/news'], "


@pytest.mark.parametrize(
    ("extra", "field", "says"),
    [
        ("settings: {DOWNLOAD_DELAY: abc}", "settings.DOWNLOAD_DELAY", "number"),
        ("settings: {CONCURRENT_REQUESTS_PER_DOMAIN: 0}", "settings.CONCURRENT_REQUESTS_PER_DOMAIN", "greater than 0"),
        ("settings: {FEEDS: {'/tmp/out.json': {format: json}}}", "settings.FEEDS", "not a per-source setting"),
        ("settings: {LOG_FILE: /etc/cron.d/x}", "settings.LOG_FILE", "not a per-source setting"),
        ("settings: {ITEM_PIPELINES: {}}", "settings.ITEM_PIPELINES", "not a per-source setting"),
        (LISTING + "css: 'a['}", "listing.css", "not a valid CSS selector"),
        (LISTING + "xpath: '//a['}", "listing.xpath", "not a valid XPath"),
        (LISTING + "css: a, next_css: 'a[rel='}", "listing.next_css", "not a valid CSS selector"),
        ("extract: {body_css: 'div[class'}", "extract.body_css", "not a valid CSS selector"),
    ],
)  # fmt: skip
def test_bad_setting_or_selector_is_named_with_file_entry_and_field(
    tmp_path: Path, extra: str, field: str, says: str
) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n" + ENTRY.format(name="x", extra=extra), encoding="utf-8")
    with pytest.raises(SourcesError) as raised:
        load_sources(path)
    (problem,) = str(raised.value).splitlines()
    assert problem.startswith(f"{path}: entry 1 (x), field '{field}': ")
    assert says in problem


def test_vetted_settings_are_typed_and_passed_on() -> None:
    (source,) = parse_sources(
        "sources:\n"
        + ENTRY.format(
            name="x",
            extra="settings: {DOWNLOAD_DELAY: '2.5', USER_AGENT: 'bot/1', RETRY_TIMES: 4,"
            " DEFAULT_REQUEST_HEADERS: {Accept-Language: fr}, DOWNLOAD_TIMEOUT: 10}",
        )
    )
    assert source.scrapy_settings() == {
        "DOWNLOAD_DELAY": 2.5,
        "USER_AGENT": "bot/1",
        "RETRY_TIMES": 4,
        "DEFAULT_REQUEST_HEADERS": {"Accept-Language": "fr"},
        "DOWNLOAD_TIMEOUT": 10.0,
    }


def test_non_utf8_sources_file_is_named_not_a_traceback(project: Project) -> None:
    project.sources.write_bytes(
        ("sources:\n" + ENTRY.format(name="x", extra="tags: [été]")).encode("latin-1")
    )
    with pytest.raises(SourcesError, match=f"{project.sources}: not UTF-8 text"):
        load_sources(project.sources)
    (listed,) = run_all(project, ["list"])  # any command: the spider loader reads it first
    assert listed.returncode == 2, listed.stderr
    assert f"{project.sources}: not UTF-8 text" in listed.stderr
    assert "Traceback" not in listed.stderr


# --- 10. storage URLs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("sqlite://", "no file path"),
        ("sqlite:///", "no file path"),
        ("sqlite:/x.db", "sqlite:///x.db"),
        ("sqlite:x.db", "sqlite:///x.db"),
        ("sqlite://host/x.db", "no host"),
        ("postgresql:/nohost", "postgresql://"),
        ("mysql://u@h/db", "unsupported scheme 'mysql'"),
    ],
)
def test_malformed_database_urls_are_refused(url: str, says: str) -> None:
    from pipelines.storage.urls import parse_database_url

    with pytest.raises(DatabaseUrlError, match="NEWS_DATABASE_URL") as raised:
        parse_database_url(url)
    assert says in str(raised.value)


def test_database_urls_that_work(tmp_path: Path) -> None:
    from pipelines.storage.urls import parse_database_url

    assert (
        parse_database_url("sqlite:///data/news.db", base=tmp_path).path
        == tmp_path / "data/news.db"
    )
    assert parse_database_url("sqlite:////abs/news.db", base=tmp_path).path == Path("/abs/news.db")
    assert parse_database_url("postgresql://u:p@h:5432/db").kind == "postgresql"


def test_malformed_sqlite_url_stops_a_crawl_and_creates_nothing(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_memory,) = run_all(project, ["crawl", "lejournal"], NEWS_DATABASE_URL="sqlite://")
    assert in_memory.returncode == 2 and "NEWS_DATABASE_URL" in last_line(in_memory.stderr)
    assert "Traceback" not in in_memory.stderr
    monkeypatch.chdir(project.tmp)
    with pytest.raises(DatabaseUrlError, match="sqlite:///x.db"):
        open_backend("sqlite:/x.db")
    assert not (project.tmp / "sqlite:").exists()


# --- 13. database problems in every command ------------------------------------------


def test_database_problems_are_one_line_and_exit_2_in_every_command(project: Project) -> None:
    typo = project.tmp / "nwes.db"
    blocker = project.tmp / "a-file"
    blocker.write_text("not a folder")
    under_a_file = blocker / "news.db"
    cases = [
        # Commands that read or finish what crawls stored never create the database.
        (["health", "--fail-on-alert"], f"sqlite:///{typo}", f"no database at {typo}"),
        (["retranslate"], f"sqlite:///{typo}", f"no database at {typo}"),
        (["stories"], f"sqlite:///{typo}", f"no database at {typo}"),
        (["initdb"], f"sqlite:///{under_a_file}", f"cannot open the SQLite database {under_a_file}"),
        (["crawlall"], f"sqlite:///{under_a_file}", f"cannot open the SQLite database {under_a_file}"),
        (["health", "--fail-on-alert"], "postgresql://u:hunter2@127.0.0.1:9/x", "cannot connect to postgresql://u:***@"),
    ]  # fmt: skip
    for i in range(0, len(cases), 3):
        batch = cases[i : i + 3]
        started = [start(project, command, NEWS_DATABASE_URL=url) for command, url, _ in batch]
        results = [finish(process) for process in started]
        for (command, _, says), result in zip(batch, results, strict=True):
            assert result.returncode == 2, (command, result.stderr[-2000:])
            assert says in last_line(result.stderr), (command, result.stderr[-2000:])
            assert "Traceback" not in result.stderr and "hunter2" not in result.stderr
    assert not typo.exists()


# --- 16. paths, dates -----------------------------------------------------------------


def test_relative_paths_follow_the_project_not_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / "scrapy.cfg").write_text("[settings]\ndefault = newsspiders.settings\n")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "sources.yaml").write_text(DEMO_SOURCES.read_text("utf-8"), "utf-8")
    below = tmp_path / "docs"
    below.mkdir()
    env = {**os.environ}
    for name in ("NEWS_SOURCES", "NEWS_DATABASE_URL", "NEWS_JOURNAL_DIR", "SCRAPY_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(NEWS_SOURCES="config/sources.yaml", NEWS_DATABASE_URL="sqlite:///data/news.db")
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "initdb"],
        cwd=below, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "news.db").exists() and not (below / "data").exists()


def test_bad_date_window_is_refused_before_crawling(project: Project) -> None:
    garbage, reversed_window = run_all(
        project,
        ["crawl", "lejournal", "-a", "since=garbage"],
        ["crawlall", "--source", "lejournal", "-a", "since=2025-12-01", "-a", "until=2025-11-01"],
    )
    for result, says in (
        (garbage, "'garbage' is not a date of the form YYYY-MM-DD"),
        (reversed_window, "since 2025-12-01 is after until 2025-11-01"),
    ):
        assert result.returncode == 2, result.stderr[-2000:]
        assert says in last_line(result.stderr) and "Traceback" not in result.stderr
    assert not Path(project.database_url.removeprefix("sqlite:///")).exists()  # nothing ran
