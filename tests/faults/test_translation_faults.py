"""Translation faults an operator meets: bad answers, providers that cannot start, slow
or failing providers, secrets in errors, bad settings, two retranslate runs at once.

Every provider here is a real client talking to the local translation server
(`newsspiders.testing.translate_server`), set to misbehave.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newsspiders.testing.databases import query
from newsspiders.testing.http import closed_port
from newsspiders.testing.sites import load_sites
from newsspiders.testing.translate_server import TranslateServer
from pipelines.storage import Storage
from pipelines.translate.article import ArticleTranslator, today
from pipelines.translate.chain import Budget, RetryPolicy, TranslatorChain, build_chain
from pipelines.translate.providers.deepl_client import DeepLTranslator
from pipelines.translate.providers.libretranslate import LibreTranslateClient
from tests.conftest import ROOT, Project

SITES = load_sites()
FRENCH = SITES["lejournal"].articles[0]
RUSSIAN = SITES["vestnik"].articles[0]
REFUSED = "http://127.0.0.1:9"  # nothing listens there: connection refused at once


@pytest.fixture
def server(translator: TranslateServer) -> Iterator[TranslateServer]:
    translator.reset()
    yield translator
    translator.reset()


@pytest.fixture
def bad_server() -> Iterator[TranslateServer]:
    """A second translation server, for the provider that misbehaves."""
    served = TranslateServer()
    yield served
    served.close()


def settings_for(**values: object) -> Settings:
    """The settings of a crawl of the fixture sites (their languages, as the loader sets)."""
    settings = Settings()
    settings.setmodule("newsspiders.settings")
    languages = sorted({site.language for site in SITES.values()})
    settings.setdict({"NEWS_TRANSLATE_BACKOFF": 0, "NEWS_SOURCE_LANGUAGES": languages, **values})
    return settings


def no_sleep(seconds: float) -> None:
    pass


def chain_of(*providers: object, **kwargs: object) -> TranslatorChain:
    retry = RetryPolicy(attempts=2, sleep=no_sleep)
    return TranslatorChain(list(providers), retry, **kwargs)  # type: ignore[arg-type]


# --- 3. junk answers ---------------------------------------------------------------


@pytest.mark.parametrize("provider", ["libretranslate", "deepl"])
def test_junk_answers_are_a_failure_and_never_cached(
    bad_server: TranslateServer, tmp_path: Path, provider: str
) -> None:
    bad_server.mode = "junk"  # 200 with [123, None, "", "  "]
    client = (
        LibreTranslateClient(bad_server.url)
        if provider == "libretranslate"
        else DeepLTranslator("key:fx", server_url=bad_server.url)
    )
    storage = Storage(f"sqlite:///{tmp_path}/news.db")
    translator = ArticleTranslator(chain_of(client), storage)
    outcome = translator.translate(FRENCH.title, FRENCH.text, "fr")
    assert outcome.status == "pending" and outcome.title_en is None
    assert "not a translation" in (outcome.error or "")
    storage.close()
    assert query(f"sqlite:///{tmp_path}/news.db", "SELECT * FROM translations") == []


# --- 4. a provider that cannot even be built --------------------------------------


def test_a_provider_whose_constructor_fails_is_a_failing_provider(
    server: TranslateServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Microsoft's constructor asks Microsoft for its languages: through a proxy that
    # refuses, as on a machine that cannot reach it.
    monkeypatch.setenv("HTTPS_PROXY", REFUSED)
    settings = settings_for(
        NEWS_TRANSLATORS="microsoft,libretranslate",
        NEWS_MICROSOFT_API_KEY="ms-key",
        NEWS_LIBRETRANSLATE_URL=server.url,
    )
    storage = Storage(f"sqlite:///{tmp_path}/news.db")
    translator = ArticleTranslator(build_chain(settings), storage)
    outcome = translator.translate(FRENCH.title, FRENCH.text, "fr")
    assert outcome.status == "done" and outcome.translator == "libretranslate"
    alone = ArticleTranslator(
        build_chain(settings_for(NEWS_TRANSLATORS="microsoft", NEWS_MICROSOFT_API_KEY="k")),
        storage,
    )
    other = SITES["lejournal"].articles[1]  # not in the cache
    outcome = alone.translate(other.title, other.text, "fr")
    assert outcome.status == "pending" and (outcome.error or "").startswith("microsoft:")
    storage.close()


def test_unreachable_microsoft_loses_no_article(project: Project) -> None:
    result = project.scrapy(
        "crawl", "lejournal",
        NEWS_TRANSLATORS="microsoft", NEWS_MICROSOFT_API_KEY="ms-key", HTTPS_PROXY=REFUSED,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    stored = project.rows("SELECT translation_status FROM articles")
    assert len(stored) == 6 and {row["translation_status"] for row in stored} == {"pending"}


# --- 6. budgets charge what was accepted ------------------------------------------


def test_failed_attempts_cost_no_budget(server: TranslateServer, database_url: str) -> None:
    refused = LibreTranslateClient(REFUSED)
    budget = Budget({"libretranslate": 10_000})
    storage = Storage(database_url)
    translator = ArticleTranslator(chain_of(refused, budget=budget), storage)
    for _ in range(5):
        assert translator.translate(FRENCH.title, FRENCH.text, "fr").status == "pending"
    assert budget.spent.get("libretranslate", 0) == 0
    translator.record_usage()
    assert storage.call(storage.backend.usage_on, today()).get("libretranslate", 0) == 0
    # After the outage the day's budget is whole: a real translation goes through.
    working = LibreTranslateClient(server.url)
    translator = ArticleTranslator(chain_of(working, budget=budget), storage)
    assert translator.translate(FRENCH.title, FRENCH.text, "fr").status == "done"
    charged = len(FRENCH.title) + sum(len(p) for p in FRENCH.paragraphs)
    assert budget.spent["libretranslate"] == charged
    storage.close()


# --- 11. circuit breaker ----------------------------------------------------------


def test_a_slow_provider_is_skipped_after_consecutive_failures(
    bad_server: TranslateServer, server: TranslateServer, tmp_path: Path
) -> None:
    bad_server.hang_next(10, times=100)
    slow = LibreTranslateClient(bad_server.url, timeout=0.3)
    storage = Storage(f"sqlite:///{tmp_path}/news.db")
    chain = chain_of(slow, LibreTranslateClient(server.url), breaker_failures=2)
    translator = ArticleTranslator(chain, storage)
    started = time.monotonic()
    outcomes = [translator.translate(a.title, a.text, "fr") for a in SITES["lejournal"].articles]
    elapsed = time.monotonic() - started
    assert all(o.status == "done" and o.translator == "libretranslate" for o in outcomes)
    # Two failures of two attempts each (4 x 0.3 s), then the slow one is not asked again.
    assert bad_server.requests == 4
    assert elapsed < 4, elapsed
    assert chain.failures["libretranslate:skipped"] == len(outcomes) - 2
    storage.close()


def test_an_article_skipped_by_the_breaker_keeps_the_reason(tmp_path: Path) -> None:
    storage = Storage(f"sqlite:///{tmp_path}/news.db")
    refused = LibreTranslateClient(f"http://127.0.0.1:{closed_port()}", timeout=1)
    chain = chain_of(refused, breaker_failures=2)
    translator = ArticleTranslator(chain, storage)
    outcomes = [translator.translate(a.title, a.text, "fr") for a in SITES["lejournal"].articles]
    assert all(o.status == "pending" for o in outcomes) and len(outcomes) > 2
    skipped = [o.error for o in outcomes[2:]]
    assert all("skipped after 2 failures in a row (last:" in e for e in skipped), skipped
    assert all("ConnectionError" in e for e in skipped), skipped
    storage.close()


# --- 14. secrets ------------------------------------------------------------------


def test_an_error_quoting_the_api_key_is_stored_redacted(
    bad_server: TranslateServer, tmp_path: Path
) -> None:
    bad_server.mode = "echo_key"
    settings = settings_for(
        NEWS_TRANSLATORS="libretranslate",
        NEWS_LIBRETRANSLATE_URL=bad_server.url,
        NEWS_LIBRETRANSLATE_API_KEY="lt-0123-secret",
    )
    storage = Storage(f"sqlite:///{tmp_path}/news.db")
    outcome = ArticleTranslator(build_chain(settings), storage).translate(
        FRENCH.title, FRENCH.text, "fr"
    )
    assert outcome.status == "pending"
    assert "Invalid API key" in (outcome.error or "")
    assert "lt-0123-secret" not in (outcome.error or "")
    storage.close()


def test_deepl_library_logs_no_bodies_at_debug(
    server: TranslateServer, caplog: pytest.LogCaptureFixture
) -> None:
    client = DeepLTranslator("dl-key:fx", server_url=server.url)
    with caplog.at_level(logging.DEBUG):
        assert client.translate([FRENCH.title], "fr", "en") == [FRENCH.title_en]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert FRENCH.title_en not in logged and FRENCH.title not in logged


# --- 16. settings and concurrent retranslate ---------------------------------------


@pytest.mark.parametrize(
    "setting, value",
    [("NEWS_TRANSLATORS", "libre"), ("NEWS_TRANSLATE_THREADS", "0")],
)
def test_bad_translation_settings_are_one_line_errors(
    project: Project, setting: str, value: str
) -> None:
    for command in (["crawl", "lejournal"], ["retranslate"]):
        result = project.scrapy(*command, **{setting: value})
        assert result.returncode == 2, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
        assert setting in result.stderr


@pytest.mark.each_backend
def test_two_retranslate_runs_translate_each_article_once(
    project: Project, server: TranslateServer
) -> None:
    result = project.scrapy("crawl", "lejournal", NEWS_LIBRETRANSLATE_URL=REFUSED)
    assert result.returncode == 0, result.stderr[-2000:]
    pending = project.rows("SELECT id FROM articles WHERE translation_status = 'pending'")
    assert len(pending) == 6
    server.latency = 0.3  # each run is still at work when the other starts
    try:
        command = [sys.executable, "-m", "scrapy", "retranslate"]
        env = project.env(NEWS_TRANSLATE_THREADS="1")
        runs = [
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
    finally:
        server.latency = 0.0
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert len(server.batches) == 6  # one request per article, whichever run made it
    done = project.rows("SELECT id FROM articles WHERE translation_status = 'done'")
    assert len(done) == 6


# --- issue 20 item 5: what comes back must be English ------------------------------


@pytest.mark.parametrize("mode", ["echo", "french"])
def test_an_answer_that_is_not_english_goes_to_the_next_provider(
    bad_server: TranslateServer, server: TranslateServer, tmp_path: Path, mode: str
) -> None:
    bad_server.mode = mode
    storage = Storage(f"sqlite:///{tmp_path}/news.db")
    bad = LibreTranslateClient(bad_server.url)
    chain = build_chain(
        settings_for(NEWS_TRANSLATORS="libretranslate", NEWS_LIBRETRANSLATE_URL=bad_server.url)
    )
    alone = ArticleTranslator(chain, storage).translate(RUSSIAN.title, RUSSIAN.text, "ru")
    assert alone.status == "pending" and alone.title_en is None
    reason = "echoed the input" if mode == "echo" else "answered in fr, not en"
    assert reason in (alone.error or "")
    assert chain.failures[f"libretranslate:{'echo' if mode == 'echo' else 'not_english'}"] == 1
    chain = chain_of(bad, DeepLTranslator("k:fx", server_url=server.url), guard=chain.guard)
    fallback = ArticleTranslator(chain, storage).translate(RUSSIAN.title, RUSSIAN.text, "ru")
    assert fallback.status == "done" and fallback.translator == "deepl"
    assert fallback.title_en == RUSSIAN.title_en
    storage.close()


def test_the_guard_takes_short_english_answers(server: TranslateServer, tmp_path: Path) -> None:
    """Names and numbers, echoed by a right provider, are no alarm."""
    server.mode = "echo"
    chain = build_chain(
        settings_for(NEWS_TRANSLATORS="libretranslate", NEWS_LIBRETRANSLATE_URL=server.url)
    )
    storage = Storage(f"sqlite:///{tmp_path}/news.db")
    translator = ArticleTranslator(chain, storage)
    for title in ["Emmanuel Macron", "2024", "São Paulo", "Erdoğan", "Xi Jinping", "El Niño"]:
        outcome = translator.translate(title, "", "fr")
        assert outcome.status == "done", (title, outcome.error)
    storage.close()


def test_rejected_answers_reach_run_stats_and_health(
    project: Project, bad_server: TranslateServer
) -> None:
    bad_server.mode = "french"
    result = project.scrapy("crawl", "vestnik", NEWS_LIBRETRANSLATE_URL=bad_server.url)
    assert result.returncode == 0, result.stderr[-2000:]
    stored = project.rows("SELECT translation_status, translation_error FROM articles")
    assert stored and all(row["translation_status"] == "pending" for row in stored)
    assert all("answered in fr" in row["translation_error"] for row in stored)
    (run,) = project.runs()
    assert run["stats"]["news/translation/rejected"] >= 1
    health = project.command("health", "--format", "json")
    (vestnik,) = [row for row in json.loads(health.stdout)["sources"] if row["source"] == "vestnik"]
    assert [a["kind"] for a in vestnik["alerts"]].count("translation") == 1, vestnik
