"""`ReportData` as one self-contained HTML page: the world map coloured by new articles
per country, the top current stories, and the source health table with its alerts.

Everything is inline (styles, script, map geometry) and the page names no URL, so it
opens from a file on a machine without network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pycountry

from newsspiders.reporting.health import SourceHealth
from newsspiders.reporting.report_data import CountryActivity, CurrentStory, ReportData
from newsspiders.reporting.worldmap import WorldMap, load_world_map

ASSETS = Path(__file__).with_name("html")
MARKER_RADIUS = 4.5  # px on the 1000 px wide map


@dataclass(frozen=True)
class Band:
    """One step of the map's colour scale: new articles from `low` to `high` (None:
    no upper bound)."""

    low: int
    high: int | None
    colour: str

    def holds(self, count: int) -> bool:
        return count >= self.low and (self.high is None or count <= self.high)

    @property
    def label(self) -> str:
        if self.high is None:
            return f"{self.low}+"
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


# Sequential yellow-green-blue (readable for the common colour-blindnesses).
SCALE = (
    Band(1, 4, "#c7e9b4"),
    Band(5, 9, "#7fcdbb"),
    Band(10, 24, "#41b6c4"),
    Band(25, 49, "#1d91c0"),
    Band(50, 99, "#225ea8"),
    Band(100, None, "#0c2c84"),
)
QUIET_COLOUR = "#e4572e"  # sources configured, nothing new in 24 h
NO_SOURCES_COLOUR = "#d9d9d9"


def colour_of(activity: CountryActivity | None) -> str:
    if activity is None:
        return NO_SOURCES_COLOUR
    if activity.quiet:
        return QUIET_COLOUR
    return next(band.colour for band in SCALE if band.holds(activity.new_24h))


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def render_report(data: ReportData, world: WorldMap | None = None) -> str:
    world = world or load_world_map()
    generated = _when(data.generated_at)
    alerts = data.health.alert_count
    sources = len(data.health.sources)
    summary = (
        f"Generated {generated} UTC · {sources} sources in {len(data.countries)} countries ·"
        f" {alerts} alert{'s' * (alerts != 1)} · quiet countries:"
        f" {len(data.quiet_countries)}"
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>News coverage report, {generated} UTC</title>",
            f"<style>\n{_asset('report.css')}</style>",
            "</head>",
            "<body>",
            "<header>",
            "<h1>News coverage report</h1>",
            f'<p class="summary">{escape(summary)}</p>',
            "</header>",
            _map_section(data, world),
            _stories_section(data),
            _health_section(data),
            "<footer><p>Map: Natural Earth (public domain), 1:110m, via world-atlas (ISC)."
            " Counts are articles stored in the last 24 hours, by fetch time.</p></footer>",
            f"<script>\n{_asset('report.js')}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _map_section(data: ReportData, world: WorldMap) -> str:
    activity = {c.country: c for c in data.countries}
    parts = [
        '<section id="map">',
        "<h2>New articles per country, last 24 hours</h2>",
        f'<svg id="world" viewBox="0 0 {world.width:g} {world.height:g}" role="img"'
        ' aria-label="World map of new articles per country in the last 24 hours">',
        f'<path class="land" d="{world.unnamed_land}"></path>',
    ]
    for code, shape in world.shapes.items():
        parts.append(_mark("path", code, activity.get(code), f'd="{shape.path}"'))
    # Countries with sources that the map cannot show at this scale: a marker on top.
    parts.append('<g class="markers">')
    for country in data.countries:
        drawn = world.shapes.get(country.country)
        anchor = world.anchor(country.country)
        if anchor is not None and (drawn is None or drawn.tiny):
            x, y = anchor
            geometry = f'cx="{x:g}" cy="{y:g}" r="{MARKER_RADIUS:g}"'
            parts.append(_mark("circle", country.country, country, geometry, "marker"))
    parts += ["</g>", "</svg>", _legend()]
    off_map = [c for c in data.countries if world.anchor(c.country) is None]
    if off_map:
        listed = ", ".join(
            f'<span class="cc" data-cc="{c.country}" data-count="{c.new_24h}">'
            f"{escape(country_name(c.country))}: {c.new_24h}</span>"
            for c in off_map
        )
        parts.append(f'<p class="note" id="off-map">Not on the map: {listed}</p>')
    parts += ['<p class="note" id="source-filter"></p>', _country_table(data), "</section>"]
    return "\n".join(parts)


def _mark(
    tag: str, code: str, activity: CountryActivity | None, geometry: str, extra: str = ""
) -> str:
    """A country's shape or marker: its fill, state and figures as data attributes (the
    browser test reads them), and a tooltip."""
    name = country_name(code)
    if activity is None:
        state, tip, figures = "none", f"{name}: no sources", ""
    else:
        state = "quiet" if activity.quiet else "news"
        tip = (
            f"{name}: {activity.new_24h} new article{'s' * (activity.new_24h != 1)} in 24 h,"
            f" {activity.sources} source{'s' * (activity.sources != 1)}"
            + (" (quiet)" if activity.quiet else "")
        )
        figures = f' data-count="{activity.new_24h}" data-sources="{activity.sources}"'
    classes = " ".join(part for part in ("country", extra, state) if part)
    return (
        f'<{tag} class="{classes}" data-cc="{code}" data-name="{escape(name)}"'
        f' data-state="{state}"{figures} fill="{colour_of(activity)}" {geometry}>'
        f"<title>{escape(tip)}</title></{tag}>"
    )


def _legend() -> str:
    steps = "".join(
        f'<span data-low="{band.low}" data-high="{band.high if band.high is not None else ""}"'
        f' data-colour="{band.colour}"><i class="swatch" style="background:{band.colour}"></i>'
        f"{band.label}</span>"
        for band in SCALE
    )
    return (
        '<div class="legend" id="legend"><span>New articles:</span>'
        f"{steps}"
        f'<span data-state="quiet" data-colour="{QUIET_COLOUR}"><i class="swatch"'
        f' style="background:{QUIET_COLOUR}"></i>quiet: sources, nothing new</span>'
        f'<span data-state="none" data-colour="{NO_SOURCES_COLOUR}"><i class="swatch"'
        f' style="background:{NO_SOURCES_COLOUR}"></i>no sources</span>'
        '<span><i class="swatch" style="border-radius:50%"></i>marker: too small to see</span>'
        "</div>"
    )


def _country_table(data: ReportData) -> str:
    rows = sorted(data.countries, key=lambda c: (-c.new_24h, c.country))
    body = "".join(
        f'<tr data-cc="{c.country}"><td><span class="cc">{c.country}</span>'
        f' {escape(country_name(c.country))}</td><td class="num">{c.sources}</td>'
        f'<td class="num">{c.new_24h}</td>'
        f"<td>{'<span class=quiet-text>quiet</span>' if c.quiet else ''}</td></tr>"
        for c in rows
    )
    return (
        '<table id="countries"><thead><tr><th>country</th><th class="num">sources</th>'
        '<th class="num">new in 24 h</th><th></th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _stories_section(data: ReportData) -> str:
    head = f"<h2>Top stories, last {data.story_hours} hours, by countries covering them</h2>"
    if not data.stories:
        return f'<section id="stories">{head}<p class="note">No story in these hours.</p></section>'
    items = "".join(_story_item(story) for story in data.stories)
    return f'<section id="stories">{head}<ol>{items}</ol></section>'


def _story_item(story: CurrentStory) -> str:
    countries = "".join(
        f'<span class="cc" data-cc="{code}" title="{escape(country_name(code))}">{code}</span>'
        for code in story.countries
    )
    return (
        f'<li data-countries="{" ".join(story.countries)}">'
        f'<span class="title">{escape(story.title or "(untitled)")}</span><br>'
        f'<span class="countries">{countries}</span>'
        f' <span class="note">{_count(len(story.countries), "country", "countries")},'
        f" {_count(story.article_count, 'article')}, last {_when(story.last_seen)} UTC</span></li>"
    )


def _health_section(data: ReportData) -> str:
    report = data.health
    alerting = [(row, alert) for row in report.sources for alert in row.alerts]
    if alerting:
        alerts = "".join(
            f'<li class="alert" data-source="{escape(row.source)}" data-kind="{alert.kind}">'
            f'<span class="kind">{alert.kind}</span> {escape(row.source)}'
            f" ({_owned(row.country, data.ownership.get(row.source))}):"
            f" {escape(alert.message)}</li>"
            for row, alert in alerting
        )
        alert_list = f'<ul id="alerts">{alerts}</ul>'
    else:
        alert_list = '<p class="note" id="alerts">No alerts.</p>'
    quiet = ", ".join(report.quiet_countries) or "none"
    rows = "".join(_source_row(row, data.ownership.get(row.source)) for row in report.sources)
    return (
        '<section id="health"><h2>Source health</h2>'
        f'<p class="summary">{len(report.sources)} sources, {report.alert_count} alerts;'
        f" countries with no new article in 24 h: {escape(quiet)}</p>"
        f"<h3>Alerts</h3>{alert_list}"
        '<h3>Sources</h3><table id="sources"><thead><tr><th>source</th><th>country</th>'
        '<th>ownership</th><th>last run (UTC)</th><th class="num">24 h</th>'
        '<th class="num">7 d</th><th class="num">pending</th><th>alerts</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _source_row(row: SourceHealth, ownership: str | None) -> str:
    last = _when(row.last_run) if row.last_run else "never"
    alerts = "; ".join(f"{a.kind}: {a.message}" for a in row.alerts) or "ok"
    return (
        f'<tr data-source="{escape(row.source)}" data-cc="{row.country}"'
        f"{' class=alerting' if row.alerts else ''}>"
        f"<td>{escape(row.source)}</td><td>{row.country}</td><td>{ownership or '—'}</td>"
        f'<td>{last}</td><td class="num">{row.new_24h}</td><td class="num">{row.new_7d}</td>'
        f'<td class="num">{row.pending_translations}</td><td>{escape(alerts)}</td></tr>'
    )


def _owned(country: str, ownership: str | None) -> str:
    return f"{country}, {ownership}" if ownership else country


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _when(moment: datetime) -> str:
    """UTC, to the minute (PostgreSQL hands times back in the session's zone)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M")


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")
