"""The LibreTranslate client and the provider chain against local servers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from pipelines.translators import TranslationError, TranslatorChain
from pipelines.translators.base import pack_batches
from pipelines.translators.libretranslate import LibreTranslateClient
from tests.fixtures.sites import load_sites
from tests.fixtures.translate_server import TranslateServer

ARTICLE = load_sites()["lejournal"].articles[0]


def test_one_request_translates_a_whole_batch_in_order(translator: TranslateServer) -> None:
    client = LibreTranslateClient(translator.url)
    before = translator.requests
    texts = [ARTICLE.title, *ARTICLE.paragraphs]
    assert client.translate_batch(texts, "fr", "en") == [ARTICLE.title_en, *ARTICLE.paragraphs_en]
    assert translator.requests - before == 1 == client.requests_made
    assert client.characters_sent == sum(map(len, texts))


def test_batches_respect_the_size_limit(translator: TranslateServer) -> None:
    client = LibreTranslateClient(translator.url, max_chars=800)
    texts = ARTICLE.paragraphs
    assert client.translate_batch(texts, "fr", "en") == ARTICLE.paragraphs_en
    assert client.requests_made == len(pack_batches(texts, 800)) > 1
    assert all(sum(map(len, b)) <= 800 or len(b) == 1 for b in pack_batches(texts, 800))


def test_refusal_is_an_error_without_the_text(translator: TranslateServer) -> None:
    client = LibreTranslateClient(translator.url)
    with pytest.raises(TranslationError, match="HTTP 400") as caught:
        client.translate_batch(["Texte inconnu du serveur, très secret."], "fr", "en")
    assert "secret" not in str(caught.value).split("cannot translate")[0]


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


def test_timeout_is_honoured(silent_server: str) -> None:
    client = LibreTranslateClient(silent_server, timeout=0.5)
    started = time.monotonic()
    with pytest.raises(TranslationError, match="Timeout"):
        client.translate_batch(["Bonjour"], "fr", "en")
    assert time.monotonic() - started < 5


def test_chain_moves_to_the_next_provider(translator: TranslateServer) -> None:
    dead = LibreTranslateClient("http://127.0.0.1:9", timeout=1)
    chain = TranslatorChain([dead, LibreTranslateClient(translator.url)])
    translated, provider = chain.translate_batch([ARTICLE.title], "fr", "en")
    assert translated == [ARTICLE.title_en] and provider == "libretranslate"
    assert dead.requests_made == 1


def test_chain_fails_when_every_provider_fails() -> None:
    chain = TranslatorChain([LibreTranslateClient("http://127.0.0.1:9", timeout=1)])
    with pytest.raises(TranslationError, match="ConnectionError"):
        chain.translate_batch(["x"], "fr", "en")
