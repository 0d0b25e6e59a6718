"""Translation providers and the chain, against the local multi-provider server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsspiders.testing.sites import load_sites
from newsspiders.testing.translate_server import TranslateServer
from pipelines.storage import Storage
from pipelines.translate.article import ArticleTranslator
from pipelines.translate.chain import Budget, RetryPolicy, TranslatorChain, parse_budgets
from pipelines.translate.chunking import join_pieces, split_text, url_encoded_length
from pipelines.translate.language_codes import deepl_target, google_code
from pipelines.translate.providers.deep_translator_providers import google
from pipelines.translate.providers.deepl_client import DeepLTranslator
from pipelines.translate.providers.libretranslate import LibreTranslateClient
from pipelines.translate.providers.provider import TransientError, TranslationError

SITES = load_sites()
FRENCH = SITES["lejournal"].articles[0]
RUSSIAN = SITES["vestnik"].articles[0]
JAPANESE = SITES["nichinichi"].articles[0]


@pytest.fixture
def server(translator: TranslateServer) -> Iterator[TranslateServer]:
    translator.reset()
    yield translator
    translator.reset()


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def chain_of(*providers: object, attempts: int = 3) -> tuple[TranslatorChain, Sleeps]:
    sleeps = Sleeps()
    retry = RetryPolicy(attempts=attempts, base_delay=0.5, sleep=sleeps)
    return TranslatorChain(list(providers), retry), sleeps  # type: ignore[arg-type]


def test_one_request_translates_a_whole_batch_in_order(server: TranslateServer) -> None:
    client = LibreTranslateClient(server.url)
    texts = [FRENCH.title, *FRENCH.paragraphs]
    assert client.translate(texts, "fr", "en") == [FRENCH.title_en, *FRENCH.paragraphs_en]
    assert server.batches == [texts] and client.usage.requests == 1
    # Characters are charged by the chain once it accepts an answer, not by the client.
    assert client.usage.characters == 0


def test_long_text_is_chunked_and_reassembled_in_order(server: TranslateServer) -> None:
    server.echo_unknown = True
    client = LibreTranslateClient(server.url, limit=400)
    chain, _ = chain_of(client)
    # One paragraph of ~2,000 characters the server has no translation for: it echoes.
    long_paragraph = " ".join(p.upper() for p in FRENCH.paragraphs)
    (english,), provider = chain.translate_batch([long_paragraph], "fr", "en")
    pieces = [text for batch in server.batches for text in batch]
    assert all(len(piece) <= 400 for piece in pieces) and len(pieces) > 4
    assert english == " ".join(f"[fr>en] {piece}" for piece in pieces)
    assert provider == "libretranslate"
    # Every piece ends at a sentence end: no sentence was cut.
    assert all(piece.rstrip().endswith((".", "»", '"', "”")) for piece in pieces)


@pytest.mark.parametrize("article", [RUSSIAN, JAPANESE], ids=["cyrillic", "cjk"])
def test_chunks_fit_url_encoded_limits_of_non_latin_text(article) -> None:
    text = " ".join(article.paragraphs)
    pieces = split_text(text, 1500, url_encoded_length)
    assert len(pieces) > 1
    assert all(url_encoded_length(p.text) <= 1500 for p in pieces)
    assert join_pieces(pieces, [p.text for p in pieces]) == text


def test_a_word_longer_than_the_limit_is_cut_safely() -> None:
    pieces = split_text("short " + "x" * 50 + " end", 20)
    assert all(len(p.text) <= 20 for p in pieces)
    assert join_pieces(pieces, [p.text for p in pieces]) == "short " + "x" * 50 + " end"


def test_429_with_retry_after_then_success(server: TranslateServer) -> None:
    server.fail_next(429, times=2, retry_after=1.5)
    chain, sleeps = chain_of(LibreTranslateClient(server.url))
    assert chain.translate_batch([FRENCH.title], "fr", "en") == (
        [FRENCH.title_en],
        "libretranslate",
    )
    assert sleeps == [1.5, 1.5] and len(server.batches) == 3


def test_500_storm_moves_on_to_the_next_provider(server: TranslateServer) -> None:
    server.fail_next(500, times=3)
    first = LibreTranslateClient(server.url)
    second = DeepLTranslator("key:fx", server_url=server.url)
    chain, sleeps = chain_of(first, second)
    assert chain.translate_batch([FRENCH.title], "fr", "en") == ([FRENCH.title_en], "deepl")
    assert first.usage.requests == 3 and second.usage.requests == 1
    assert len(sleeps) == 2 and all(0 <= s <= 1.0 for s in sleeps)  # jittered backoff


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_timeouts_are_honoured_for_our_client_and_deep_translator(silent_server: str) -> None:
    for provider in (
        LibreTranslateClient(silent_server, timeout=0.5),
        google(timeout=0.5, base_url=silent_server + "/m"),
    ):
        started = time.monotonic()
        with pytest.raises(TransientError, match="timed out"):
            provider.translate(["Bonjour"], "fr", "en")
        assert time.monotonic() - started < 3


def test_every_provider_down_is_one_error_naming_each() -> None:
    chain, _ = chain_of(
        LibreTranslateClient("http://127.0.0.1:9", timeout=1),
        google(timeout=1, base_url="http://127.0.0.1:9/m"),
        attempts=2,
    )
    with pytest.raises(TranslationError, match="libretranslate: .*; google: .*after 2 attempts"):
        chain.translate_batch(["x"], "fr", "en")


def test_google_adapter_speaks_to_a_google_shaped_server(server: TranslateServer) -> None:
    provider = google(timeout=5, base_url=server.url + "/m")
    hebrew_free = [RUSSIAN.title, RUSSIAN.paragraphs[0]]
    assert provider.translate(hebrew_free, "ru", "en") == [
        RUSSIAN.title_en,
        RUSSIAN.paragraphs_en[0],
    ]
    assert provider.usage.requests == 2  # deep-translator: one request per text


def test_provider_language_codes() -> None:
    assert google_code("he") == "iw" and google_code("zh") == "zh-CN"
    assert google_code("zh-Hant") == "zh-TW" and google_code("fr") == "fr"
    assert deepl_target("en") == "EN-US"
    assert not google(timeout=1).supports("xx", "en")
    assert DeepLTranslator("k", server_url="http://127.0.0.1:9").supports("ja", "en")
    assert not DeepLTranslator("k", server_url="http://127.0.0.1:9").supports("sw", "en")


def test_deepl_adapter_through_server_url(server: TranslateServer) -> None:
    provider = DeepLTranslator("secret-key:fx", server_url=server.url)
    texts = [JAPANESE.title, *JAPANESE.paragraphs]
    assert provider.translate(texts, "ja", "en") == [JAPANESE.title_en, *JAPANESE.paragraphs_en]
    assert len(server.batches) == 1


def test_errors_never_carry_keys_or_text(server: TranslateServer) -> None:
    server.fail_next(403)
    provider = DeepLTranslator("secret-key:fx", server_url=server.url)
    with pytest.raises(TranslationError) as caught:
        provider.translate(["Un texte confidentiel"], "fr", "en")
    assert "secret-key" not in str(caught.value) and "confidentiel" not in str(caught.value)


def test_budget_stops_sending_before_the_quota(server: TranslateServer) -> None:
    assert parse_budgets("google=10, deepl=500") == {"google": 10, "deepl": 500}
    client = LibreTranslateClient(server.url)
    chain = TranslatorChain(
        [client], budget=Budget({"libretranslate": 100}, {"libretranslate": 90})
    )
    with pytest.raises(TranslationError, match="budget"):
        chain.translate_batch([FRENCH.title], "fr", "en")
    assert client.usage.requests == 0 and server.batches == []


@pytest.mark.each_backend
def test_cache_makes_a_second_translation_free(server: TranslateServer, database_url: str) -> None:
    storage = Storage(database_url)
    client = LibreTranslateClient(server.url)
    translator = ArticleTranslator(TranslatorChain([client]), storage)
    first = translator.translate(FRENCH.title, FRENCH.text, "fr")
    assert first.status == "done" and first.text_en == "\n".join(FRENCH.paragraphs_en)
    again = translator.translate(FRENCH.title, FRENCH.text, "fr")
    assert again == first.__class__(
        first.title_en, first.text_en, "done", "cache", None, cache_hits=6
    )
    # An edited copy pays only for its new paragraph.
    edited = FRENCH.text + "\n" + SITES["lejournal"].articles[1].paragraphs[0]
    translator.translate(FRENCH.title, edited, "fr")
    assert client.usage.requests == 2 and server.batches[-1] == [
        SITES["lejournal"].articles[1].paragraphs[0]
    ]
    storage.close()


def test_failure_is_pending_with_the_reason(tmp_path: Path) -> None:
    storage = Storage(f"sqlite:///{tmp_path}/cache.db")
    dead = LibreTranslateClient("http://127.0.0.1:9", timeout=1)
    chain, _ = chain_of(dead, attempts=1)
    outcome = ArticleTranslator(chain, storage).translate(FRENCH.title, FRENCH.text, "fr")
    assert outcome.status == "pending" and outcome.title_en is None
    assert "libretranslate: ConnectionError" in (outcome.error or "")
    assert (
        ArticleTranslator(chain, storage).translate("Hi", "Hello there", "en").status
        == "not_needed"
    )
    storage.close()
