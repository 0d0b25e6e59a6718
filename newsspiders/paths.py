"""The project root, and the paths of the settings taken from it.

Relative paths in NEWS_SOURCES, NEWS_DATABASE_URL (SQLite) and NEWS_JOURNAL_DIR mean the
same from any working directory: they are read from the project root, the directory
holding the nearest scrapy.cfg (Scrapy's own notion of "inside a project"), else the
checkout the package was installed from. A run from `docs/` uses `data/news.db` of the
project, not `docs/data/news.db`.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.utils.conf import closest_scrapy_cfg

from pipelines.storage.urls import DatabaseUrlError, parse_database_url


def project_root() -> Path:
    config = closest_scrapy_cfg()
    return Path(config).resolve().parent if config else Path(__file__).resolve().parents[1]


def project_path(value: str) -> str:
    """A path setting, absolute: a relative one is taken from the project root."""
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else project_root() / path)


def project_database_url(url: str) -> str:
    """A SQLite URL with its relative path made absolute; any other URL unchanged (a
    malformed one too: the command that uses it reports it in one line)."""
    try:
        target = parse_database_url(url, base=project_root())
    except DatabaseUrlError:
        return url
    return f"sqlite:///{target.path}" if target.kind == "sqlite" else url
