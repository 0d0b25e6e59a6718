"""`scrapy report --html FILE`: one self-contained page, rendered in Debian's headless
Chromium from a real crawl of the fixture sites.

The crawl adds two sources nobody answers for (a closed port): Kenya, drawn on the map,
and Singapore, too small for it (a marker). Both fail, so their countries are quiet and
their alerts are listed. The browser test keeps a full-page screenshot at SCREENSHOT.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import struct
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from newsspiders.reporting.health import Report
from newsspiders.reporting.html_report import (
    NO_SOURCES_COLOUR,
    QUIET_COLOUR,
    SCALE,
    colour_of,
    render_report,
)
from newsspiders.reporting.report_data import CountryActivity, CurrentStory, ReportData
from newsspiders.reporting.worldmap import load_world_map
from newsspiders.testing.http import closed_port
from newsspiders.testing.serve import FixtureSites
from newsspiders.testing.sites import load_sites
from newsspiders.testing.translate_server import TranslateServer
from pipelines.storage import open_backend
from tests.conftest import ROOT, Project

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Kept after the run for a person to look at (gitignored).
SCREENSHOT = ROOT / "test-artefacts" / "report.png"
DEAD = {"straits": "SG", "savanna": "KE"}  # sources on a port nobody listens on
FIXTURE_COUNTRIES = sorted({site.country for site in load_sites().values()})


def dead_sources() -> str:
    base = f"http://127.0.0.1:{closed_port()}"
    return "".join(
        f"  - {{name: {name}, country: {country}, language: en, homepage: '{base}/',"
        f" feeds: ['{base}/{name}.xml'], ownership: state}}\n"
        for name, country in DEAD.items()
    )


def hours_back_to_the_oldest_fixture() -> int:
    """The fixture articles carry fixed dates: a story window reaching all of them."""
    oldest = min(a.published for site in load_sites().values() for a in site.articles)
    return math.ceil((datetime.now(UTC) - oldest) / timedelta(hours=1)) + 24


def crawl(project: Project) -> None:
    """Every source of the project's file crawled, then its stories placed."""
    result = project.scrapy("crawlall")
    assert result.returncode in (0, 1), result.stderr[-3000:]  # 1: a dead source failed
    stories = project.command("stories")  # in this process (tests/inprocess.py)
    assert stories.returncode == 0, stories.stderr[-3000:]


def write_report(project: Project, target: Path) -> str:
    hours = str(hours_back_to_the_oldest_fixture())
    result = project.scrapy("report", "--html", str(target), "--story-hours", hours)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith(f"wrote {target}: ")
    return target.read_text(encoding="utf-8")


def age(project: Project, source: str, days: int) -> None:
    """Make a source's articles look fetched `days` ago."""
    backend = open_backend(project.database_url, create=False)
    try:
        with backend.transaction() as tx:
            then = datetime.now(UTC) - timedelta(days=days)
            tx.execute(
                "UPDATE articles SET fetched_at = ? WHERE source = ?",
                (backend.adapt("fetched_at", then), source),
            )
    finally:
        backend.close()


def new_per_country(project: Project) -> dict[str, int]:
    rows = project.rows("SELECT country, COUNT(*) AS n FROM articles GROUP BY country")
    return {row["country"]: int(row["n"]) for row in rows}


def utc(value: datetime | str) -> datetime:
    """A stored time from either backend (SQLite: ISO text) as an aware UTC datetime."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC)


def check_top_stories(project: Project, listed: list[tuple[str, list[str]]]) -> None:
    """The listed stories are the stored ones with the most countries (then articles,
    then the latest), in that order, each with its countries; ties may fall either way."""
    rows = project.rows(
        "SELECT title, countries, country_count, article_count, last_seen FROM stories"
    )
    rank = {
        (row["title"], ",".join(sorted(row["countries"].split(",")))): (
            row["country_count"], row["article_count"], utc(row["last_seen"])
        )
        for row in rows
    }  # fmt: skip
    keys = [rank[(title, ",".join(countries))] for title, countries in listed]  # all stored
    assert len(listed) == min(10, len(rows)) and keys == sorted(keys, reverse=True)
    assert all(key <= keys[-1] for key in rank.values() if key not in keys)


@dataclass
class Crawled:
    project: Project
    report: Path
    html: str


@pytest.fixture(scope="module")
def crawled(
    tmp_path_factory: pytest.TempPathFactory, sites: FixtureSites, translator: TranslateServer
) -> Crawled:
    """Every fixture site and the two dead sources crawled, stories placed, the report
    written: once for the module (SQLite)."""
    tmp = tmp_path_factory.mktemp("report")
    sources = tmp / "sources.yaml"
    sources.write_text(sites.demo_sources() + dead_sources(), encoding="utf-8")
    project = Project(tmp, sources, f"sqlite:///{tmp}/news.db", translator.url)
    report = tmp / "report.html"
    crawl(project)
    return Crawled(project, report, write_report(project, report))


# --- the file -------------------------------------------------------------------------


def test_the_report_is_one_file_that_names_no_url(crawled: Crawled) -> None:
    page = crawled.html
    assert re.search(r"(?i)\b(?:https?|ftp|wss?):", page) is None
    assert re.search(r"(?i)\b(?:src|href|xlink:href|action)\s*=", page) is None
    assert re.search(r"(?i)<link\b|@import|url\(", page) is None
    assert re.search(r"""=\s*["']?//""", page) is None  # no protocol-relative address
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//style") and tree.xpath("//script")  # styles and script inline
    assert len(tree.xpath('//*[@id="world"]//path[@data-cc]')) > 150  # the map, inline


