"""The SQLite backend: migrations, idempotent batched saves, aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsspiders.sources import parse_sources
from newsspiders.urls import url_hash
from pipelines.storage import SchemaError, Storage, open_backend, prepare_schema
from pipelines.storage.migrations import latest_version
from pipelines.storage.sqlite import SQLiteBackend


def row(n: int, text: str | None = None, extra_urls: tuple[str, ...] = ()) -> dict:
    url = f"https://example.org/story-{n}"
    urls = {url_hash(u): u for u in (url, *extra_urls)}
    return {
        "source": "example", "country": "FR", "url": url, "url_hash": url_hash(url),
        "title": f"Titre {n}", "text": text or f"Texte numéro {n}", "language": "fr",
        "translation_status": "pending", "fetched_at": "2026-11-25T00:00:00+00:00",
        "authors": ["A. Auteur"], "word_count": 3, "content_hash": f"hash-{text or n}", "urls": urls,
    }  # fmt: skip


@pytest.fixture
def backend(tmp_path: Path) -> SQLiteBackend:
    db = open_backend(f"sqlite:///{tmp_path}/sub/news.db")
    assert isinstance(db, SQLiteBackend)
    prepare_schema(db)
    return db


def test_fresh_database_gets_the_whole_schema(backend: SQLiteBackend) -> None:
    assert backend.schema_version() == latest_version("sqlite") >= 1
    assert backend.migrate() == []  # nothing left to apply


def test_saving_twice_stores_once(backend: SQLiteBackend) -> None:
    assert backend.save_articles([row(1), row(2)]).inserted == 2
    again = backend.save_articles([row(1), row(2)])
    assert (again.inserted, again.aliased) == (0, 2)
    stored = backend.articles()
    assert len(stored) == 2 and stored[0]["authors"] == ["A. Auteur"]


def test_same_text_under_another_url_becomes_an_alias(backend: SQLiteBackend) -> None:
    backend.save_articles([row(1, text="same")])
    result = backend.save_articles([row(2, text="same")])
    assert (result.inserted, result.aliased) == (0, 1)
    hashes = [url_hash("https://example.org/story-1"), url_hash("https://example.org/story-2")]
    assert backend.known_urls([*hashes, "unknown"]) == set(hashes)


def test_find_article_by_url_or_text(backend: SQLiteBackend) -> None:
    backend.save_articles([row(1, extra_urls=("https://example.org/canonical-1",))])
    article_id = backend.articles()[0]["id"]
    assert backend.find_article([url_hash("https://example.org/canonical-1")], "x") == article_id
    assert backend.find_article(["nope"], "hash-1") == article_id
    assert backend.find_article(["nope"], "nope") is None
    backend.add_aliases(
        article_id, {url_hash("https://m.example.org/1"): "https://m.example.org/1"}
    )
    assert backend.known_urls([url_hash("https://m.example.org/1")])


def test_sources_are_synced(backend: SQLiteBackend) -> None:
    sources = parse_sources(
        "sources:\n  - {name: a, country: FR, language: [fr, br], homepage: 'https://a.fr/',"
        " feeds: ['https://a.fr/rss']}\n"
    )
    backend.sync_sources(sources)
    backend.sync_sources(sources)
    rows = backend.conn.execute("SELECT name, languages FROM sources").fetchall()
    assert [tuple(r) for r in rows] == [("a", "fr,br")]


def test_older_schema_is_refused_with_the_fix(
    backend: SQLiteBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The code moving one migration ahead of the database.
    ahead = latest_version("sqlite") + 1
    monkeypatch.setattr("pipelines.storage.latest_version", lambda name: ahead)
    with pytest.raises(SchemaError, match="run `scrapy initdb`"):
        prepare_schema(backend)


def test_bad_database_url_does_not_echo_the_password() -> None:
    with pytest.raises(ValueError) as caught:
        open_backend("mysql://user:hunter2@db.example.org/news")
    assert "hunter2" not in str(caught.value) and "mysql" in str(caught.value)


def test_storage_runs_the_backend_on_its_own_thread(tmp_path: Path) -> None:
    storage = Storage(f"sqlite:///{tmp_path}/t.db")
    assert storage.call(storage.backend.save_articles, [row(7)]).inserted == 1
    assert storage.call(storage.backend.known_urls, [url_hash("https://example.org/story-7")])
    storage.close()
