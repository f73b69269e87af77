"""The per-host limits hold across gates (as across worker processes: each gate has
its own Redis connection and shares only Redis): concurrency, spacing, holds, and a
dead worker's turn given back."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from ckanext.vndata.quality import link_check, link_gate
from tests.quality.helpers import forget_host_gates, link_server

HOST = "gate.example.vn"


@pytest.fixture
def clean_gates():
    forget_host_gates()
    yield
    forget_host_gates()


def _hammer(server, limit: int, workers: int = 8, requests_each: int = 3) -> int:
    """``workers`` threads, each with its own gate, ask the server; the peak of
    requests the server had in progress at once."""
    server.pause = 0.15

    def worker(_n):
        gate = link_gate.HostGate(limit=limit, spacing=0)
        for _i in range(requests_each):
            with gate("127.0.0.1"):
                requests.get(server.url("/data.csv"), timeout=10)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(worker, range(workers)))
    return server.peak


@pytest.mark.usefixtures("with_plugins", "clean_gates")
class TestHostGate:
    @pytest.mark.parametrize("limit", [1, 2, 3])
    def test_no_more_than_the_limit_reach_a_host_at_once(self, limit):
        with link_server() as server:
            assert _hammer(server, limit) == limit

    def test_without_the_gate_the_server_sees_more(self):
        # What the test above would see with no limit (so it can fail).
        with link_server() as server:
            assert _hammer(server, limit=100) > 3

    def test_requests_to_a_host_are_spaced(self):
        gate = link_gate.HostGate(limit=5, spacing=0.3)
        started = time.monotonic()
        for _i in range(4):
            with gate(HOST):
                pass
        assert time.monotonic() - started >= 0.85

    def test_other_hosts_are_not_slowed(self):
        gate = link_gate.HostGate(limit=5, spacing=5)
        started = time.monotonic()
        for number in range(4):
            with gate(f"{number}.{HOST}"):
                pass
        assert time.monotonic() - started < 1

    def test_a_held_host_waits_for_every_gate(self):
        link_gate.HostGate(limit=1, spacing=0).hold(HOST, 1)
        other = link_gate.HostGate(limit=1, spacing=0)
        started = time.monotonic()
        with other(HOST):
            pass
        assert time.monotonic() - started >= 0.9

    def test_a_hold_longer_than_the_wait_allowed_is_host_busy(self):
        gate = link_gate.HostGate(limit=1, spacing=0, max_wait=0.5)
        gate.hold(HOST, 30)
        started = time.monotonic()
        with pytest.raises(link_gate.HostBusy) as busy:
            with gate(HOST):
                pass
        assert busy.value.seconds > 25
        assert time.monotonic() - started < 0.5  # no waiting for nothing

    def test_a_shorter_hold_does_not_shorten_a_longer_one(self):
        gate = link_gate.HostGate(limit=1, spacing=0, max_wait=0.5)
        gate.hold(HOST, 30)
        gate.hold(HOST, 1)
        with pytest.raises(link_gate.HostBusy):
            with gate(HOST):
                pass

    def test_a_turn_never_given_back_expires(self, monkeypatch):
        monkeypatch.setattr(link_gate, "HOLD_SECONDS", 1)
        dead = link_gate.HostGate(limit=1, spacing=0)
        turn = dead(HOST)
        turn.__enter__()  # a worker that died holding its turn
        started = time.monotonic()
        with link_gate.HostGate(limit=1, spacing=0)(HOST):
            waited = time.monotonic() - started
        assert 0.5 < waited < 3

    def test_a_turn_is_given_back_after_an_error(self):
        gate = link_gate.HostGate(limit=1, spacing=0, max_wait=0.5)
        with pytest.raises(RuntimeError):
            with gate(HOST):
                raise RuntimeError
        with gate(HOST):  # no HostBusy: the turn came back
            pass

    def test_the_limits_come_from_the_config(self):
        gate = link_gate.HostGate()
        assert (gate.limit, gate.spacing) == (2, 0.5)


def test_a_turn_outlasts_the_longest_check():
    # A turn that expired while its request still ran would let one more in.
    assert link_gate.HOLD_SECONDS > link_check.DEADLINE + link_check.MARGIN
