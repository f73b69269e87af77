"""Remote JSON-LD contexts, read before rdflib sees the page.

rdflib's JSON-LD parser opens a ``@context`` (or ``@import``) that names a URL itself,
with urllib: no address check, no timeout, no size cap, and ``file:`` URLs read local
files. So every such reference in a harvested page is replaced by the context itself
before the page is parsed: a well-known context from the copies shipped in
``jsonld_contexts/`` (nothing is fetched for them), any other through the harvest's own
session (session.py), or the page is refused. rdflib then never opens a URL or a file.
"""

from __future__ import annotations

import functools
import json
import pathlib
import urllib.parse
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.vndata.harvester.session import FetchFailed, fetch_text
from ckanext.vndata.lib import url_safety

_SHIPPED = pathlib.Path(__file__).parent / "jsonld_contexts"
# Well-known contexts by address (without scheme and trailing slash), with their copy.
_WELL_KNOWN = {
    "schema.org": "schema.org.jsonld",
    "schema.org/docs/jsonldcontext.jsonld": "schema.org.jsonld",
    "schema.org/docs/jsonldcontext.json": "schema.org.jsonld",
    "project-open-data.cio.gov/v1.1/schema/catalog.jsonld": "dcat-us-1.1.jsonld",
}
# Remote contexts one page may use, and how deeply contexts may name contexts.
MAX_REMOTE_CONTEXTS = 10
MAX_DEPTH = 5


class ContextRefused(Exception):
    """A context that cannot be used; the message is fit for a harvest report."""


# The formats (as ckanext-dcat passes them to rdflib) that rdflib parses as JSON-LD.
JSON_LD_FORMATS = ("json-ld", "jsonld", "application/ld+json")


def needs_inlining(text: str, rdf_format: str | None) -> bool:
    starts = text.lstrip("\ufeff \t\r\n")[:1]
    return rdf_format in JSON_LD_FORMATS or starts in ("{", "[")


def inline_contexts(text: str, page_url: str, session, rdf_format: str | None) -> str:
    """``text`` with every context reference replaced by the context it names.

    A page that is not JSON is refused when rdflib would read it as JSON-LD, and
    otherwise returned unchanged (a Turtle page may start with ``[``): rdflib's
    JSON-LD parser only ever sees JSON that was read here.
    """
    try:
        document = json.loads(text.lstrip("\ufeff"))
    except ValueError:
        if rdf_format in JSON_LD_FORMATS:
            raise ContextRefused(
                tk._("The page {url} is not valid JSON-LD.").format(
                    url=url_safety.shown(page_url)
                )
            ) from None
        return text
    inliner = _Inliner(session)
    inliner.walk(document, page_url, 0)
    # Unchanged pages keep their text, and so their digest (page_cache.py).
    return json.dumps(document, ensure_ascii=False) if inliner.changed else text


class _Inliner:
    def __init__(self, session):
        self.session = session
        self.fetched = 0
        self.changed = False

    def walk(self, node: Any, base: str, depth: int) -> None:
        """Replace the contexts in ``node`` (a JSON value) in place."""
        if isinstance(node, dict):
            if "@context" in node:
                node["@context"] = self.context(node["@context"], base, depth)
            for key, value in node.items():
                if key != "@context":
                    self.walk(value, base, depth)
        elif isinstance(node, list):
            for value in node:
                self.walk(value, base, depth)

    def context(self, value: Any, base: str, depth: int) -> Any:
        """A ``@context`` value with no URL left in it."""
        if depth > MAX_DEPTH:
            raise ContextRefused(
                tk._("JSON-LD contexts are nested more than {max} deep.").format(
                    max=MAX_DEPTH
                )
            )
        if isinstance(value, str):
            self.changed = True
            url = urllib.parse.urljoin(base, value)
            return self.context(self.document(url), url, depth + 1)
        if isinstance(value, list):
            contexts = []
            for item in value:
                resolved = self.context(item, base, depth)
                contexts += resolved if isinstance(resolved, list) else [resolved]
            return contexts
        if isinstance(value, dict):
            value = dict(value)
            imported = value.pop("@import", None)
            if imported is not None:
                self.changed = True
                if not isinstance(imported, str):
                    raise ContextRefused(_refusal(str(imported)))
                url = urllib.parse.urljoin(base, imported)
                resolved = self.context(self.document(url), url, depth + 1)
                if not isinstance(resolved, dict):
                    raise ContextRefused(_refusal(url))
                value = {**resolved, **value}  # as rdflib merges an @import
            for key, term in value.items():  # scoped contexts of term definitions
                if key != "@context":
                    self.walk(term, base, depth + 1)
        return value

    def document(self, url: str) -> Any:
        """The ``@context`` of the context document at ``url``."""
        shipped = _well_known(url)
        if shipped is not None:
            return shipped["@context"]
        if url_safety.origin(url) is None:  # file:, ftp:, data: ... are never read
            raise ContextRefused(_refusal(url))
        self.fetched += 1
        if self.fetched > MAX_REMOTE_CONTEXTS:
            raise ContextRefused(
                tk._("The page uses more than {max} remote JSON-LD contexts.").format(
                    max=MAX_REMOTE_CONTEXTS
                )
            )
        try:
            text, _kind = fetch_text(self.session, url)
            document = json.loads(text)
        except FetchFailed as error:
            raise ContextRefused(f"{_refusal(url)} {error}") from None
        except ValueError:
            raise ContextRefused(_refusal(url)) from None
        if not isinstance(document, dict) or "@context" not in document:
            raise ContextRefused(_refusal(url))
        return document["@context"]


def _refusal(url: str) -> str:
    return tk._(
        "The JSON-LD context {url} cannot be used: only well-known contexts and "
        "http(s) addresses that the harvester may reach are read."
    ).format(url=url_safety.shown(url))


def well_known_key(url: str) -> str | None:
    """The key of ``url`` in _WELL_KNOWN if it names a shipped context, else None."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme.lower() not in ("http", "https") or parsed.query:
        return None
    key = (parsed.netloc.lower() + parsed.path).rstrip("/")
    key = key[4:] if key.startswith("www.") else key
    return key if key in _WELL_KNOWN else None


def shipped_context(name: str) -> Any:
    """The ``@context`` of the shipped file ``name`` (a copy: pages change theirs)."""
    return json.loads(_shipped(name))["@context"]


def _well_known(url: str) -> dict | None:
    key = well_known_key(url)
    return {"@context": shipped_context(_WELL_KNOWN[key])} if key else None


@functools.lru_cache(maxsize=None)
def _shipped(name: str) -> str:
    return (_SHIPPED / name).read_text("utf-8")
