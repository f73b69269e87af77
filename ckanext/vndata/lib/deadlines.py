"""A wall-clock deadline on what a remote server takes to answer, whatever it sends.

A socket's timeout bounds one receive: a server that sends a byte of its headers or
its body every few seconds never trips it, and can hold the reader for hours (a
link check, a harvest consumer, the web worker of a source form's preview). A
``Watchdog`` shuts down every socket its thread uses once its time is up; a shut
socket's read ends at once, and the request fails.

url_safety.PinnedAdapter's connections report their socket here when they connect
and again when they wait for an answer (a connection kept alive from an earlier
request), to the watchdog of the thread that asks, if it has one: requests runs in
the thread that calls it. A socket shut after its request ended, in the instant
before the watchdog was stopped, is found dropped by urllib3 when next taken from
the pool, and a new connection is made: no later request is harmed.
"""

from __future__ import annotations

import contextlib
import socket
import threading

import urllib3


class Watchdog:
    """Shuts down every socket the ``with`` block's requests use after ``seconds``
    (``fired`` then says so: an error the shutdown caused is the deadline's).

    A watchdog inside another's block passes its sockets on to the outer one too,
    whose bound holds over all (an OAuth token asked for within a document's read).
    Once its block has ended it shuts nothing: a timer that fires late must not cut
    a connection the next request took from the pool."""

    def __init__(self, seconds: float):
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        self.fired = False
        self.ended = False
        self.outer: Watchdog | None = None
        self.timer = threading.Timer(max(seconds, 0), self.fire)
        self.timer.daemon = True

    def __enter__(self) -> Watchdog:
        self.outer = getattr(_current, "watchdog", None)
        _current.watchdog = self
        self.timer.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.timer.cancel()
        with self.lock:
            self.ended = True
            self.sockets.clear()
        _current.watchdog = self.outer

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self.lock:
            if not self.ended:
                self.sockets.append(sock)
                if self.fired:
                    _shut(sock)
        if self.outer is not None:
            self.outer.watch(sock)

    def fire(self) -> None:
        with self.lock:
            if self.ended:
                return
            self.fired = True
            for sock in self.sockets:
                _shut(sock)


_current = threading.local()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _watched(sock: socket.socket | None) -> None:
    watchdog = getattr(_current, "watchdog", None)
    if watchdog is not None:
        watchdog.watch(sock)


class _Watched:
    """A urllib3 connection that reports its socket: when it connects, and when it
    waits for an answer (kept alive from an earlier request, or a TLS socket, which
    replaced the one that connected)."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _watched(sock)
        return sock

    def getresponse(self, *args, **kwargs):
        _watched(self.sock)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTP(_Watched, urllib3.connection.HTTPConnection):
    pass


class _WatchedHTTPS(_Watched, urllib3.connection.HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTP


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPS


def watch_pools(poolmanager: urllib3.PoolManager) -> None:
    """The connections of ``poolmanager`` report their sockets to the asking thread's
    watchdog (pool classes of this manager only: nothing installed is changed)."""
    poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
