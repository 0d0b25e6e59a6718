"""Serve the fixture news sites on 127.0.0.1, one port per site (robots.txt is per host).

python -m newsspiders.testing.serve --base-port 18081      # sites on 18081, 18082, ...
"""

from __future__ import annotations

import argparse
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from newsspiders.testing.http import QuietHandler
from newsspiders.testing.sites import SITE_ORDER, Site, load_sites, render

DEMO_SOURCES = Path(__file__).resolve().parents[2] / "config" / "sources.demo.yaml"
DEMO_BASE_PORT = 18081  # the ports config/sources.demo.yaml names, in SITE_ORDER


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class SiteHandler(QuietHandler):
        server_version = "FixtureNews/1.0"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            parts = urlsplit(self.path)
            time.sleep(getattr(self.server, "delay", 0))  # a slow site, so crawls overlap
            fault = getattr(self.server, "fault", None)
            if fault == "500":
                self.send_error(500)
                return
            if fault == "garbage" and parts.path.endswith((".xml", ".xml.gz", "/news/")):
                self.reply(200, b"\x00\x13garbage, not a feed <<<", "application/xml")
                return
            host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_port}"  # type: ignore[attr-defined]
            base = f"http://{host}"
            page = render(site, base, parts.path, dict(parse_qsl(parts.query)))
            if page is None:
                self.send_error(404)
                return
            self.reply(200, page.body, page.content_type)

    return SiteHandler


def feed_source(name: str, country: str, language: str, base_url: str) -> str:
    """A sources file of one source read through `<base_url>/rss.xml`."""
    return (
        f"sources:\n  - {{name: {name}, country: {country}, language: {language},"
        f" homepage: '{base_url}/', feeds: ['{base_url}/rss.xml']}}\n"
    )


class FixtureSites:
    """All fixture sites running in background threads; `urls[site]` is each base URL."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        base_port: int = 0,
        sites: list[Site] | None = None,
        delay: float = 0,
    ):
        self.servers: dict[str, ThreadingHTTPServer] = {}
        chosen = sites if sites is not None else [load_sites()[key] for key in SITE_ORDER]
        for offset, site in enumerate(chosen):
            port = base_port + offset if base_port else 0
            key = site.key
            server = ThreadingHTTPServer((host, port), handler_for(site))
            server.daemon_threads = True
            server.delay = delay  # type: ignore[attr-defined]  # seconds before each answer
            self.servers[key] = server
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.urls = {key: f"http://{host}:{s.server_port}" for key, s in self.servers.items()}

    def break_site(self, key: str, fault: str | None) -> None:
        """'500': every page answers 500; 'garbage': feeds and sitemaps are garbage;
        None: the site works again."""
        self.servers[key].fault = fault  # type: ignore[attr-defined]

    def demo_sources(self) -> str:
        """config/sources.demo.yaml pointed at these servers' ports."""
        text = DEMO_SOURCES.read_text(encoding="utf-8")
        for offset, key in enumerate(SITE_ORDER):
            text = text.replace(f"http://127.0.0.1:{DEMO_BASE_PORT + offset}", self.urls[key])
        served = {url.rsplit(":", 1)[1] for url in self.urls.values()}
        unknown = set(re.findall(r"http://127\.0\.0\.1:(\d+)", text)) - served
        if unknown:
            raise ValueError(
                f"config/sources.demo.yaml names ports no fixture site serves: {unknown}"
            )
        return text

    def close(self) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--base-port", type=int, default=18081)
    args = parser.parse_args()
    sites = FixtureSites(args.host, args.base_port)
    for key, url in sites.urls.items():
        print(f"{key:<12} {url}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
