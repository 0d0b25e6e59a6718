"""The two shared extraction sets, read into one shape.

- zyte (`../shared/benchmarks/extraction`): 120 pages, mostly English, body only
  (`ground-truth.json`: `{id: {"articleBody", "url"}}`).
- fundus (`../shared/benchmarks/fundus`): 171 pages of real publishers in 21 languages,
  with body, title, authors, publishing date and language (`truth.json`).
"""

from __future__ import annotations

import ast
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared" / "benchmarks").resolve()
SET_DIRS = {"zyte": SHARED / "extraction", "fundus": SHARED / "fundus"}


@dataclass
class Page:
    set_name: str
    page_id: str
    url: str
    html: str
    body: str
    lang: str = ""  # the body's language, where the set says
    title: str | None = None  # metadata truth, where the set has it
    published_day: str | None = None  # YYYY-MM-DD as the page dates it
    authors: list[str] | None = None
    publisher: str = ""  # who published it, where the set says (for held-out splits)


def load_set(name: str, data: Path | None = None) -> list[Page]:
    directory = data or SET_DIRS[name]
    if name == "zyte":
        return _load(directory, "ground-truth.json", name, _zyte_page)
    return _load(directory, "truth.json", name, _fundus_page)


def _load(directory: Path, truth_file: str, name: str, make) -> list[Page]:  # type: ignore[no-untyped-def]
    truth = json.loads((directory / truth_file).read_text(encoding="utf-8"))
    pages = []
    for path in sorted((directory / "html").glob("*.html.gz")):
        page_id = path.name.split(".")[0]
        if page_id in truth:
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            pages.append(make(name, page_id, html, truth[page_id]))
    return pages


def _zyte_page(name: str, page_id: str, html: str, entry: dict[str, object]) -> Page:
    return Page(
        name, page_id, str(entry.get("url") or ""), html, str(entry.get("articleBody") or "")
    )


def _fundus_page(name: str, page_id: str, html: str, entry: dict[str, object]) -> Page:
    date = str(entry.get("publishing_date") or "")
    return Page(
        name,
        page_id,
        str(entry.get("url") or ""),
        html,
        str(entry.get("articleBody") or ""),
        lang=str(entry.get("lang") or ""),
        title=str(entry["title"]) if entry.get("title") else None,
        published_day=date[:10] or None,
        authors=_author_list(entry.get("authors")),
        publisher=str(entry.get("publisher") or ""),
    )


def _author_list(value: object) -> list[str] | None:
    """Fundus writes the list as its Python repr; no list means no truth for the field."""
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return None
    if isinstance(value, list) and value:
        return [str(name) for name in value]
    return None
