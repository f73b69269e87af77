"""Loopback HTTP servers that record every request: a "public" provincial portal on
127.0.0.2 (the only allowed host in the SSRF tests) and "internal" services on
127.0.0.1 and ::1 that a harvest must never reach."""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
from typing import Iterator

# What an internal service answers: a report that quoted it would show this.
INTERNAL_BODY = b"INTERNAL-SECRET-7f000001 @prefix broken <"


class Recorder:
    """The requests a server received and what it answers.

    ``routes`` maps a path (with query) to (status, headers, body); other paths get
    ``default``.
    """

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.hits: list[tuple[str, dict]] = []
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.default: tuple[int, dict, bytes] = (404, {}, b"")

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def page(self, path: str, body: bytes, content_type: str = "text/turtle"):
        self.routes[path] = (200, {"Content-Type": content_type}, body)

    def redirect(self, path: str, location: str, status: int = 302):
        self.routes[path] = (status, {"Location": location}, b"")

    def headers(self, name: str) -> list[str | None]:
        return [seen.get(name) for _path, seen in self.hits]


def _handler(recorder: Recorder):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            recorder.hits.append((self.path, dict(self.headers)))
            status, headers, body = recorder.routes.get(self.path, recorder.default)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    return Handler


@contextlib.contextmanager
def recording_server(host: str) -> Iterator[Recorder]:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET

    class Server(http.server.ThreadingHTTPServer):
        address_family = family

    recorder = Recorder(host, 0)
    server = Server((host, 0), _handler(recorder))
    recorder.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()


def ipv6_loopback_works() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False
