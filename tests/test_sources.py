"""The sources model and `scrapy sources check`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsspiders.sources.model import SourcesError, load_sources, parse_sources
from tests.conftest import DEMO_SOURCES, ROOT

GOOD = """
sources:
  - name: lemonde
    country: FR
    language: fr
    homepage: https://www.lemonde.fr/
    feeds: [https://www.lemonde.fr/rss/une.xml]
  - name: bilingual
    country: ca
    language: [en, fr]
    homepage: https://example.ca/
    sitemaps: [https://example.ca/robots.txt]
    listing:
      urls: https://example.ca/news/
      xpath: //h2/a/@href
      max_pages: 3
    settings: {DOWNLOAD_DELAY: 2}
    enabled: false
    disabled_reason: feed moved, new address not known yet
"""


def test_valid_file_parses_with_defaults_and_normalised_codes() -> None:
    lemonde, bilingual = parse_sources(GOOD)
    assert lemonde.language == ["fr"] and lemonde.enabled and lemonde.listing is None
    assert bilingual.country == "CA" and bilingual.language == ["en", "fr"]
    assert bilingual.listing is not None and bilingual.listing.max_pages == 3
    assert [str(u) for u in bilingual.listing.urls] == ["https://example.ca/news/"]
    assert bilingual.scrapy_settings() == {"DOWNLOAD_DELAY": 2} and not bilingual.enabled


def test_bundled_files_are_valid() -> None:
    assert len(load_sources(DEMO_SOURCES)) == 9
    assert load_sources(ROOT / "config" / "sources.yaml")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("    feedz: [https://x.fr/rss]\n", "entry 1 (lemonde), field 'feedz': unknown field"),
        ("    country: XX\n", "entry 1 (lemonde), field 'country': 'XX' is not an ISO 3166-1"),
        ("    language: french\n", "entry 1 (lemonde), field 'language.0': 'french' is not an ISO 639-1"),
        ("    name: Le Monde\n", "entry 1 (Le Monde), field 'name': 'Le Monde' must be lower-case"),
        ("    deny: ['(']\n", "entry 1 (lemonde), field 'deny.0': '(' is not a valid regular expression"),
        ("    settings: {delay: 1}\n", "field 'settings.delay': not a per-source setting"),
    ],
)  # fmt: skip
def test_bad_field_is_named_with_its_entry(change: str, expected: str) -> None:
    base = "sources:\n  - name: lemonde\n    country: FR\n    language: fr\n"
    base += "    homepage: https://www.lemonde.fr/\n    feeds: [https://www.lemonde.fr/rss.xml]\n"
    lines = base.splitlines(keepends=True)
    key = change.split(":")[0]
    text = "".join(line for line in lines if not line.startswith(key + ":")) + change
    with pytest.raises(SourcesError) as caught:
        parse_sources(text, "my.yaml")
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems
    assert str(caught.value).startswith("my.yaml: ")


def test_missing_discovery_and_duplicate_names_are_rejected() -> None:
    text = "sources:\n" + "".join(
        f"  - {{name: {n}, country: DE, language: de, homepage: 'https://{n}.de/'{extra}}}\n"
        for n, extra in (("a", ""), ("b", ", feeds: ['https://b.de/rss']"), ("b", ", feeds: ['https://b.de/x']"))
    )  # fmt: skip
    with pytest.raises(SourcesError) as caught:
        parse_sources(text)
    problems = "\n".join(caught.value.problems)
    assert "entry 1 (a): no discovery" in problems
    assert "'b' is used more than once" in problems


def test_listing_needs_exactly_one_selector() -> None:
    text = GOOD.replace("      xpath: //h2/a/@href\n", "")
    with pytest.raises(SourcesError, match=r"entry 2 \(bilingual\), field 'listing'.*exactly one"):
        parse_sources(text)


def test_not_yaml_and_missing_file_are_clear() -> None:
    # The message quotes the broken line under its number, as PyYAML's own reader does.
    with pytest.raises(
        SourcesError, match=r"not valid YAML(?s:.*)line 1.*\n    sources: \[unclosed"
    ):
        parse_sources("sources: [unclosed")
    with pytest.raises(SourcesError, match="cannot read the file"):
        load_sources("/nonexistent/sources.yaml")


def run_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "sources", "check", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_sources_check_command_reports_file_entry_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "sources:\n"
        "  - {name: ok, country: FR, language: fr, homepage: 'https://a.fr/', feeds: ['https://a.fr/rss']}\n"
        "  - {name: typo, country: FR, language: fr, homepage: 'https://b.fr/', feds: ['https://b.fr/rss']}\n"
        "  - {name: badcountry, country: XY, language: fr, homepage: 'https://c.fr/', feeds: ['https://c.fr/rss']}\n"
        "  - {name: nodiscovery, country: FR, language: fr, homepage: 'https://d.fr/'}\n"
    )  # fmt: skip
    result = run_check(bad)
    assert result.returncode == 2  # a configuration error (1 is for alerts and failed runs)
    assert f"{bad}: entry 2 (typo), field 'feds': unknown field" in result.stderr
    assert f"{bad}: entry 3 (badcountry), field 'country'" in result.stderr
    assert f"{bad}: entry 4 (nodiscovery): no discovery" in result.stderr
    assert "Traceback" not in result.stderr

    good = run_check(DEMO_SOURCES)
    assert good.returncode == 0 and "OK, 9 sources" in good.stdout


def test_disabled_entry_must_say_why_and_ownership_is_checked() -> None:
    entry = (
        "sources:\n  - {name: a, country: FR, language: fr, homepage: 'https://a.fr/',"
        " feeds: ['https://a.fr/rss'], %s}\n"
    )
    with pytest.raises(SourcesError, match=r"entry 1 \(a\).*needs a 'disabled_reason'"):
        parse_sources(entry % "enabled: false")
    with pytest.raises(SourcesError, match=r"entry 1 \(a\), field 'ownership'"):
        parse_sources(entry % "ownership: government")
    (source,) = parse_sources(entry % "ownership: public")
    assert source.as_row().ownership == "public"
