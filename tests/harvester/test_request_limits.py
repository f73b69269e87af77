"""The limits a source sets on its requests: a size cap on every response, declared
or not, and a request rate.

The cap is a requests response hook: here it is tried on a plain requests session
against a loopback server that may lie about (or not give) the length, and once
through the harvest's own session (session.py) with a source's ``max_document_mb``.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from typing import Iterator

import pytest
import requests

from ckanext.vndata.harvester import request_limits
from ckanext.vndata.harvester import session as remote

KB = 1024


@contextlib.contextmanager
def server(body: bytes, length: str | None) -> Iterator[str]:
    """A loopback server answering ``body`` with ``length`` as Content-Length (None:
    no header, the body ends when the connection closes)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self):  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            if length is not None:
                self.send_header("Content-Length", length)
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:  # the client stopped reading: the point of the cap
                pass

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/catalog.ttl"
    finally:
        httpd.shutdown()
        httpd.server_close()


def capped(max_bytes: int) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.hooks["response"].append(request_limits.size_cap(max_bytes))
    return session


def read(session: requests.Session, url: str) -> bytes:
    with session.get(url, stream=True, timeout=5) as response:
        return b"".join(response.iter_content(chunk_size=KB))


class TestSizeCap:
    def test_a_response_declared_too_large_is_not_read(self):
        with server(b"x" * KB, str(3 * KB * KB)) as url:
            with pytest.raises(request_limits.DocumentTooLarge, match="2 MB"):
                capped(2 * KB * KB).get(url, stream=True, timeout=5)

    @pytest.mark.parametrize("length", [None, "abc", "-1", "1e9"])
    def test_a_body_past_the_cap_stops_the_reading_without_a_usable_length(
        self, length
    ):
        with server(b"x" * (64 * KB), length) as url:
            with pytest.raises(request_limits.DocumentTooLarge):
                read(capped(16 * KB), url)

    def test_a_body_up_to_the_cap_is_read_whole(self):
        body = "Tập dữ liệu".encode() * 100
        with server(body, None) as url:
            assert read(capped(len(body)), url) == body

    def test_a_response_too_large_is_a_connection_error_to_requests(self):
        """So that code catching requests' connection errors catches it too."""
        assert issubclass(
            request_limits.DocumentTooLarge, requests.exceptions.ConnectionError
        )

    @pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
    @pytest.mark.usefixtures("ckan_config")
    def test_the_harvest_session_applies_the_sources_limit(self):
        config = {"timeout": 5, "requests_per_second": 100, "max_document_mb": 1}
        with server(b"x" * (KB * KB + 1), None) as url:
            session = remote.session_for(config, url)

            with pytest.raises(remote.FetchFailed, match="1 MB"):
                remote.fetch_text(session, url)


class TestPacer:
    def test_requests_are_spaced_to_the_rate(self):
        pacer = request_limits.Pacer(requests_per_second=20)
        started = time.monotonic()

        for _ in range(5):
            pacer.wait()

        # The first goes at once, each of the next four 1/20 s after the one before.
        assert 0.2 <= time.monotonic() - started < 1.0

    def test_the_first_request_does_not_wait(self):
        pacer = request_limits.Pacer(requests_per_second=0.1)  # one in 10 s
        started = time.monotonic()

        pacer.wait()

        assert time.monotonic() - started < 0.5

    def test_time_already_spent_counts_towards_the_interval(self):
        pacer = request_limits.Pacer(requests_per_second=10)
        pacer.wait()
        time.sleep(0.1)
        started = time.monotonic()

        pacer.wait()

        assert time.monotonic() - started < 0.05
