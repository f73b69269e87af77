"""The one way the harvesters read remote documents.

Catalogue pages, hydra next-page links, redirects, JSON-LD contexts (jsonld.py) and the
CKAN API pages of ``vndata_ckan`` are all read with a session from ``session_for``:

- every request, redirect hops included, is checked by url_safety.check_url and is
  CONNECTED TO THE ADDRESS THAT WAS CHECKED (the Host header and the TLS name check stay
  on the host name), so neither a redirect nor a second DNS answer reaches an internal
  address;
- redirects are followed here, at most MAX_REDIRECTS, each hop checked again;
- the source's login (login.py: a header, an API key, an OAuth 2 token) goes only to
  the source's own origin (scheme, host, port), never to another host that a
  next-page link or a redirect names; a 401 with an OAuth 2 token asks for a new token
  and sends the request once more;
- the source's timeout, retries, size cap and request rate (request_limits.py) apply
  to every request, and no proxy or .netrc from the environment is used (a proxy would
  resolve the name itself, .netrc would add credentials);
- failures become FetchFailed with a short message of ours: a remote body is never put
  into a harvest report.
"""

from __future__ import annotations

import re
import urllib.parse

import requests
from urllib3.util.retry import Retry

import ckan.plugins.toolkit as tk

from ckanext.vndata.harvester import login, request_limits
from ckanext.vndata.lib import deadlines, url_safety

MAX_REDIRECTS = 5
_CHUNK = 65536
_MESSAGE_LENGTH = 300


# The request keyword of fetch_text(same_origin=True), popped by _Session.request.
SAME_ORIGIN = "vndata_same_origin"


class FetchFailed(Exception):
    """A document that could not be read; the message is ours and fit for a report.

    ``status``: the HTTP status the server answered, when it answered one.
    """

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def bounded(text: str) -> str:
    """``text`` without control characters and at most a few lines long: messages from
    libraries may quote what a remote server sent."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]+", " ", str(text)).strip()
    return text if len(text) <= _MESSAGE_LENGTH else text[:_MESSAGE_LENGTH] + "…"


class _PinnedAdapter(url_safety.PinnedAdapter):
    """url_safety's pinned adapter (each request checked and connected to the address
    checked), adding the source's login when (and only when) the request goes to the
    source's origin."""

    def __init__(self, source_login: login.Login | None, **kwargs):
        self._login = source_login
        super().__init__(**kwargs)

    def send(self, request, *args, **kwargs):
        source_login = self._login
        if source_login is None:  # what the caller set goes (OAuth 2's token POST)
            return super().send(request, *args, **kwargs)
        for name in source_login.header_names():
            request.headers.pop(name, None)
        if source_login.origin != url_safety.origin(request.url):
            return super().send(request, *args, **kwargs)
        params = source_login.params()
        if params:  # replacing any copy of the key a remote link carried
            parts = urllib.parse.urlsplit(request.url)
            query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
            query = [(key, value) for key, value in query if key not in params]
            bare = parts._replace(query=urllib.parse.urlencode(query))
            request.prepare_url(urllib.parse.urlunsplit(bare), params)
        request.headers.update(source_login.headers())
        response = super().send(request, *args, **kwargs)
        if response.status_code == 401 and source_login.refresh():
            response.close()
            request.headers.update(source_login.headers())
            response = super().send(request, *args, **kwargs)
        return response


class _Session(requests.Session):
    """A session that follows redirects itself, checking every hop."""

    def __init__(self, timeout: float, pacer: request_limits.Pacer):
        super().__init__()
        self.trust_env = False  # no proxy, no .netrc: see the module docstring
        self.max_redirects = MAX_REDIRECTS
        self._timeout = timeout
        self._pacer = pacer

    def watchdog(self) -> deadlines.Watchdog:
        """The bound of one document's reading, redirects and body included: the
        timeout bounds each receive only (lib/deadlines.py). Twice the timeout (to
        start the answer, then to send it whole) and each hop's wait for the rate."""
        hops = (MAX_REDIRECTS + 1) * self._pacer.interval
        return deadlines.Watchdog(2 * self._timeout + hops)

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", self._timeout)
        follow = kwargs.pop("allow_redirects", True)
        # fetch_text(same_origin=True): no hop may leave the first URL's origin
        origin = url_safety.origin(url) if kwargs.pop(SAME_ORIGIN, False) else None
        for _hop in range(MAX_REDIRECTS + 1):
            self._pacer.wait()  # the adapter checks and pins each hop (one lookup)
            response = super().request(method, url, allow_redirects=False, **kwargs)
            if not (follow and response.is_redirect):
                return response
            # From the URL asked for, not response.url: that one holds the login's
            # query parameter, which must not go on to another origin.
            url = urllib.parse.urljoin(url, self.get_redirect_target(response))
            response.close()
            if origin and url_safety.origin(url) != origin:
                raise url_safety.UnsafeTarget(
                    tk._(
                        "{url}: a redirect to another address is not followed."
                    ).format(url=url_safety.shown(url))
                )
        raise requests.exceptions.TooManyRedirects(url)


def session_for(config: dict, source_url: str) -> requests.Session:
    """A session with the source's timeout, login, retries, size cap and rate.

    ``config`` is the parsed source configuration (config.py) with its secrets; its
    login (login.py), when it has one, goes to the origin of ``source_url`` only.
    """
    source_login = login.login_for(config, source_url, _token_poster(config))
    return _session(config, source_login, url_safety.origin(source_url))


