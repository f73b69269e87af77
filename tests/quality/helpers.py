"""A loopback HTTP server that behaves like the links a portal's resources name: one
that works, one missing, one failing, one too slow, one looping, one leading inside,
one with a huge body sent slowly, one refusing HEAD, one limiting its clients. It
counts the requests in progress at once (the politeness the checker promises).

Helpers of the quality tests: a dataset brought by a harvest source.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from collections.abc import Iterator

from ckan.lib.redis import connect_to_redis
from ckanext.harvest.model import HarvestJob, HarvestObject

from tests.harvester.sources import harvest_source
from tests.helpers import serve_tls

SLOW_SECONDS = 3  # /sleep answers after this (the tests' read timeout is 1 s)
HUGE_CHUNK = 8192
# /drip-headers and /drip-body send a byte (a header line) every DRIP_SECONDS, under
# any read timeout, DRIP_COUNT times: only a deadline on the wall clock ends them.
DRIP_SECONDS = 0.3
DRIP_COUNT = 60


def forget_host_gates() -> None:
    """Clear link_gate.py's per-host keys: a test starts with no host held or busy."""
    redis = connect_to_redis()
    for key in redis.scan_iter("vndata:links:host:*"):
        redis.delete(key)


# /huge: HEAD refused, then an endless body sent slowly; /nohead: HEAD refused;
# /sleep: 200 after SLOW_SECONDS.
ANSWERS = {
    "/missing": (404,),
    "/error": (500,),
    "/loop": (302, {"Location": "/loop"}),
    "/private": (302, {"Location": "http://169.254.169.254/latest/"}),
    "/ten-dot": (301, {"Location": "http://10.0.0.1/data.csv"}),
    "/hop": (302, {"Location": "/data.csv"}),
    "/limited": (429, {"Retry-After": "2"}),
}


class LinkServer:
    def __init__(self):
        self.port = 0
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0
        self.requests: list[tuple[str, str, dict]] = []
        self.sent: dict[str, int] = {}  # bytes of body sent per path
        self.pause = 0.0  # seconds every answer waits (to see concurrency)

    scheme = "http"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.origin + path

    def hits(self, path: str) -> list[str]:
        return [method for method, seen, _h in self.requests if seen == path]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    _in_progress = False

    def _answer(self):
        state = self.state
        with state.lock:
            state.requests.append((self.command, self.path, dict(self.headers)))
            state.active += 1
            state.peak = max(state.peak, state.active)
        self._in_progress = True
        try:
            time.sleep(self.state.pause)
            self._route(self.path.split("?")[0])
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self._done()

    def _done(self):
        """The request no longer counts as in progress: before its answer is sent
        (a client that has the answer may send the next request before this thread,
        descheduled on a loaded machine, would get to count it done after)."""
        if self._in_progress:
            self._in_progress = False
            with self.state.lock:
                self.state.active -= 1

    def _send(self, status, headers=None, body=b""):
        self._done()
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def _route(self, path):
        if path == "/sleep":
            time.sleep(SLOW_SECONDS)
        if path in ("/huge", "/nohead", "/drip-body") and self.command == "HEAD":
            self._send(405)
        elif path == "/huge":
            self._huge(path)
        elif path in ("/drip-headers", "/drip-body"):
            self._drip(path)
        elif path in ANSWERS:
            self._send(*ANSWERS[path])
        else:
            self._send(200, {"Content-Type": "text/csv"}, b"a,b\n1,2\n")

    def _huge(self, path):
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.end_headers()  # no length: a body without end
        for _chunk in range(100000):
            chunk = b"x" * HUGE_CHUNK
            self.wfile.write(chunk)
            with self.state.lock:
                self.state.sent[path] = self.state.sent.get(path, 0) + len(chunk)
            time.sleep(0.01)

    def _drip(self, path):
        if path == "/drip-body":
            self.send_response(200)
            self.end_headers()
        else:
            self.wfile.write(b"HTTP/1.0 200 OK\r\n")
        for number in range(DRIP_COUNT):
            time.sleep(DRIP_SECONDS)
            line = b"x" if path == "/drip-body" else b"X-Drip-%d: x\r\n" % number
            self.wfile.write(line)

    do_GET = do_HEAD = _answer

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def link_server(
    host: str = "127.0.0.1", tls: tuple[str, str] | None = None
) -> Iterator[LinkServer]:
    """The server's state; HTTPS with ``tls`` (certificate and key files)."""
    state = LinkServer()
    handler = type("Handler", (_Handler,), {"state": state})
    with http.server.ThreadingHTTPServer((host, 0), handler) as httpd:
        httpd.daemon_threads = True
        if tls:
            serve_tls(httpd, tls)
            state.scheme = "https"
        state.port = httpd.server_address[1]
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            yield state
        finally:
            httpd.shutdown()


def source_bringing(*datasets: dict, name: str = "cong-du-lieu-da-nang") -> dict:
    """A harvest source whose current harvest objects are ``datasets``."""
    source = harvest_source("http://127.0.0.1:9/catalog", name=name)
    job = HarvestJob(source_id=source["id"], status="Finished")
    job.save()
    for number, dataset in enumerate(datasets):
        HarvestObject(
            guid=f"{name}-{number}", job=job, source=job.source,
            package_id=dataset["id"], current=True, state="COMPLETE",
        ).save()  # fmt: skip
    return source
