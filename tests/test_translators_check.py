"""`scrapy translators check` against the local translation server: up, down, a partial
language list, a configuration error."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsspiders.sources.model import load_sources
from newsspiders.testing.http import closed_port
from newsspiders.testing.translate_server import TranslateServer
from pipelines.translate.coverage import coverage
from tests.conftest import Project

ROOT = Path(__file__).resolve().parents[1]
RECOMMENDED_SMALL = "libretranslate,google,mymemory"  # docs/translation.md
RECOMMENDED_LARGE = "deepl,microsoft,libretranslate,mymemory"


@pytest.fixture
def server(translator: TranslateServer) -> Iterator[TranslateServer]:
    translator.reset()
    yield translator
    translator.reset()


def every_provider(server: TranslateServer) -> dict[str, str]:
    """The three providers the local server speaks, all pointed at it."""
    return {
        "NEWS_TRANSLATORS": "libretranslate,deepl,google",
        "NEWS_DEEPL_API_KEY": "test-key:fx",
        "NEWS_DEEPL_URL": server.url,
        "NEWS_GOOGLE_URL": server.url + "/m",
    }


def test_every_provider_up_and_every_language_covered(
    project: Project, server: TranslateServer
) -> None:
    run = project.scrapy("translators", "check", "--format", "json", **every_provider(server))
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["ok"] and report["problems"] == []
    by_name = {p["name"]: p for p in report["providers"]}
    assert list(by_name) == ["libretranslate", "deepl", "google"]
    assert all(p["reachable"] for p in by_name.values())
    # The two that publish a list were asked for it; Google's is deep-translator's.
    assert by_name["libretranslate"]["languages_from"] == "server"
    assert set(by_name["libretranslate"]["languages"]) == set(server.fixture_languages)
    assert by_name["deepl"]["languages_from"] == "server"
    assert "JA" in by_name["deepl"]["languages"]
    assert by_name["google"]["languages_from"] == "documented"
    assert report["coverage"]["uncovered_sources"] == {}
    assert by_name["google"]["budget_today"] == {"limit": None, "spent": 0, "left": None}


def test_a_provider_down_fails_naming_it(project: Project, server: TranslateServer) -> None:
    down = f"http://127.0.0.1:{closed_port()}"
    run = project.scrapy(
        "translators", "check", NEWS_TRANSLATORS="google,libretranslate",
        NEWS_GOOGLE_URL=server.url + "/m", NEWS_LIBRETRANSLATE_URL=down,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    assert "FAIL libretranslate is unreachable: libretranslate: ConnectionError" in run.stdout
    assert "google is unreachable" not in run.stdout
    assert "See docs/translation.md" in run.stdout


def test_a_partial_language_list_names_the_sources_left_out(
    project: Project, server: TranslateServer
) -> None:
    server.languages = ["en", "fr", "es", "ru", "ar"]  # no Japanese model loaded
    run = project.scrapy("translators", "check")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "FAIL source nichinichi is uncovered: no provider translates ja" in run.stdout
    assert "unreachable" not in run.stdout
    # Google (deep-translator's list) covers it: the chain passes again.
    run = project.scrapy(
        "translators", "check", NEWS_TRANSLATORS="libretranslate,google",
        NEWS_GOOGLE_URL=server.url + "/m",
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr


def test_budget_left_today(project: Project, server: TranslateServer) -> None:
    run = project.scrapy("translators", "check", NEWS_TRANSLATE_BUDGETS="libretranslate=5000")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "5,000 characters left" in run.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NEWS_TRANSLATORS": "libretranslate,yandex"}, "unknown provider 'yandex'"),
        ({"NEWS_TRANSLATORS": "deepl", "NEWS_DEEPL_API_KEY": ""}, "NEWS_DEEPL_API_KEY"),
        ({"NEWS_TRANSLATE_BUDGETS": "google=lots"}, "not provider=characters"),
    ],
    ids=["unknown-provider", "missing-key", "bad-budget"],
)
def test_a_configuration_error_exits_2(project: Project, env: dict[str, str], message: str) -> None:
    run = project.scrapy("translators", "check", **env)
    assert run.returncode == 2, run.stdout + run.stderr
    assert message in run.stderr


def sources_check(**env: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "scrapy", "sources", "check"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, env={**os.environ, **env},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout + run.stderr


def test_sources_check_names_the_sources_the_chain_leaves_uncovered() -> None:
    """The documented lists, no network: the default chain alone leaves (among others) the
    Serbian, Croatian, Icelandic, Georgian, Sinhala and Greenlandic sources out; each gets
    its own warning, and the summary line counts them."""
    out = sources_check(NEWS_TRANSLATORS="libretranslate")
    line = next(line for line in out.splitlines() if line.startswith("translation:"))
    assert "docs/translation.md" in line
    warned = set(
        re.findall(
            r"\((\w+)\), field 'language': no provider of the chain"
            r" libretranslate translates (\w+)",
            out,
        )
    )
    for pair in (("rts", "sr"), ("n1_serbia", "sr"), ("danas", "sr"), ("index_hr", "hr"),
                 ("mbl", "is"), ("civil_ge", "ka"), ("ada_derana_si", "si"),
                 ("sermitsiaq", "kl")):  # fmt: skip
        assert pair in warned
    assert f"leaves {len(warned)} enabled source(s) untranslated" in line
    # The chain docs/translation.md recommends leaves none out.
    out = sources_check(NEWS_TRANSLATORS=RECOMMENDED_SMALL)
    assert "translation: the chain libretranslate,google,mymemory covers every" in out


def test_a_crawl_with_no_reachable_provider_says_so_once_at_the_start(
    project: Project, server: TranslateServer
) -> None:
    down = f"http://127.0.0.1:{closed_port()}"
    run = project.scrapy(
        "crawl", "alsabah", NEWS_TRANSLATORS="libretranslate,google",
        NEWS_LIBRETRANSLATE_URL=down, NEWS_GOOGLE_URL=down + "/m", NEWS_TRANSLATE_BACKOFF="0",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    lines = [line for line in run.stderr.splitlines() if "no translation provider" in line]
    assert len(lines) == 1, run.stderr[-3000:]
    assert "WARNING" in lines[0] and "libretranslate,google" in lines[0]
    assert "scrapy translators check" in lines[0] and "docs/translation.md" in lines[0]
    # Nothing lost: every article stored, pending.
    rows = project.rows("SELECT translation_status FROM articles")
    assert rows and {row["translation_status"] for row in rows} == {"pending"}


def test_a_crawl_with_a_reachable_provider_says_nothing(
    project: Project, server: TranslateServer
) -> None:
    run = project.scrapy("crawl", "alsabah")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "no translation provider" not in run.stderr


@pytest.mark.parametrize("chain", [RECOMMENDED_SMALL, RECOMMENDED_LARGE])
def test_the_recommended_chains_leave_no_enabled_source_uncovered(chain: str) -> None:
    sources = [s for s in load_sources(ROOT / "config" / "sources.yaml") if s.enabled]
    result = coverage({s.name: s.language for s in sources}, dict.fromkeys(chain.split(",")))
    assert result.uncovered_sources == {}
    assert f"`{chain}`" in (ROOT / "docs" / "translation.md").read_text(encoding="utf-8")
