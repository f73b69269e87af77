"""The watchdog that bounds a request on the wall clock: against a real loopback
server, over HTTP and HTTPS, that drips its headers or its body (each byte well
within any read timeout), on a new connection and on one kept alive from an earlier
request, alone and inside another watchdog."""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from requests.adapters import HTTPAdapter

from ckanext.vndata.lib import deadlines
from tests.helpers import serve_tls

DRIP_SECONDS = 0.2


class _Handler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1, kept alive: /fast answers at once, /drip-body and /drip-headers a
    byte (a header line) every DRIP_SECONDS for about 20 s."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (http.server's name)
        try:
            if self.path == "/fast":
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            elif self.path == "/drip-body":
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                self._drip(lambda _n: b"x")
            else:
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                self._drip(lambda n: b"X-Drip-%d: x\r\n" % n)
        except OSError:  # the client gave up: the point of the watchdog
            self.close_connection = True

    def _drip(self, piece):
        for number in range(100):
            self.wfile.write(piece(number))
            self.wfile.flush()
            time.sleep(DRIP_SECONDS)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _server(tls: tuple[str, str] | None = None) -> Iterator[str]:
    """The server's origin; HTTPS with ``tls`` (its certificate and key files)."""
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler) as httpd:
        httpd.daemon_threads = True
        if tls:
            serve_tls(httpd, tls)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            scheme = "https" if tls else "http"
            yield f"{scheme}://127.0.0.1:{httpd.server_address[1]}"
        finally:
            httpd.shutdown()


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        deadlines.watch_pools(self.poolmanager)


def _session(verify: str | bool = True) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.verify = verify
    session.mount("http://", _WatchedAdapter())
    session.mount("https://", _WatchedAdapter())
    return session


def _read(session: requests.Session, url: str) -> bytes:
    with session.get(url, stream=True, timeout=5) as response:
        return b"".join(response.iter_content(1024))


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers"])
def test_a_dripping_answer_is_cut_at_the_deadline(path):
    with _server() as origin:
        started = time.monotonic()
        # Cut headers end as if the server had ended them, with no error: what
        # tells is ``fired`` (session.fetch_text asks it).
        with contextlib.suppress(requests.RequestException):
            with deadlines.Watchdog(1) as watchdog:
                _read(_session(), origin + path)

        assert watchdog.fired
        assert time.monotonic() - started < 3


def test_a_connection_kept_alive_from_an_earlier_request_is_watched_too():
    with _server() as origin:
        session = _session()
        assert _read(session, origin + "/fast") == b"ok"  # before any watchdog
        started = time.monotonic()

        with pytest.raises(requests.RequestException):
            with deadlines.Watchdog(1):
                _read(session, origin + "/drip-body")  # on the same connection

        assert time.monotonic() - started < 3


def test_a_timer_firing_after_its_block_shuts_nothing():
    with _server() as origin:
        session = _session()
        with deadlines.Watchdog(30) as watchdog:
            assert _read(session, origin + "/fast") == b"ok"
        watchdog.fire()  # as if the timer had fired just before it was stopped

        assert not watchdog.fired
        assert _read(session, origin + "/fast") == b"ok"  # the same connection


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers"])
def test_https_is_watched_and_answers_in_time_are_read(tls_files, path):
    """The TLS socket replaces the one that connected: it is the one shut."""
    with _server(tls_files) as origin:
        session = _session(verify=tls_files[0])
        assert _read(session, origin + "/fast") == b"ok"
        started = time.monotonic()

        with contextlib.suppress(requests.RequestException):
            with deadlines.Watchdog(1) as watchdog:
                _read(session, origin + path)

        assert watchdog.fired
        assert time.monotonic() - started < 3


def test_a_watchdog_inside_another_leaves_the_outer_bound_whole():
    # An OAuth token asked for within a document's read: its own, longer bound
    # must not hide the request from the document's.
    with _server() as origin:
        started = time.monotonic()
        with contextlib.suppress(requests.RequestException):
            with deadlines.Watchdog(1) as outer, deadlines.Watchdog(30):
                _read(_session(), origin + "/drip-body")

        assert outer.fired
        assert time.monotonic() - started < 3


def test_an_answer_in_time_is_read_whole_and_nothing_fires_later():
    with _server() as origin:
        with deadlines.Watchdog(0.5) as watchdog:
            assert _read(_session(), origin + "/fast") == b"ok"
        time.sleep(0.7)

        assert not watchdog.fired


def test_an_inner_watchdog_gives_the_thread_back_to_the_outer_one():
    with deadlines.Watchdog(30) as outer:
        with deadlines.Watchdog(30):
            pass
        assert deadlines._current.watchdog is outer
    assert deadlines._current.watchdog is None
