"""Which remote addresses the portal may reach, and the address to connect to.

A national portal fetches URLs that provincial operators type in (harvest sources) and
URLs that datasets name (resources the DataStore loads, metadata/datastore.py), so
neither may be a way into the portal's own network: private, loopback, link-local and
other non-public addresses are refused unless their host is in
``ckanext.vndata.harvester.allowed_hosts`` (the tests allow loopback this way). An entry
``host:port`` (``[::1]:8080``) allows that port of the host only.

The check returns the address it checked, and the sessions (``pinned_session`` here,
harvester/session.py) connect to that address and no other: resolving the name a second
time at connection time would let a name that changes its answer (DNS rebinding) reach
an address nobody checked. ``final_target`` follows a URL's redirects that way, every
hop checked, for code that hands the URL to a downloader it does not control (xloader,
metadata/datastore.py).

Callers that fetch addresses typed by other people than sysadmins (the link checker)
pass their own allow-list key (``allowed_key``) and the ports they may reach
(``ports``): a harvester's allowed loopback host is no licence for any editor.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
import socket
import time
import urllib.parse
from collections.abc import Collection

import requests
import urllib3.util
from requests.adapters import HTTPAdapter

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import deadlines

# Whitespace, control characters and backslashes: urlsplit and requests/urllib3 read
# URLs with them differently (``http://a\@b/`` is host b for one, a for the other).
_AMBIGUOUS = re.compile(r"[\x00-\x20\x7f-\x9f\\]")
# An address shown in a message is cut to this length: it may be a remote page's text.
_SHOWN = 200

# IPv6 prefixes that carry an IPv4 address in their last 32 bits: NAT64's well-known
# prefix and the deprecated IPv4-compatible form (``[::127.0.0.1]``).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_REDIRECTS = 5
# (connect, read) seconds for each hop that final_target asks about, and for the whole
# chain: it runs inside the request that saves a resource.
_HOP_TIMEOUT = (3, 5)
_CHAIN_SECONDS = 20
# The allow-list of the sysadmin-configured harvest sources (and of the DataStore's
# fetches): the default of check_url's ``allowed_key``.
ALLOWED_HOSTS = "ckanext.vndata.harvester.allowed_hosts"


class UnsafeTarget(requests.exceptions.InvalidURL):
    """A URL the harvesters must not fetch (a requests error, so that code which
    reports failed fetches reports this one too)."""


class Unresolved(UnsafeTarget):
    """A URL whose host has no address now (it may have one later), or whose redirects
    cannot be followed to their end (no answer, too many hops)."""


@dataclasses.dataclass(frozen=True)
class Target:
    """A checked URL: the name it asks for and the one address to connect to."""

    scheme: str
    host: str  # lower case, without IPv6 brackets, IDNA-encoded
    port: int
    netloc: str  # the Host header: the URL's host and port as written
    address: str  # the checked IP address

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)


def shown(url: str) -> str:
    """``url`` fit for a message: printable and bounded."""
    text = _AMBIGUOUS.sub("?", str(url))
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of ``url``, or None when it is not a safe http(s) URL."""
    try:
        return _parse(url)[:3]
    except UnsafeTarget:
        return None


class PortRefused(UnsafeTarget):
    """A URL to a port its caller may not reach (``ports`` of check_url)."""


def check_url(
    url: str,
    allowed_key: str = ALLOWED_HOSTS,
    ports: Collection[int] | None = None,
) -> Target:
    """The Target of ``url``, or UnsafeTarget unless it is http(s) to a host whose
    every address is public (or a host in the allow-list config ``allowed_key``).
    ``ports``: the only ports allowed (None: any), unless ``host:port`` is listed."""
    scheme, host, port, netloc = _parse(url)
    listed = _allowed(host, port, allowed_key)
    if ports is not None and port not in ports and not listed:
        raise PortRefused(
            tk._("Port {port} of {host} is not checked").format(
                port=port, host=shown(host)
            )
        )
    addresses = _addresses(host, port)
    if not listed:
        for address in addresses:
            if not is_public(address):
                raise UnsafeTarget(
                    tk._(
                        "{host} ({address}) is a private, loopback or link-local "
                        "address; add it to ckanext.vndata.harvester.allowed_hosts to "
                        "allow it."
                    ).format(host=shown(host), address=address)
                )
    return Target(scheme, host, port, netloc, str(addresses[0]))


def _allowed(host: str, port: int, key: str) -> bool:
    """Whether ``host`` (any port) or ``host:port`` is an entry of the allow-list
    ``key``, compared whole (a plain substring test would match parts of names)."""
    value = tk.config.get(key) or []
    value = value.split() if isinstance(value, str) else value
    for entry in (str(item).lower() for item in value):
        named, _colon, allowed_port = entry.rpartition(":")
        if not named or (":" in named and not named.endswith("]")):
            named, allowed_port = entry, ""  # no port, or a bare IPv6 address
        if named.strip("[]") == host and allowed_port in ("", str(port)):
            return True
    return False


def is_public(address: Address) -> bool:
    """Whether ``address`` is on the public internet, looking through the IPv6 forms
    that reach an IPv4 address (mapped, 6to4, NAT64, IPv4-compatible)."""
    if address.version == 6:
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and (address in _NAT64 or address in _IPV4_COMPATIBLE):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_loopback
        or address.is_link_local
        or address.is_private
        # fec0::/10, deprecated site-local, still routed inside some networks
        or (address.version == 6 and address.is_site_local)
    )


