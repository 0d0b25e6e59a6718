"""Storage backends, SQLite and PostgreSQL through the same test bodies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsspiders.sources.model import parse_sources
from newsspiders.testing.sites import load_sites
from newsspiders.urls import url_hash
from pipelines.dedup.fingerprints import fingerprint
from pipelines.storage import SchemaError, SQLBackend, Storage, open_backend, prepare_schema
from pipelines.storage.migrations import latest_version
from tests.conftest import query

# Every test with a database: on SQLite and on PostgreSQL.
pytestmark = pytest.mark.each_backend

WIRE = {a.variant: a for site in load_sites().values() for a in site.articles if a.wire}
EVENT = [a for site in load_sites().values() for a in site.articles if a.event]


def row(n: int, text: str | None = None, extra_urls: tuple[str, ...] = ()) -> dict:
    url = f"https://example.org/story-{n}"
    urls = {url_hash(u): u for u in (url, *extra_urls)}
    text = text or f"Texte numéro {n}"
    found = fingerprint(text)
    return {
        "source": "example", "country": "FR", "url": url, "url_hash": url_hash(url),
        "title": f"Titre {n}", "text": text, "language": "fr",
        "translation_status": "pending", "fetched_at": "2026-11-25T00:00:00+00:00",
        "authors": ["A. Auteur"], "word_count": 3, "content_hash": f"hash-{text}",
        "urls": urls, "bands": found.bands if found else [],
    }  # fmt: skip


@pytest.fixture
def backend(database_url: str) -> Iterator[SQLBackend]:
    db = open_backend(database_url)
    assert isinstance(db, SQLBackend)
    prepare_schema(db)
    yield db
    db.close()


def test_fresh_database_gets_the_whole_schema(backend: SQLBackend) -> None:
    assert backend.schema_version() == latest_version(backend.name) == 14
    assert backend.migrate() == []  # nothing left to apply


def test_saving_twice_stores_once(backend: SQLBackend) -> None:
    assert backend.save_articles([row(1), row(2)]).inserted == 2
    again = backend.save_articles([row(1), row(2)])
    assert (again.inserted, again.aliased) == (0, 2)
    stored = backend.articles()
    assert len(stored) == 2 and stored[0]["authors"] == ["A. Auteur"]
    assert stored[0]["fetched_at"].tzinfo is not None


def test_same_text_under_another_url_becomes_an_alias(backend: SQLBackend) -> None:
    backend.save_articles([row(1, text="same")])
    result = backend.save_articles([row(2, text="same")])
    assert (result.inserted, result.aliased) == (0, 1)
    hashes = [url_hash("https://example.org/story-1"), url_hash("https://example.org/story-2")]
    assert backend.known_urls([*hashes, "unknown"]) == set(hashes)


def test_find_article_by_url_or_text(backend: SQLBackend) -> None:
    backend.save_articles([row(1, extra_urls=("https://example.org/canonical-1",))])
    article_id = backend.articles()[0]["id"]
    assert backend.find_article([url_hash("https://example.org/canonical-1")], "x") == article_id
    assert backend.find_article(["nope"], "hash-Texte numéro 1") == article_id
    assert backend.find_article(["nope"], "nope") is None
    mobile = "https://m.example.org/1"
    backend.add_aliases(article_id, {url_hash(mobile): mobile})
    assert backend.known_urls([url_hash(mobile)])
    assert mobile in backend.article_urls(article_id)


def test_edited_wire_copies_point_at_the_first_copy(backend: SQLBackend) -> None:
    original = backend.save_articles([row(1, WIRE["original"].text)])
    assert (original.inserted, original.near_duplicates) == (1, 0)
    copies = backend.save_articles([row(2, WIRE["trimmed"].text), row(3, WIRE["extended"].text)])
    assert (copies.inserted, copies.near_duplicates) == (2, 2)
    others = backend.save_articles([row(4 + i, a.text) for i, a in enumerate(EVENT)])
    assert (others.inserted, others.near_duplicates) == (len(EVENT), 0)
    by_url = {a["url"]: a for a in backend.articles()}
    first = by_url["https://example.org/story-1"]["id"]
    assert by_url["https://example.org/story-1"]["duplicate_of"] is None
    assert by_url["https://example.org/story-2"]["duplicate_of"] == first
    assert by_url["https://example.org/story-3"]["duplicate_of"] == first


def test_sources_are_synced(backend: SQLBackend, database_url: str) -> None:
    sources = parse_sources(
        "sources:\n  - {name: a, country: FR, language: [fr, br], homepage: 'https://a.fr/',"
        " feeds: ['https://a.fr/rss']}\n"
    )
    backend.sync_sources([source.as_row() for source in sources])
    backend.sync_sources([source.as_row() for source in sources])
    rows = query(database_url, "SELECT name, languages FROM sources")
    assert rows == [{"name": "a", "languages": "fr,br"}]


def test_older_schema_is_refused_with_the_fix(
    backend: SQLBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The code moving one migration ahead of the database.
    ahead = latest_version(backend.name) + 1
    monkeypatch.setattr("pipelines.storage.opening.latest_version", lambda name: ahead)
    with pytest.raises(SchemaError, match="run `scrapy initdb`"):
        prepare_schema(backend)


def test_bad_database_url_does_not_echo_the_password() -> None:
    with pytest.raises(ValueError) as caught:
        open_backend("mysql://user:hunter2@db.example.org/news")
    assert "hunter2" not in str(caught.value) and "mysql" in str(caught.value)


def test_unreachable_postgres_is_named_without_the_password() -> None:
    from pipelines.storage import StorageUnavailable

    with pytest.raises(StorageUnavailable) as caught:
        open_backend("postgresql://news:hunter2@127.0.0.1:9/news?connect_timeout=1")
    assert "hunter2" not in str(caught.value) and "127.0.0.1:9" in str(caught.value)


def test_storage_runs_the_backend_on_its_own_thread(tmp_path: Path) -> None:
    storage = Storage(f"sqlite:///{tmp_path}/t.db")
    assert storage.call(storage.backend.save_articles, [row(7)]).inserted == 1
    assert storage.call(storage.backend.known_urls, [url_hash("https://example.org/story-7")])
    storage.close()