@pytest.mark.each_backend
def test_map_and_stories_match_the_database(project: Project, tmp_path: Path) -> None:
    """On each backend, a crawl of three sites and the two dead sources, one site's
    articles fetched two days ago: every country's count and state, and the stories
    with their countries, as stored."""
    text = project.sources.read_text(encoding="utf-8")
    kept = ("lejournal", "vestnik", "gazette")
    entries = text.split("\n  - name: ")
    project.sources.write_text(
        entries[0]
        + "".join(f"\n  - name: {entry}" for entry in entries[1:] if entry.split()[0] in kept)
        + "\n"
        + dead_sources(),
        encoding="utf-8",
    )
    crawl(project)
    counts = new_per_country(project)
    assert set(counts) == {"FR", "RU", "US"} and all(counts.values())
    age(project, "vestnik", days=2)  # Russia: stored, but nothing new in 24 hours
    tree = lxml_html.fromstring(write_report(project, tmp_path / "report.html"))
    for country in ("FR", "US"):
        (shape,) = tree.xpath(f'//*[@id="world"]/path[@data-cc="{country}"]')
        assert shape.get("data-state") == "news"
        assert int(shape.get("data-count")) == counts[country]
        assert shape.get("fill") == next(b.colour for b in SCALE if b.holds(counts[country]))
    (russia,) = tree.xpath('//*[@id="world"]/path[@data-cc="RU"]')
    assert russia.get("data-state") == "quiet" and russia.get("data-count") == "0"
    (kenya,) = tree.xpath('//*[@id="world"]/path[@data-cc="KE"]')
    (singapore,) = tree.xpath('//*[@id="world"]//circle[@data-cc="SG"]')
    for quiet in (kenya, singapore):
        assert quiet.get("data-state") == "quiet" and quiet.get("fill") == QUIET_COLOUR
    (brazil,) = tree.xpath('//*[@id="world"]/path[@data-cc="BR"]')
    assert brazil.get("data-state") == "none" and brazil.get("fill") == NO_SOURCES_COLOUR
    listed = [
        (item.xpath('string(span[@class="title"])'), item.get("data-countries").split())
        for item in tree.xpath('//*[@id="stories"]//li')
    ]
    check_top_stories(project, listed)


def test_bad_arguments_are_one_line_errors(project: Project, tmp_path: Path) -> None:
    cases = [
        ((), "--html FILE is required"),
        (("--html", str(tmp_path / "missing" / "r.html")), "no directory"),
        (("--html", str(tmp_path / "r.html"), "--story-hours", "0"), "must be positive"),
        (("--html", str(tmp_path / "r.html")), "no database at"),  # nothing crawled yet
    ]
    for args, message in cases:
        result = project.scrapy("report", *args)
        assert result.returncode == 2, (args, result.stderr)
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("scrapy report: error: ") and message in line, line
    assert not (tmp_path / "r.html").exists()


# --- the renderer alone ----------------------------------------------------------------


def sample(countries: list[CountryActivity], title: str = "Quake") -> ReportData:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    story = CurrentStory(title, ["FR", "JP"], 3, now)
    return ReportData(now, countries, [story], 24, Report(now, [], []), {})


def test_each_count_has_one_colour_and_quiet_and_none_their_own() -> None:
    assert colour_of(None) == NO_SOURCES_COLOUR
    assert colour_of(CountryActivity("FR", 2, 0)) == QUIET_COLOUR
    for count in range(1, 300):
        holding = [band for band in SCALE if band.holds(count)]
        assert len(holding) == 1, count
        assert colour_of(CountryActivity("FR", 1, count)) == holding[0].colour
    colours = [b.colour for b in SCALE] + [QUIET_COLOUR, NO_SOURCES_COLOUR]
    assert len(set(colours)) == len(colours)


def test_titles_are_escaped_and_unmapped_countries_listed() -> None:
    world = load_world_map()
    stripped = type(world)(world.width, world.height, {}, {}, "")  # a map that knows nothing
    page = render_report(
        sample([CountryActivity("SG", 1, 7)], "<script>alert(1)</script> & more"), stripped
    )
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page
    (listed,) = lxml_html.fromstring(page).xpath('//*[@id="off-map"]/span')
    assert listed.get("data-cc") == "SG" and listed.get("data-count") == "7"


