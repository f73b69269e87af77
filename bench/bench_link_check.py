"""Link checking at the scale of a provincial catalogue: 2,000 links on loopback.

Four loopback HTTP servers (127.0.0.1 to 127.0.0.4, four "hosts") serve a mix of
links: 70% that work, 20% missing (404), 10% slow (answer after 0.2 s), the same mix
on each host. Each server
counts the requests it has in progress at once. The links are checked with
quality/link_check.py through quality/link_gate.py's per-host limits (kept in Redis,
as across worker processes): 16 threads, at most 4 requests per host at once, no
spacing. The baseline, in the same run, is the plain sequential check (one link after
the other, no gate) of the first 500 links; the figure to compare is the ratio of the
rates (links per second). Nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from _site import load_site

LINKS = 2000
BASELINE = 500
HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4")
PER_HOST = 4
THREADS = 16
SLOW = 0.2


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.active = self.peak = self.requests = 0


def _serve(host: str, counter: Counter) -> tuple[http.server.HTTPServer, int]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            with counter.lock:
                counter.active += 1
                counter.requests += 1
                counter.peak = max(counter.peak, counter.active)
            try:
                if self.path.startswith("/slow"):
                    time.sleep(SLOW)
                status = 404 if self.path.startswith("/missing") else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            finally:
                with counter.lock:
                    counter.active -= 1

        do_HEAD = do_GET = _answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def _links(ports: dict[str, int]) -> list[str]:
    links = []
    for number in range(LINKS):
        host = HOSTS[number % len(HOSTS)]
        share = (number // len(HOSTS)) % 10  # the same mix on every host
        kind = "slow" if share == 0 else "missing" if share < 3 else "ok"
        links.append(f"http://{host}:{ports[host]}/{kind}/{number}.csv")
    return links


def _run(links, threads, gate) -> tuple[float, dict]:
    from ckanext.vndata.quality import link_check

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(
            pool.map(lambda url: link_check.vndata_check_link(url, gate), links)
        )
    seconds = time.perf_counter() - started
    verdicts: dict = {}
    for result in results:
        key = "ok" if result.ok else f"{result.error} {result.status or ''}".strip()
        verdicts[key] = verdicts.get(key, 0) + 1
    return seconds, verdicts


def main() -> None:
    app = load_site(
        ckanext__vndata__quality__link_check_allowed_hosts=" ".join(HOSTS),
        ckanext__vndata__quality__link_check_host_interval="0",
    )
    counters = {host: Counter() for host in HOSTS}
    servers = {host: _serve(host, counters[host]) for host in HOSTS}
    links = _links({host: port for host, (_s, port) in servers.items()})
    with app._wsgi_app.test_request_context():
        from ckan.lib.redis import connect_to_redis

        from ckanext.vndata.quality import link_gate

        redis = connect_to_redis()
        for key in redis.scan_iter("vndata:links:host:*"):
            redis.delete(key)
        base_seconds, _base = _run(links[:BASELINE], 1, contextlib.nullcontext)
        base_rate = BASELINE / base_seconds
        for counter in counters.values():
            counter.peak = counter.requests = 0
        gate = link_gate.HostGate(limit=PER_HOST, spacing=0)
        seconds, verdicts = _run(links, THREADS, gate)
    rate = LINKS / seconds
    print(f"links: {LINKS} on {len(HOSTS)} loopback hosts; verdicts: {verdicts}")
    print(
        f"bounded ({THREADS} threads, {PER_HOST} per host, Redis gate): "
        f"{seconds:.1f} s, {rate:.0f} links/s"
    )
    print(
        f"baseline (sequential, no gate, first {BASELINE}): {base_seconds:.1f} s, "
        f"{base_rate:.0f} links/s; ratio {rate / base_rate:.1f}x"
    )
    peaks = ", ".join(f"{host} {c.peak}" for host, c in counters.items())
    requests = sum(c.requests for c in counters.values())
    print(f"peak concurrent connections per host: {peaks} (limit {PER_HOST})")
    print(f"requests served: {requests} (HEAD, and GET where HEAD was refused)")
    for server, _port in servers.values():
        server.shutdown()


if __name__ == "__main__":
    main()
