"""Which remote addresses a harvest source may reach.

A national portal fetches URLs that provincial operators type in, so a source must not
be a way into the national portal's own network: private, loopback, link-local and other
non-public addresses are refused unless their host is in
``ckanext.vndata.harvester.allowed_hosts`` (the tests allow loopback this way).
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.parse

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

import ckan.plugins.toolkit as tk


class UnsafeTarget(ValueError):
    pass


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as error:
        raise UnsafeTarget(
            tk._("The host {host} cannot be resolved: {error}").format(
                host=host, error=error
            )
        )
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def check_url(url: str) -> None:
    """Raise UnsafeTarget unless ``url`` is http(s) to a public (or allowed) host."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise UnsafeTarget(
            tk._("Only http and https addresses can be harvested: {url}").format(
                url=url
            )
        )
    host = parsed.hostname
    if host in tk.config.get("ckanext.vndata.harvester.allowed_hosts"):
        return
    for address in _addresses(host):
        if not address.is_global:
            raise UnsafeTarget(
                tk._(
                    "{host} ({address}) is a private, loopback or link-local address; "
                    "add it to ckanext.vndata.harvester.allowed_hosts to allow it."
                ).format(host=host, address=address)
            )


MAX_REDIRECTS = 5


class DocumentTooLarge(requests.exceptions.ConnectionError):
    """A response over the source's size limit (a ConnectionError, so that
    ckanext-dcat and ckanext-harvest report it as a page that could not be read)."""


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


def _size_cap(max_bytes: int):
    """A response hook that stops reading past ``max_bytes``, declared or not."""

    def too_large(size) -> DocumentTooLarge:
        message = tk._("The document is larger than the limit of {mb} MB.").format(
            mb=max_bytes // (1024 * 1024)
        )
        return DocumentTooLarge(f"{message} ({size} bytes)")

    def hook(response, *args, **kwargs):
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            response.close()
            raise too_large(declared)
        read = response.iter_content

        def capped(chunk_size=1, decode_unicode=False):
            total = 0
            for chunk in read(chunk_size, decode_unicode):
                total += len(chunk)
                if total > max_bytes:
                    response.close()
                    raise too_large(total)
                yield chunk

        response.iter_content = capped
        return response

    return hook


def configure_session(session, config: dict, pacer: Pacer | None = None) -> None:
    """The source's timeout, login header, retries, size cap and request rate.

    Without this a hanging provincial portal would hang the national harvester: the
    requests ckanext-dcat and ckanext-harvest make have no timeout of their own.
    """
    retry = Retry(
        total=3,
        connect=0,
        read=0,
        status=3,
        backoff_factor=0.5,
        status_forcelist=(500, 502, 503, 504),
        allowed_methods=("HEAD", "GET"),
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.max_redirects = MAX_REDIRECTS
    session.hooks["response"].append(
        _size_cap(int(config["max_document_mb"] * 1024 * 1024))
    )
    if config.get("auth_header"):
        session.headers["Authorization"] = config["auth_header"]
    timeout = config["timeout"]
    pacer = pacer or Pacer(config["requests_per_second"])
    request = session.request

    def paced_request(method, url, **kwargs):
        pacer.wait()
        kwargs.setdefault("timeout", timeout)
        return request(method, url, **kwargs)

    session.request = paced_request


def session_for(config: dict) -> requests.Session:
    session = requests.Session()
    configure_session(session, config)
    return session
