"""The limits a harvest source sets on its requests: a size cap on every response and
a request rate (config.py: ``max_document_mb``, ``requests_per_second``), applied by
the session (session.py) to every request, redirect hops included."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests

import ckan.plugins.toolkit as tk


class DocumentTooLarge(requests.exceptions.ConnectionError):
    """A response over the source's size limit."""


class Pacer:
    """Spaces the requests of one harvest to the source's request rate."""

    def __init__(self, requests_per_second: float):
        self.interval = 1.0 / requests_per_second
        self.last = 0.0

    def wait(self) -> None:
        delay = self.interval - (time.monotonic() - self.last)
        if delay > 0:
            time.sleep(delay)
        self.last = time.monotonic()


# One pacer per site and rate in this process: the record-by-record requests of a
# job (vndata_json's details) each make a session, and must share the site's rate.
_pacers: dict[tuple, Pacer] = {}
_pacers_lock = threading.Lock()


def pacer_for(site: Any, requests_per_second: float) -> Pacer:
    """The pacer of ``site`` (anything hashable naming the source's site) at this
    rate; a new one for a site not named (None)."""
    if site is None:
        return Pacer(requests_per_second)
    with _pacers_lock:
        key = (site, requests_per_second)
        if key not in _pacers:
            _pacers[key] = Pacer(requests_per_second)
        return _pacers[key]


def size_cap(max_bytes: int):
    """A response hook that stops reading past ``max_bytes``, declared or not."""

    def too_large() -> DocumentTooLarge:
        return DocumentTooLarge(
            tk._("The document is larger than the limit of {mb} MB.").format(
                mb=max_bytes // (1024 * 1024)
            )
        )

    def hook(response, *args, **kwargs):
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            response.close()
            raise too_large()
        read = response.iter_content

        def capped(chunk_size=1, decode_unicode=False):
            total = 0
            for chunk in read(chunk_size, decode_unicode):
                total += len(chunk)
                if total > max_bytes:
                    response.close()
                    raise too_large()
                yield chunk

        response.iter_content = capped
        return response

    return hook
