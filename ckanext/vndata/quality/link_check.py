"""Whether one address (a resource's accessURL/downloadURL) answers, asked politely and
within bounds.

Every request goes through url_safety's pinned session: the address is checked and
connected to as checked, so a link cannot reach the portal's own network, not even by
a redirect (each hop is followed here, checked again, at most MAX_REDIRECTS). HEAD is
asked first; a server that refuses HEAD (403, 405, 501...) is asked for the first KiB
with a ranged GET, whose body is read up to BODY_CAP and then dropped. Connect and read
timeouts bound each request and DEADLINE bounds the whole check on the wall clock: a
read timeout starts again with every byte, so a watchdog shuts the check's sockets at
the deadline (lib/deadlines.py), and a server that drips its headers or its body
costs at most that.

Resource addresses are typed by any editor, so the checker has its own allow-list
(``ckanext.vndata.quality.link_check_allowed_hosts``, not the harvesters') and reaches
only ports 80, 443 and ``ckanext.vndata.quality.link_check_ports``.

A check never raises: anything that goes wrong is one of ERRORS, stored and shown in
the reader's language.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import time
import urllib.parse
from collections.abc import Callable
from typing import ContextManager

import requests

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import deadlines, url_safety
from ckanext.vndata.lib.i18n import N_

MAX_REDIRECTS = 5
CONNECT_SECONDS = 5
READ_SECONDS = 10
DEADLINE = 20  # seconds for the whole check, redirects and body included
BODY_CAP = 65536  # bytes of a GET body read at most
_CHUNK = 1024  # small reads: the watchdog's shutdown ends a read at once
# A request's end after the deadline: the watchdog's thread wakes and shuts down.
MARGIN = 2
ALLOWED_HOSTS = "ckanext.vndata.quality.link_check_allowed_hosts"
PORTS = "ckanext.vndata.quality.link_check_ports"
# HEAD answers after which the server is asked again with GET: they say "not HEAD"
# rather than "not here" (a 404 or 410 is believed at once, a 429 means "later").
_TRUSTED_HEAD = (404, 410, 429)
# Retry-After beyond this is read as this: a host does not park a link for days.
MAX_RETRY_AFTER = 86400
DEFAULT_RETRY_AFTER = 60
_USER_AGENT = "ckanext-vndata link checker (+https://github.com/ckan/ckan)"

# Each error code and its message; {seconds}, {status} and {max} are filled in.
ERRORS: dict[str, str] = {
    "timeout": N_("The server did not answer within {seconds} seconds"),
    "connection": N_("The server cannot be reached"),
    "private_address": N_(
        "The address leads to a private or internal network, which is not checked"
    ),
    "port": N_("Only ports 80 and 443 (and those the portal allows) are checked"),
    "too_many_redirects": N_("The address redirects more than {max} times"),
    "http_error": N_("The server answered with error HTTP {status}"),
    "invalid_url": N_("This is not a valid web address (http or https)"),
    "rate_limited": N_("The server asked to be checked later (HTTP {status})"),
    "missing_file": N_("The uploaded file is missing from the portal's storage"),
    "missing_table": N_("The data is missing from the portal's DataStore"),
}

Gate = Callable[[str], ContextManager]


@dataclasses.dataclass(frozen=True)
class LinkResult:
    """What a check found: the last HTTP status (None without an answer), whether the
    link works, the error code (a key of ERRORS, None when it works) and, for
    ``rate_limited``, the seconds the server asked to wait."""

    status: int | None
    ok: bool
    error: str | None = None
    retry_after: int | None = None


def _no_gate(_host: str) -> ContextManager:
    return contextlib.nullcontext()


def vndata_link_ports() -> frozenset[int]:
    """The ports a link may name: 80, 443 and ``link_check_ports``."""
    value = tk.config.get(PORTS) or []
    value = value.split() if isinstance(value, str) else value
    extra = {int(port) for port in map(str, value) if port.isdigit()}
    return frozenset({80, 443} | extra)


def vndata_check_link(
    url: str, gate: Gate = _no_gate, deadline: float = DEADLINE
) -> LinkResult:
    """Check ``url``: its final answer after at most MAX_REDIRECTS checked hops,
    within ``deadline`` seconds (and MARGIN) of the wall clock.

    ``gate(key)`` is entered around each request, once with its host name and once
    with the host's address (link_gate.py: at most so many requests to a host at once,
    and not too often, across workers; many names of one server share its limits)."""
    end = time.monotonic() + deadline
    adapter = url_safety.PinnedAdapter(
        allowed_key=ALLOWED_HOSTS, ports=vndata_link_ports()
    )
    watchdog = deadlines.Watchdog(deadline)
    try:
        with watchdog, url_safety.pinned_session(adapter) as session:
            session.headers["User-Agent"] = _USER_AGENT
            for _hop in range(MAX_REDIRECTS + 1):
                if not isinstance(url, str) or url_safety.origin(url) is None:
                    return LinkResult(None, False, "invalid_url")
                response = _ask(session, url, gate, end, watchdog)
                if not response.is_redirect:
                    return _verdict(response)
                location = response.headers.get("Location", "")
                url = urllib.parse.urljoin(url, location)
            return LinkResult(response.status_code, False, "too_many_redirects")
    except url_safety.Unresolved:
        return LinkResult(None, False, "connection")
    except url_safety.PortRefused:
        return LinkResult(None, False, "port")
    except url_safety.UnsafeTarget:
        return LinkResult(None, False, "private_address")
    except (requests.Timeout, TimeoutError):
        return LinkResult(None, False, "timeout")
    except (requests.RequestException, ValueError, UnicodeError, OSError):
        if watchdog.fired:
            return LinkResult(None, False, "timeout")
        return LinkResult(None, False, "connection")


def _ask(session, url: str, gate: Gate, end: float, watchdog) -> requests.Response:
    """The answer to HEAD, or to a ranged GET when HEAD is refused."""
    target = url_safety.check_url(url, ALLOWED_HOSTS, vndata_link_ports())
    with _gates(gate, target):
        response = session.head(url, allow_redirects=False, timeout=_timeout(end))
        response.close()
    if watchdog.fired:  # a shut socket ends the headers early: not a real answer
        raise TimeoutError
    if response.status_code < 400 or response.status_code in _TRUSTED_HEAD:
        return response
    with _gates(gate, target):
        response = session.get(
            url,
            allow_redirects=False,
            timeout=_timeout(end),
            stream=True,
            headers={"Range": "bytes=0-1023"},
        )
        try:
            _drain(response, end)
        finally:
            response.close()
    if watchdog.fired:  # cut by the deadline, not read to its end
        raise TimeoutError
    return response


@contextlib.contextmanager
def _gates(gate: Gate, target: url_safety.Target):
    """``gate`` entered with the host name, then with its address (once if equal)."""
    with contextlib.ExitStack() as stack:
        for key in dict.fromkeys((target.host, target.address)):
            stack.enter_context(gate(key))
        yield


def _timeout(end: float) -> tuple[float, float]:
    """(connect, read) seconds, never past the check's deadline."""
    left = end - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return (min(CONNECT_SECONDS, left), min(READ_SECONDS, left))


