"""Provenance comments: where each entry's feed came from and when it was last checked.

Comments are not in the parsed YAML, so this reads the raw text. An entry's comment
block is every line from its `- name:` line to the next list item at the same indent;
in it, a line such as

    # feed: github:owner/repo/path/to/list.opml; checked 2026-12-01 (offline)
    # sitemap: https://publisher.example/rss-help; checked 2026-12-01

names the reference (a public config or list on GitHub, or the publisher's own RSS page),
optionally followed by a "(note)", and the date. "(offline)": the reference was checked,
the feed not fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ENTRY = re.compile(r"^(?P<indent>\s*)-\s+name:\s*['\"]?(?P<name>[^'\"#\s]+)")
_COMMENT = re.compile(r"^\s*#\s*(?P<kind>feed|sitemap|listing):\s*(?P<rest>.*?)\s*$")
# The reference runs up to "; checked": a repository path may hold spaces
# (e.g. "countries/with_category/South Africa.opml"), so it is not cut at whitespace.
# A last "(...)" after a space is an editor's note on the reference, not part of it.
_CLAIM = re.compile(
    r"^(?P<ref>\S.*?)(?:\s+\((?P<note>[^()]*)\))?"
    r"\s*;\s*checked\s+(?P<date>\d{4}-\d{2}-\d{2})(?:\s*\((?P<offline>offline)\))?$"
)
_GITHUB = re.compile(r"^github:[\w.-]+/[\w.-]+/\S(?:.*\S)?$")
_URL = re.compile(r"^https://\S+$")  # a URL never holds a raw space


@dataclass(frozen=True)
class Provenance:
    kind: str  # feed | sitemap | listing
    reference: str
    checked: date
    offline: bool
    note: str = ""  # e.g. "as RssFeedsFrontPage.aspx": how the reference names the URL


@dataclass
class EntryComments:
    """What the comment block of one entry says about its provenance."""

    found: list[Provenance]
    malformed: list[str]  # why each unreadable `# feed:` line was not accepted


def comment_blocks(text: str) -> dict[str, list[str]]:
    """Each entry's lines (block-style `- name:` entries only), by entry name."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    indent: str | None = None
    for line in text.splitlines():
        match = _ENTRY.match(line)
        if match and (indent is None or match["indent"] == indent):
            indent = match["indent"]
            current = blocks.setdefault(match["name"], [])
        elif current is not None and indent is not None and line.startswith(f"{indent}- "):
            current = None  # another list item at the entries' level, not an entry
        if current is not None:
            current.append(line)
    return blocks


def read_comments(lines: list[str], today: date) -> EntryComments:
    found: list[Provenance] = []
    malformed: list[str] = []
    for line in lines:
        comment = _COMMENT.match(line)
        if not comment:
            continue
        problem, provenance = _parse_claim(comment["kind"], comment["rest"], today)
        if provenance:
            found.append(provenance)
        else:
            malformed.append(f"'{line.strip()}': {problem}")
    return EntryComments(found, malformed)


def _parse_claim(kind: str, rest: str, today: date) -> tuple[str, Provenance | None]:
    claim = _CLAIM.match(rest)
    if not claim:
        return "expected '<reference>; checked YYYY-MM-DD' with an optional '(offline)'", None
    reference = claim["ref"]
    if not (_GITHUB.match(reference) or _URL.match(reference)):
        return (
            f"reference {reference!r} is neither github:<owner>/<repo>/<path> nor an https URL",
            None,
        )
    try:
        checked = date.fromisoformat(claim["date"])
    except ValueError:
        return f"{claim['date']} is not a date", None
    if checked > today:
        return f"{checked} is in the future", None
    offline = claim["offline"] is not None
    return "", Provenance(kind, reference, checked, offline, claim["note"] or "")
