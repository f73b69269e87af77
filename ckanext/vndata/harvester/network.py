"""Which remote addresses a harvest source may reach.

A national portal fetches URLs that provincial operators type in, so a source must not
be a way into the national portal's own network: private, loopback, link-local and other
non-public addresses are refused unless their host is in
``ckanext.vndata.harvester.allowed_hosts`` (the tests allow loopback this way).
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse

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


def configure_session(session, config: dict) -> None:
    """The source's timeout, login header and retries for every request of a harvest.

    Without this a hanging provincial portal would hang the national harvester: the
    requests ckanext-dcat makes have no timeout of their own.
    """
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

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
    if config.get("auth_header"):
        session.headers["Authorization"] = config["auth_header"]
    timeout = config["timeout"]
    request = session.request

    def request_with_timeout(method, url, **kwargs):
        kwargs.setdefault("timeout", timeout)
        return request(method, url, **kwargs)

    session.request = request_with_timeout
