"""A local translation server speaking three real providers' HTTP APIs.

- LibreTranslate: POST /translate (JSON or form), GET /languages
- DeepL: POST /v2/translate (what the official `deepl` client sends through server_url),
  GET /v2/languages
- Google's web endpoint as deep-translator reads it: GET /m?sl=..&tl=..&q=..

It knows the English we wrote for every fixture title and paragraph; anything else is
refused (HTTP 400), as a provider refusing input would, so a mis-extracted page shows up
as an untranslated article — unless `echo_unknown` is set, for tests that send text of
their own. It also knows the probe word of `scrapy translators check`. It lists the
fixture sites' languages, or exactly `languages` when a test sets it (and then refuses
the others). Tests can script faults (`fail_next`, `hang_next`) and bad answers (`mode`:
'echo' gives the input back, 'french' answers in French, 'junk' answers 200 with items
that are not text, 'echo_key' refuses with an error quoting the API key sent); GET /stats
reports the requests and characters seen.

    python -m newsspiders.testing.translate_server --port 18080
"""

from __future__ import annotations

import argparse
import html
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from newsspiders.testing.http import QuietHandler
from newsspiders.testing.sites import Site, load_sites, translation_table
from pipelines.translate.probe import PROBE_SOURCE, PROBE_TEXT

# Provider spellings of our language codes, back to ours.
_FROM_PROVIDER = {
    "iw": "he", "zh-cn": "zh", "zh-tw": "zh", "zt": "zh", "jw": "jv", "no": "nb",
    "en-us": "en", "en-gb": "en",
}  # fmt: skip


# What a provider answering in the wrong language says, whatever it was asked.
FRENCH_ANSWER = (
    "Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les agriculteurs"
    " touchés par la sécheresse de cet été."
)
# A 200 answer whose items are not translations.
JUNK_ANSWERS: list[Any] = [123, None, "", "  "]


def _ours(code: str) -> str:
    return _FROM_PROVIDER.get(code.lower(), code.lower())


class TranslateServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.table = translation_table()
        self.table[(PROBE_SOURCE, PROBE_TEXT)] = "Hello"
        self.fixture_languages = sorted({s.language for s in load_sites().values()} | {"en"})
        # Set by a test: the only source languages listed and translated.
        self.languages: list[str] | None = None
        self.requests = 0
        self.characters = 0
        self.batches: list[list[str]] = []  # every request's texts, in arrival order
        self.echo_unknown = False
        self.mode: str | None = None  # a misbehaving provider: see the module's docstring
        self.latency = 0.0  # seconds every translation request takes (benchmarks)
        self.in_flight = 0
        self.max_in_flight = 0
        self._faults: list[tuple[str, int, float | None]] = []
        self._lock = threading.Lock()
        self.http = ThreadingHTTPServer((host, port), self._handler())
        self.http.daemon_threads = True
        self.url = f"http://{host}:{self.http.server_port}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def learn(self, site: Site) -> None:
        """Know the English of every title and paragraph of `site`: a synthetic site's
        numbered titles and sentences are not in the fixture table."""
        self.table.update(translation_table([site]))

    # --- scripting faults --------------------------------------------------------

    def fail_next(self, status: int, times: int = 1, retry_after: float | None = None) -> None:
        """The next `times` translation requests answer `status`."""
        with self._lock:
            self._faults.extend([("status", status, retry_after)] * times)

    def hang_next(self, seconds: float, times: int = 1) -> None:
        """The next `times` translation requests answer only after `seconds`."""
        with self._lock:
            self._faults.extend([("hang", 0, seconds)] * times)

    def reset(self) -> None:
        with self._lock:
            self._faults.clear()
            self.batches.clear()
            self.echo_unknown = False
            self.languages = None
            self.mode = None

    def _take_fault(self) -> tuple[str, int, float | None] | None:
        with self._lock:
            return self._faults.pop(0) if self._faults else None

    # --- translating -------------------------------------------------------------

    def translate(self, texts: list[str], source: str, target: str) -> list[Any] | str:
        """The translations, or an error message."""
        source, target = _ours(source), _ours(target)
        if self.mode == "echo":
            return list(texts)
        if self.mode == "french":
            return [FRENCH_ANSWER for _ in texts]
        if self.mode == "junk":
            return [JUNK_ANSWERS[i % len(JUNK_ANSWERS)] for i in range(len(texts))]
        if target != "en":
            return f"target language {target!r} is not supported"
        if self.languages is not None and source not in self.languages:
            return f"source language {source!r} is not supported"
        out = []
        for text in texts:
            english = self.table.get((source, " ".join(text.split())))
            if english is None and self.echo_unknown:
                english = f"[{source}>en] {text}"
            if english is None:
                return f"cannot translate this {source!r} text: {text[:60]!r}"
            out.append(english)
        return out

    def listed(self) -> list[str]:
        return self.fixture_languages if self.languages is None else self.languages

    def _count(self, texts: list[str]) -> None:
        with self._lock:
            self.requests += 1
            self.characters += sum(len(t) for t in texts)
            self.batches.append(list(texts))

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        if self.latency:
            time.sleep(self.latency)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                if parts.path == "/languages":
                    self._json(200, [
                        {"code": c, "name": c, "targets": ["en"]} for c in server.listed()
                    ])  # fmt: skip
                elif parts.path == "/v2/languages":
                    self._json(200, [
                        {"language": c.upper(), "name": c} for c in server.listed() if c != "en"
                    ])  # fmt: skip
                elif parts.path == "/stats":
                    self._json(200, {"requests": server.requests, "characters": server.characters})
                elif parts.path == "/m":
                    server._enter()
                    try:
                        self._google(dict(parse_qsl(parts.query)))
                    finally:
                        server._leave()
                else:
                    self._json(404, {"error": "not found"})

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if "json" in (self.headers.get("Content-Type") or ""):
                    payload: dict[str, Any] = json.loads(body or b"{}")
                else:
                    payload = dict(parse_qsl(body.decode()))
                if self.path not in ("/translate", "/v2/translate"):
                    self._json(404, {"error": "not found"})
                    return
                server._enter()
                try:
                    if self.path == "/translate":
                        self._libretranslate(payload)
                    else:
                        self._deepl(payload)
                finally:
                    server._leave()

            def _faulted(self) -> bool:
                fault = server._take_fault()
                if fault is None:
                    return False
                kind, status, value = fault
                if kind == "hang":
                    time.sleep(value or 0)
                    return False
                headers = {"Retry-After": f"{value:g}"} if value is not None else {}
                self._json(status, {"error": "scripted fault", "message": "scripted"}, headers)
                return True

            def _libretranslate(self, payload: dict[str, Any]) -> None:
                q = payload.get("q")
                texts = q if isinstance(q, list) else [q or ""]
                server._count(texts)
                if self._faulted():
                    return
                if server.mode == "echo_key":
                    self._json(400, {"error": f"Invalid API key: {payload.get('api_key')}"})
                    return
                result = server.translate(
                    texts, payload.get("source", ""), payload.get("target", "")
                )
                if isinstance(result, str):
                    self._json(400, {"error": result})
                else:
                    self._json(
                        200, {"translatedText": result if isinstance(q, list) else result[0]}
                    )

            def _deepl(self, payload: dict[str, Any]) -> None:
                if not (self.headers.get("Authorization") or "").startswith("DeepL-Auth-Key "):
                    self._json(403, {"message": "Authorization failed"})
                    return
                texts = payload.get("text") or []
                server._count(texts)
                if self._faulted():
                    return
                source = payload.get("source_lang", "")
                result = server.translate(texts, source, payload.get("target_lang", ""))
                if isinstance(result, str):
                    self._json(400, {"message": result})
                else:
                    self._json(200, {"translations": [
                        {"detected_source_language": source, "text": t, "billed_characters": len(o)}
                        for t, o in zip(result, texts, strict=True)
                    ]})  # fmt: skip

            def _google(self, params: dict[str, str]) -> None:
                text = params.get("q", "")
                server._count([text])
                if self._faulted():
                    return
                result = server.translate([text], params.get("sl", ""), params.get("tl", ""))
                if isinstance(result, str):
                    self.reply(400, b"<html><body>Error 400</body></html>", "text/html")
                    return
                answer = html.escape(str(result[0] or ""))
                page = f'<html><body><div class="result-container">{answer}</div></body></html>'
                self.reply(200, page.encode(), "text/html; charset=utf-8")

            def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
                body = json.dumps(data, ensure_ascii=False).encode()
                self.reply(status, body, "application/json", **(headers or {}))

        return Handler

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=18080)
    args = parser.parse_args()
    server = TranslateServer(args.host, args.port)
    print(f"translator   {server.url}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