def test_the_map_knows_every_configured_country() -> None:
    """Every country of config/sources.yaml has a shape, or a point for a marker."""
    import yaml

    world = load_world_map()
    config = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text(encoding="utf-8"))
    countries = {entry["country"] for entry in config["sources"]}
    assert {c for c in countries if world.anchor(c) is None} == set()
    assert "SG" in world.points and "HK" in world.points and "FR" in world.shapes
    assert world.shapes["LU"].tiny and not world.shapes["FR"].tiny


# --- in the browser ---------------------------------------------------------------------


def chromium() -> Any:
    """Headless Chromium through chromedriver, logging the console and the network.
    Missing Chromium fails under CI (.ci/run installs it) and skips elsewhere."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        message = (
            f"{', '.join(missing)} missing: install Debian's Chromium with"
            " `apt-get install -y chromium chromium-driver`"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1280,1000", "--hide-scrollbars",
        # Nothing leaves the machine even if the page asked for it.
        "--host-resolver-rules=MAP * ~NOTFOUND", "--no-proxy-server",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))


def rgb(colour: str) -> str:
    """'#41b6c4' as the browser computes it: 'rgb(65, 182, 196)'."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chromium_renders_the_map_the_stories_and_the_alerts(crawled: Crawled) -> None:
    driver = chromium()
    try:
        driver.set_page_load_timeout(60)
        driver.get(crawled.report.as_uri())
        assert driver.execute_script("return document.documentElement.dataset.ready") == "yes"
        style = "return getComputedStyle(arguments[0]).fill"

        def marks(country: str) -> list[Any]:
            return driver.find_elements("css selector", f'#world [data-cc="{country}"]')

        # The legend, as rendered: each band's range and colour.
        bands = [
            (int(el.get_attribute("data-low")), el.get_attribute("data-high"),
             el.get_attribute("data-colour"))
            for el in driver.find_elements("css selector", "#legend [data-low]")
        ]  # fmt: skip
        assert len(bands) == len(SCALE)
        counts = new_per_country(crawled.project)
        assert set(counts) == set(FIXTURE_COUNTRIES)
        for country in FIXTURE_COUNTRIES:
            found = marks(country)
            assert found, f"{country} is not on the map"
            count = counts[country]
            (colour,) = [c for low, high, c in bands if low <= count <= int(high or count)]
            for mark in found:
                assert mark.get_attribute("data-count") == str(count), country
                assert driver.execute_script(style, mark) == rgb(colour), country
                box = mark.rect
                assert box["width"] > 0 and box["height"] > 0, country
        for country in DEAD.values():
            found = marks(country)
            assert found and all(m.get_attribute("data-state") == "quiet" for m in found)
            assert all(driver.execute_script(style, m) == rgb(QUIET_COLOUR) for m in found)
        assert driver.find_elements("css selector", '#world circle.marker[data-cc="SG"]')
        (brazil,) = marks("BR")
        assert driver.execute_script(style, brazil) == rgb(NO_SOURCES_COLOUR)

        # Alerts: the health report's, one line each; the dead sources' among them.
        health = crawled.project.command("health", "--format", "json")
        expected = Counter(
            (s["source"], a["kind"])
            for s in json.loads(health.stdout)["sources"]
            for a in s["alerts"]
        )
        shown = Counter(
            (el.get_attribute("data-source"), el.get_attribute("data-kind"))
            for el in driver.find_elements("css selector", "#alerts li.alert")
        )
        assert shown == expected and {(name, "failed") for name in DEAD} <= set(shown)
        for name in DEAD:
            row = driver.find_element("css selector", f'#sources tr[data-source="{name}"]')
            cells = [cell.text for cell in row.find_elements("css selector", "td")]
            assert cells[2] == "state" and "failed" in cells[-1]

        # Stories with their countries, as stored, the widest first.
        listed = [
            (
                item.find_element("css selector", ".title").text,
                [cc.text for cc in item.find_elements("css selector", ".countries .cc")],
            )
            for item in driver.find_elements("css selector", "#stories li")
        ]
        check_top_stories(crawled.project, listed)
        assert len(listed[0][1]) >= 3  # an event the fixtures' press covers in 3+ countries

        # The script runs: a country clicked on the map narrows the source table.
        (france,) = marks("FR")
        driver.execute_script(
            "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", france
        )
        visible = [
            row.get_attribute("data-cc")
            for row in driver.find_elements("css selector", "#sources tbody tr")
            if row.is_displayed()
        ]
        assert visible and set(visible) == {"FR"}
        driver.execute_script(
            "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", france
        )

        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == [], errors
        fetched = {  # the scheme of every request the page made
            scheme
            for entry in driver.get_log("performance")
            for scheme in re.findall(r'"url":"([a-z-]+):', entry["message"])
        }
        assert "file" in fetched and fetched <= {"file", "data", "about"}, fetched

        # The whole page as a person sees it.
        height = driver.execute_script("return document.documentElement.scrollHeight")
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1},
            },
        )
    finally:
        driver.quit()
    data = base64.b64decode(shot["data"])
    assert png_size(data) == (1280, height) and height > 1000 and len(data) > 50_000
    SCREENSHOT.parent.mkdir(exist_ok=True)
    SCREENSHOT.write_bytes(data)
    print(f"\nscreenshot: {SCREENSHOT}")