def _parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, netloc) of an http(s) URL that urlsplit and urllib3 (which
    requests connects with) read the same way."""
    refused = UnsafeTarget(
        tk._("Only http and https addresses can be harvested: {url}").format(
            url=shown(url)
        )
    )
    if not isinstance(url, str) or _AMBIGUOUS.search(url):
        raise refused
    try:
        parsed = urllib.parse.urlsplit(url)
        port = parsed.port
        theirs = urllib3.util.parse_url(url)
    except ValueError:
        raise refused from None
    scheme = parsed.scheme.lower()
    if scheme not in ("http", "https") or not parsed.hostname or "@" in parsed.netloc:
        raise refused  # userinfo: a credential in the URL, or a disguised host
    host = parsed.hostname
    try:
        host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        raise refused from None
    port = port or (443 if scheme == "https" else 80)
    their_host = (theirs.host or "").strip("[]").lower()
    if (
        their_host != host
        or (theirs.scheme or "").lower() != scheme
        or (theirs.port or port) != port
    ):
        raise refused
    return scheme, host, port, parsed.netloc


def _addresses(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to (getaddrinfo also reads the integer, octal
    and hex IPv4 forms such as 2130706433 or 0x7f.1, as the connection would)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Unresolved(
            tk._("The host {host} cannot be resolved: {error}").format(
                host=shown(host), error=getattr(error, "strerror", None) or error
            )
        ) from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise Unresolved(
            tk._("The host {host} cannot be resolved: {error}").format(
                host=shown(host), error="-"
            )
        )
    return addresses


class PinnedAdapter(HTTPAdapter):
    """Checks each request's URL (check_url) and connects to the address checked.

    requests would resolve the host name again when it connects; the pool is asked
    for the checked address instead, with the name kept for the Host header, for
    SNI and for the certificate check (urllib3's server_hostname/assert_hostname).
    """

    def __init__(
        self,
        *args,
        allowed_key: str = ALLOWED_HOSTS,
        ports: Collection[int] | None = None,
        **kwargs,
    ):
        self.allowed_key, self.ports = allowed_key, ports
        super().__init__(*args, **kwargs)

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, **_):
        target = check_url(request.url, self.allowed_key, self.ports)
        request.headers["Host"] = target.netloc
        request.vndata_target = target
        kwargs = {"stream": stream, "timeout": timeout, "verify": verify, "cert": cert}
        return super().send(request, proxies={}, **kwargs)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        target = request.vndata_target
        host_params["host"] = target.address
        if target.scheme == "https":
            pool_kwargs["server_hostname"] = target.host
            pool_kwargs["assert_hostname"] = target.host
        return host_params, pool_kwargs

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        deadlines.watch_pools(self.poolmanager)  # a caller's Watchdog bounds a read


def pinned_session(adapter: PinnedAdapter | None = None) -> requests.Session:
    """A session whose every request goes through ``adapter`` (a PinnedAdapter, by
    default with the harvesters' allow-list), with no proxy and no .netrc from the
    environment (a proxy would resolve the name itself, .netrc would add
    credentials)."""
    session = requests.Session()
    session.trust_env = False
    session.adapters.clear()
    # every scheme: send() refuses non-http(s)
    session.mount("", adapter or PinnedAdapter())
    return session


def final_target(url: str) -> Target:
    """The Target that ``url``'s redirects end at, every hop checked and connected to
    as checked; UnsafeTarget if a hop is unsafe, Unresolved if the chain cannot be
    followed to its end (a host without address or answer, over MAX_REDIRECTS hops).

    Each hop is asked with HEAD, or, when a server refuses HEAD, with a GET of its
    first byte; no body is read.
    """
    deadline = time.monotonic() + _CHAIN_SECONDS
    # Each hop's timeout bounds a receive only: a server dripping its headers would
    # hold the saving editor's web worker without the watchdog.
    with deadlines.Watchdog(_CHAIN_SECONDS), pinned_session() as session:
        for _hop in range(MAX_REDIRECTS + 1):
            if time.monotonic() > deadline:
                break
            response = _ask(session, url)
            redirect = response.is_redirect
            location = response.headers.get("Location") if redirect else None
            response.close()
            if not location:
                return response.request.vndata_target  # set by PinnedAdapter.send
            url = urllib.parse.urljoin(url, location)
    raise Unresolved(  # or slowly: either way, not followed to its end in time
        tk._("{url} redirects more than {max} times.").format(
            url=shown(url), max=MAX_REDIRECTS
        )
    )


def _ask(session: requests.Session, url: str) -> requests.Response:
    try:
        response = session.head(url, allow_redirects=False, timeout=_HOP_TIMEOUT)
        if response.status_code >= 400:  # some servers answer HEAD with 403, 405...
            response.close()
            response = session.get(
                url,
                allow_redirects=False,
                timeout=_HOP_TIMEOUT,
                stream=True,
                headers={"Range": "bytes=0-0"},
            )
    except UnsafeTarget:
        raise
    except requests.RequestException as error:
        raise Unresolved(
            tk._("{url} cannot be reached: {error}").format(
                url=shown(url), error=type(error).__name__
            )
        ) from None
    return response
