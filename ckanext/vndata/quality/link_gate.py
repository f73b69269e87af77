"""Politeness towards each host, kept in Redis so that every worker process obeys it.

A provincial portal may serve thousands of resources from one small server: the link
checker must not knock it over. For each host (its name, and its address: many names
of one server share its limits), at most ``per_host`` requests run at once (a
counting semaphore: a sorted set of tokens that expire, so a worker that dies holding
one frees it after ``HOLD_SECONDS``) and two requests start at least ``interval``
seconds apart (a next-allowed-time key). A host that answered 429 or 503
with Retry-After is held (``HostGate.hold``) until then, for every worker.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.vndata.quality import link_check

_PREFIX = "vndata:links:host:"
# A token older than this is taken to belong to a worker that died: longer than any
# one request may last (the watchdog ends a check at link_check.DEADLINE; a token is
# taken inside the check, so no request holds one longer than that and the margin).
HOLD_SECONDS = 2 * (link_check.DEADLINE + link_check.MARGIN)
_POLL = 0.05

# KEYS: slots, next; ARGV: now, limit, interval, hold, token. Returns "" when the
# token was taken, else the seconds to wait (as text: Lua numbers become integers).
_ACQUIRE = """
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local after = tonumber(redis.call('GET', KEYS[2]) or '0')
if after > now then return tostring(after - now) end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return '0.05' end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[5])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[4])) + 1)
local interval = tonumber(ARGV[3])
if interval > 0 then
  redis.call('SET', KEYS[2], tostring(now + interval), 'PX',
             math.ceil(interval * 1000) + 1000)
end
return ''
"""

# KEYS: next; ARGV: a time, now. The later of the stored time and that one.
_HOLD = """
local later = tonumber(ARGV[1])
local after = tonumber(redis.call('GET', KEYS[1]) or '0')
if later > after then
  redis.call('SET', KEYS[1], tostring(later), 'PX',
             math.ceil((later - tonumber(ARGV[2])) * 1000) + 1000)
end
return ''
"""


class HostBusy(Exception):
    """The host could not be asked within the time allowed; ask again later."""

    def __init__(self, host: str, seconds: float):
        super().__init__(host)
        self.host, self.seconds = host, seconds


def per_host() -> int:
    return max(1, tk.asint(tk.config.get("ckanext.vndata.quality.link_check_per_host")))


def interval() -> float:
    value = tk.config.get("ckanext.vndata.quality.link_check_host_interval")
    return max(0.0, float(value or 0))


class HostGate:
    """``gate(host)``: a context manager that waits for the host's turn (at most
    ``max_wait`` seconds, else HostBusy) and gives the turn back at the end."""

    def __init__(
        self,
        limit: int | None = None,
        spacing: float | None = None,
        max_wait: float = 120,
    ):
        self.limit = per_host() if limit is None else limit
        self.spacing = interval() if spacing is None else spacing
        self.max_wait = max_wait
        self.redis = connect_to_redis()
        self._acquire = self.redis.register_script(_ACQUIRE)
        self._hold = self.redis.register_script(_HOLD)

    @contextlib.contextmanager
    def __call__(self, host: str) -> Iterator[None]:
        slots = _PREFIX + host + ":slots"
        token = uuid.uuid4().hex
        give_up = time.monotonic() + self.max_wait
        while True:
            wait = self._acquire(
                keys=[slots, _PREFIX + host + ":next"],
                args=[time.time(), self.limit, self.spacing, HOLD_SECONDS, token],
            )
            if not wait:
                break
            wait = float(wait)
            if time.monotonic() + wait > give_up:
                raise HostBusy(host, wait)
            time.sleep(min(max(wait, _POLL), 1.0))
        try:
            yield
        finally:
            self.redis.zrem(slots, token)

    def hold(self, host: str, seconds: float) -> None:
        """No request to ``host`` from any worker for ``seconds`` (Retry-After)."""
        now = time.time()
        self._hold(keys=[_PREFIX + host + ":next"], args=[now + seconds, now])