def _session(
    config: dict, source_login: login.Login | None, site: tuple | None = None
) -> requests.Session:
    session = _Session(
        config["timeout"],
        request_limits.pacer_for(site, config["requests_per_second"]),
    )
    retry = Retry(
        total=3,
        connect=0,
        read=0,
        status=3,
        backoff_factor=0.5,
        status_forcelist=(500, 502, 503, 504),
        allowed_methods=("HEAD", "GET"),
        raise_on_status=False,
        # Not the server's Retry-After: it could hold a consumer for hours.
        respect_retry_after_header=False,
    )
    adapter = _PinnedAdapter(source_login, max_retries=retry)
    session.adapters.clear()
    session.mount("", adapter)  # every scheme reaches send(), which refuses non-http(s)
    session.hooks["response"].append(
        request_limits.size_cap(int(config["max_document_mb"] * 1024 * 1024))
    )
    return session


def _token_poster(config: dict):
    """How login.py asks an OAuth 2 token endpoint: a POST through a session of the
    source's limits that sends no login and follows no redirect."""

    def post(url: str, data: dict, headers: dict) -> str:
        shown = url_safety.shown(url)
        response = None
        poster = _session(config, None)
        watchdog = poster.watchdog()
        try:
            with watchdog:
                response = poster.post(
                    url, data=data, headers=headers, allow_redirects=False, stream=True
                )
                body = b"".join(response.iter_content(chunk_size=_CHUNK))
            if watchdog.fired:  # cut short, maybe with no error: not the login's fault
                raise requests.exceptions.Timeout
        except (url_safety.UnsafeTarget, request_limits.DocumentTooLarge) as error:
            raise login.LoginFailed(str(error)) from None
        except (requests.exceptions.RequestException, OSError, ValueError):
            raise login.LoginFailed(
                tk._("The token endpoint {url} could not be reached.").format(url=shown)
            ) from None
        finally:
            if response is not None:
                response.close()
        if response.status_code != 200:
            raise login.LoginFailed(
                tk._(
                    "The token endpoint {url} refused the login (it answered "
                    "{status}); check oauth2 and client_secret."
                ).format(url=shown, status=response.status_code)
            )
        return body.decode("utf-8", errors="replace")

    return post


def fetch_text(
    session: _Session, url: str, same_origin: bool = False
) -> tuple[str, str | None]:
    """The UTF-8 text at ``url`` and its media type, or FetchFailed.

    ``same_origin``: redirects that leave the origin of ``url`` are refused (a
    source's plans must be the source's own documents, plan_reading.py)."""
    shown = url_safety.shown(url)
    watchdog = session.watchdog()
    try:
        with watchdog:
            body, kind = _read(session, url, same_origin)
    except (requests.RequestException, login.LoginFailed, OSError, ValueError) as error:
        raise FetchFailed(*_failure(error, shown, watchdog.fired)) from None
    if watchdog.fired:  # a shut socket may end a body early, with no error
        raise FetchFailed(*_failure(requests.exceptions.Timeout(), shown, True))
    try:
        return body.decode("utf-8"), kind
    except UnicodeDecodeError:
        message = tk._("The page {url} is not UTF-8 text.")
        raise FetchFailed(message.format(url=shown)) from None


def _read(session: _Session, url: str, same_origin: bool) -> tuple[bytes, str | None]:
    response = None
    try:
        extra = {SAME_ORIGIN: True} if same_origin else {}
        response = session.get(url, stream=True, **extra)
        response.raise_for_status()
        body = b"".join(response.iter_content(chunk_size=_CHUNK))
        kind = (response.headers.get("Content-Type") or "").split(";")[0].strip()
        return body, kind or None
    finally:
        if response is not None:
            response.close()


def _failure(error: Exception, shown: str, out_of_time: bool) -> tuple[str, int | None]:
    """FetchFailed's message (ours, never the server's words) and status."""
    if isinstance(
        error,
        (url_safety.UnsafeTarget, request_limits.DocumentTooLarge, login.LoginFailed),
    ):
        return str(error), None  # the token endpoint's, said as it is
    if out_of_time or isinstance(error, requests.exceptions.Timeout):
        # The watchdog shut the socket: whatever error that made is the deadline's.
        message = tk._("The page {url} could not be read: no answer in time.")
        return message.format(url=shown), None
    if isinstance(error, requests.exceptions.HTTPError):
        status = error.response.status_code if error.response is not None else None
        message = tk._(
            "The page {url} could not be read: the server answered {status}."
        )
        return message.format(url=shown, status=status or "?"), status
    if isinstance(error, requests.exceptions.TooManyRedirects):
        message = tk._("The page {url} redirects more than {max} times.")
        return message.format(url=shown, max=MAX_REDIRECTS), None
    if isinstance(error, requests.exceptions.SSLError):
        message = tk._("The page {url} could not be read: its certificate is invalid.")
        return message.format(url=shown), None
    if isinstance(error, requests.exceptions.ConnectionError):
        message = tk._(
            "The page {url} could not be read: the server cannot be reached."
        )
        return message.format(url=shown), None
    if not isinstance(error, (requests.RequestException, OSError)):
        # A ValueError: http.client refusing a header; never quoted, it is the login.
        message = tk._("The page {url} could not be read: the request was refused.")
        return message.format(url=shown), None
    # Not str(error): requests' messages may quote what the server sent.
    return tk._("The page {url} could not be read.").format(url=shown), None
