"""How a harvest logs in to its source, and what of it goes out with a request.

A source's login is one of: an ``Authorization`` header given whole (``auth_header``:
a bearer token, or Basic written out), a user name and password (``basic_user``,
``basic_password``: HTTP Basic), an API key (``api_key``) sent in a header
(``api_key_header``) or a query parameter (``api_key_param``), or OAuth 2 client
credentials (``oauth2``: the token endpoint, client id and scope; ``client_secret``),
as provincial data-sharing gateways (LGSP) ask. The secrets are stored apart
(secrets.py). session.py adds what ``Login`` gives to requests for the source's own
origin only, never to another host a next-page link or a redirect names.

An OAuth 2 token is asked for when first needed, through a session of the source's
limits that sends no login, kept by this process until shortly before it expires
(every record's detail request of a job would otherwise ask again), and asked for
again when the API answers 401: a token that expires in the middle of a job is
replaced, once per request.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import url_safety

# A token is used until this many seconds before it expires (clocks and the time a
# request takes); a token whose answer gives no lifetime is kept this long.
EXPIRY_MARGIN = 30
DEFAULT_LIFETIME = 300
MAX_TOKEN_CHARS = 8192
# {(token URL, client id, digest of the secret, scope): (token, when it expires on
# this process's monotonic clock)}
_tokens: dict[tuple, tuple[str, float]] = {}
_clock = time.monotonic  # the tests' clock


class LoginFailed(Exception):
    """The source's login could not be made; the message is ours, for the report."""


class Login:
    """What goes to the source's origin with each request."""

    def __init__(
        self,
        origin: tuple,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        token: OAuthToken | None = None,
    ):
        self.origin = origin
        self._headers = headers or {}
        self._params = params or {}
        self._token = token

    def headers(self) -> dict[str, str]:
        if self._token is None:
            return dict(self._headers)
        return {**self._headers, "Authorization": f"Bearer {self._token.value()}"}

    def params(self) -> dict[str, str]:
        return dict(self._params)

    def header_names(self) -> set[str]:
        """Every header a login may set, to be taken off a request for elsewhere."""
        return {"Authorization", *self._headers}

    def refresh(self) -> bool:
        """A new credential after the source refused this one (401): True when there
        is one to try (an OAuth 2 token), False when trying again cannot help."""
        if self._token is None:
            return False
        self._token.forget()
        return True


class OAuthToken:
    """An OAuth 2 client-credentials token (RFC 6749, section 4.4), asked for with
    HTTP Basic client authentication (section 2.3.1), as WSO2-based gateways take it."""

    def __init__(self, settings: dict[str, Any], secret: str, post: Callable):
        self.url = settings["token_url"]
        self.client_id = settings["client_id"]
        self.scope = settings.get("scope") or ""
        self._secret = secret
        self._post = post  # (url, data, headers) -> answer text, via a safe session
        digest = hashlib.sha256(secret.encode("utf-8")).hexdigest()
        self._key = (self.url, self.client_id, digest, self.scope)

    def value(self) -> str:
        kept = _tokens.get(self._key)
        if kept is not None and kept[1] > _clock():
            return kept[0]
        token, lifetime = self._ask()
        _tokens[self._key] = (token, _clock() + max(lifetime - EXPIRY_MARGIN, 1))
        return token

    def forget(self) -> None:
        _tokens.pop(self._key, None)

    def _ask(self) -> tuple[str, float]:
        pair = f"{self.client_id}:{self._secret}".encode()
        headers = {
            "Authorization": "Basic " + base64.b64encode(pair).decode("ascii"),
            "Accept": "application/json",
        }
        data = {"grant_type": "client_credentials"}
        if self.scope:
            data["scope"] = self.scope
        answer = self._post(self.url, data, headers)
        try:
            parsed = json.loads(answer)
            token = parsed["access_token"]
        except (ValueError, TypeError, KeyError):
            raise LoginFailed(
                tk._(
                    "The token endpoint {url} gave no access_token; check oauth2 and "
                    "client_secret."
                ).format(url=url_safety.shown(self.url))
            ) from None
        if (
            not isinstance(token, str)
            or not token
            or len(token) > MAX_TOKEN_CHARS
            or not token.isprintable()  # a line break would end the header
        ):
            raise LoginFailed(
                tk._("The token endpoint {url} gave an unusable token.").format(
                    url=url_safety.shown(self.url)
                )
            )
        lifetime = parsed.get("expires_in", DEFAULT_LIFETIME)
        if isinstance(lifetime, str) and lifetime.strip().isdigit():
            lifetime = int(lifetime)
        if (
            not isinstance(lifetime, (int, float))
            or isinstance(lifetime, bool)
            or lifetime != lifetime  # NaN, which JSON may carry
        ):
            lifetime = DEFAULT_LIFETIME
        # Bounded before float(): an integer of 400 digits overflows it.
        return token, float(min(max(lifetime, 1), 86400))


def login_for(config: dict[str, Any], source_url: str, post: Callable) -> Login | None:
    """The source's login (None without one), for the origin of ``source_url``.

    ``post`` sends the token request of OAuth 2 (session.py gives one of the
    source's limits that sends no login)."""
    origin = url_safety.origin(source_url)
    if origin is None:
        return None
    headers, params, token = {}, {}, None
    if config.get("auth_header"):
        headers["Authorization"] = config["auth_header"]
    elif config.get("basic_user") and config.get("basic_password") is not None:
        pair = f"{config['basic_user']}:{config['basic_password']}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    elif config.get("oauth2") and config.get("client_secret"):
        token = OAuthToken(config["oauth2"], config["client_secret"], post)
    if config.get("api_key"):
        if config.get("api_key_header"):
            headers[config["api_key_header"]] = config["api_key"]
        elif config.get("api_key_param"):
            params[config["api_key_param"]] = config["api_key"]
    if not (headers or params or token):
        return None
    return Login(origin, headers, params, token)