def _drain(response: requests.Response, end: float) -> None:
    """Read at most BODY_CAP bytes of the body, stopping at the deadline: the status is
    already known, a body that is huge or slow only has to be cut off."""
    read = 0
    with contextlib.suppress(requests.RequestException, OSError):
        for chunk in response.iter_content(_CHUNK):
            read += len(chunk)
            if read >= BODY_CAP or time.monotonic() >= end:
                return


def _verdict(response: requests.Response) -> LinkResult:
    status = response.status_code
    if status in (429, 503) and (status == 429 or "Retry-After" in response.headers):
        wait = retry_after(response.headers.get("Retry-After"))
        return LinkResult(status, False, "rate_limited", wait)
    if status >= 400:
        return LinkResult(status, False, "http_error")
    return LinkResult(status, True)


def retry_after(value: str | None) -> int:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), bounded."""
    if not value:
        return DEFAULT_RETRY_AFTER
    value = value.strip()
    if value.isdigit():
        seconds = int(value[:9])
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
            seconds = int(when.timestamp() - time.time())
        except (TypeError, ValueError, OverflowError):
            return DEFAULT_RETRY_AFTER
    return max(1, min(seconds, MAX_RETRY_AFTER))


def vndata_link_error(code: str | None, status: int | None = None) -> str:
    """The message of an error code in the reader's language; empty for no code or an
    unknown one (a stored code from an older version)."""
    message = ERRORS.get(code or "")
    if not message:
        return ""
    values = {"seconds": READ_SECONDS, "status": status or "", "max": MAX_REDIRECTS}
    return tk._(message).format(**values)
