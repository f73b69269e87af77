"""How ``vndata_json`` reads a JSON API: the source's paging, a record's detail, and
the checks of both in its config (with its mapping: json_mapping.py).

The source's URL is the list endpoint. Paging, by type:

- ``none``: the answer is the whole list;
- ``page``: ``param`` counts pages from ``start``; ``size_param`` asks ``size``
  records a page; an empty page ends the list (not a short one: a server may give
  fewer than asked, and the records after it would look gone);
- ``offset``: ``param`` is the number of records to skip, ``size_param`` the page
  size; as ``page`` for the last page;
- ``cursor``: the path ``next`` finds the next cursor in an answer, sent as
  ``param``; no cursor, or the same one again, ends the list;
- ``next``: the path ``next`` finds the next page's URL in an answer (relative to
  the page, on the list's own site); none ends the list.

Every page goes through session.py (the source's login, limits and network safety);
``max_pages`` bounds them, and a page seen twice ends the list as incomplete.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import gather_outcome, json_mapping, json_records, session
from ckanext.vndata.harvester.config import ConfigError
from ckanext.vndata.harvester.config_keys import JSON
from ckanext.vndata.lib import url_safety

PAGING = {
    # type: (required keys, optional keys)
    "none": ((), ()),
    "page": (("param",), ("start", "size_param", "size")),
    "offset": (("param",), ("size_param", "size")),
    "cursor": (("param", "next"), ()),
    "next": (("next",), ()),
}
MAX_PAGE_SIZE = 10_000
ID_FIELD = "{id}"


def problems(source_type: str, raw: str | None) -> list[tuple[str, str]]:
    """Every mistake of a source's config text as (key, message), all at once: the
    keys every type reads (config.py) and, for vndata_json, its own."""
    try:
        parsed = source_config.parse(raw)
        found: list[tuple[str, str]] = []
    except ConfigError as error:
        found = [(key, m) for key, messages in error.by_key.items() for m in messages]
        try:
            parsed = json.loads(raw or "{}")
        except (ValueError, RecursionError):
            return found
        if not isinstance(parsed, dict):
            return found
    if source_type == JSON:
        found += check(parsed)[1]
    return found


def check(config: dict[str, Any]) -> tuple[json_mapping.Mapping | None, list]:
    """The source's mapping compiled, and every mistake of its vndata_json keys as
    (key, message), all at once."""
    errors: list[tuple[str, str]] = []
    mapping = None
    if "mapping" not in config:
        errors.append(("mapping", tk._("{key} is required.").format(key="mapping")))
    else:
        try:
            mapping = json_mapping.parse(
                config["mapping"], *json_mapping.schema_fields()
            )
        except ConfigError as error:
            errors += [(k, m) for k, ms in error.by_key.items() for m in ms]
    _check_paging(errors, config.get("paging", {"type": "none"}))
    detail = config.get("detail_url")
    if detail is not None and (
        not isinstance(detail, str)
        or ID_FIELD not in detail
        or url_safety.origin(detail.replace(ID_FIELD, "x")) is None
        # {id} in the path or the query only: a record's identity never names
        # the site the login goes to
        or ID_FIELD in urllib.parse.urlsplit(detail).netloc
    ):
        errors.append(
            (
                "detail_url",
                tk._("detail_url must be an http(s) address with {id} in it.").format(
                    id=ID_FIELD
                ),
            )
        )
    if config.get("detail_record") is not None:
        json_mapping.expression(errors, "detail_record", config["detail_record"])
    _check_login(errors, config)
    return mapping, errors


def _check_paging(errors: list, paging: Any) -> None:
    kind = paging.get("type") if isinstance(paging, dict) else None
    if not isinstance(kind, str) or kind not in PAGING:
        errors.append(
            (
                "paging.type",
                tk._("paging.type must be one of: {types}.").format(
                    types=", ".join(PAGING)
                ),
            )
        )
        return
    required, optional = PAGING[paging["type"]]
    for key in sorted(set(paging) - {"type", *required, *optional}):
        errors.append(
            (
                f"paging.{key}",
                tk._("paging.{key} is not used by paging of type {type}.").format(
                    key=key, type=paging["type"]
                ),
            )
        )
    for key in required:
        if key not in paging:
            name = f"paging.{key}"
            errors.append((name, tk._("{key} is required.").format(key=name)))
    for key in ("param", "size_param"):
        if key in paging and not (isinstance(paging[key], str) and paging[key]):
            name = f"paging.{key}"
            errors.append((name, tk._("{key} must be text.").format(key=name)))
    for key, low, high in (("start", 0, 1_000_000), ("size", 1, MAX_PAGE_SIZE)):
        value = paging.get(key)
        if value is not None and (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not low <= value <= high
        ):
            name = f"paging.{key}"
            errors.append(
                (
                    name,
                    tk._("{key} must be a number from {low} to {high}.").format(
                        key=name, low=low, high=high
                    ),
                )
            )
    if "next" in paging:
        json_mapping.expression(errors, "paging.next", paging["next"])


def _check_login(errors: list, config: dict) -> None:
    ways = [
        key
        for key in ("auth_header", "basic_user", "oauth2")
        if config.get(key) is not None
    ]
    if len(ways) > 1:
        errors.append(
            (
                ways[1],
                tk._("Only one login may be set: {keys}.").format(keys=", ".join(ways)),
            )
        )
    if config.get("api_key_header") and config.get("api_key_param"):
        errors.append(
            (
                "api_key_param",
                tk._("api_key goes in api_key_header or api_key_param, not both."),
            )
        )
    oauth2 = config.get("oauth2")
    if oauth2 is None:
        return
    if not isinstance(oauth2, dict):
        return  # config.py said so
    if url_safety.origin(str(oauth2.get("token_url", ""))) is None:
        errors.append(
            (
                "oauth2.token_url",
                tk._("oauth2.token_url must be an http(s) address."),
            )
        )
    for key in ("client_id", "scope"):
        if key in oauth2 and not isinstance(oauth2[key], str):
            name = f"oauth2.{key}"
            errors.append((name, tk._("{key} must be text.").format(key=name)))
    if not oauth2.get("client_id"):
        errors.append(
            (
                "oauth2.client_id",
                tk._("{key} is required.").format(key="oauth2.client_id"),
            )
        )
    for key in sorted(set(oauth2) - {"token_url", "client_id", "scope"}):
        name = f"oauth2.{key}"
        errors.append((name, tk._("{key} is not a key of a mapping.").format(key=name)))


# --- reading --------------------------------------------------------------------------
def _read(job, url: str) -> Any:
    try:
        text = session.fetch_text(job.session, url)[0]
    except session.FetchFailed as error:
        if error.status in (401, 403):
            raise gather_outcome.CatalogueError(
                tk._(
                    "The API {url} refused the login (it answered {status}); check "
                    "the source's login. Nothing was harvested or withdrawn."
                ).format(url=url_safety.shown(url), status=error.status)
            ) from None
        raise gather_outcome.CatalogueError(str(error)) from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise gather_outcome.CatalogueError(
            tk._("The answer of {url} is not JSON.").format(url=url_safety.shown(url))
        ) from None


def _with(url: str, **params: Any) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in query if k not in params] + [
        (k, str(v)) for k, v in params.items()
    ]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def pages(
    job, mapping: json_mapping.Mapping, url: str
) -> Iterator[tuple[str, list[Any]]]:
    """(page URL, its records) for each page of the list at ``url``; CatalogueError
    when a page cannot be read or holds no list where the mapping says."""
    paging = job.config.get("paging") or {"type": "none"}
    kind, size = paging["type"], paging.get("size")
    number, offset, seen = paging.get("start", 1), 0, set()
    page_url = url
    while True:
        if kind == "page":
            page_url = _with(url, **{paging["param"]: number})
        elif kind == "offset":
            page_url = _with(url, **{paging["param"]: offset})
        if size and paging.get("size_param"):
            page_url = _with(page_url, **{paging["size_param"]: size})
        _count(job, page_url, seen)
        answer = _read(job, page_url)
        records = json_records.page_records(mapping, answer)
        if records is None:
            where = mapping.records.source if mapping.records else "@"
            raise gather_outcome.CatalogueError(
                tk._(
                    "The answer of {url} has no list of records at {path}; nothing "
                    "was harvested or withdrawn."
                ).format(url=url_safety.shown(page_url), path=where)
            )
        yield page_url, records
        if kind == "none":
            return
        if kind in ("page", "offset"):
            # Only an empty page ends the list: a short one may be the server's
            # own page size, smaller than ours, and the records after it would
            # look gone (and be withdrawn).
            if not records:
                return
            number, offset = number + 1, offset + len(records)
            continue
        following = json_records.search_text(paging["next"], answer)
        if not following:
            return
        if kind == "cursor":
            page_url = _with(url, **{paging["param"]: following})
        else:
            page_url = _next_link(job, url, page_url, following)


def _next_link(job, url: str, page_url: str, following: str) -> str:
    """The next page a page names: on the list's own site only (the records found
    elsewhere would be published as the source's), without the source's API key,
    which the session adds (a link that copied it would show it in messages)."""
    link = urllib.parse.urljoin(page_url, following)
    if url_safety.origin(link) != url_safety.origin(url):
        raise gather_outcome.CatalogueError(
            tk._(
                "The API {url} names a next page on another site; the list is "
                "incomplete and nothing was withdrawn."
            ).format(url=url_safety.shown(page_url))
        )
    key = job.config.get("api_key_param")
    if not key:
        return link
    parts = urllib.parse.urlsplit(link)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = [(name, value) for name, value in query if name != key]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _count(job, page_url: str, seen: set[str]) -> None:
    """One more page read, within ``max_pages``, none of them twice."""
    if page_url in seen:
        raise gather_outcome.CatalogueError(
            tk._(
                "The API {url} gave the same page twice; the list is incomplete "
                "and nothing was withdrawn."
            ).format(url=url_safety.shown(page_url))
        )
    seen.add(page_url)
    job.pages_read += 1
    if job.pages_read > job.config["max_pages"]:
        raise gather_outcome.CatalogueError(
            tk._("The catalogue has more than {max} pages.").format(
                max=job.config["max_pages"]
            )
        )


def detail(job, identity: str) -> Any:
    """A record's detail answer, the record in it (``detail_record``)."""
    url = job.config["detail_url"].replace(
        ID_FIELD, urllib.parse.quote(identity, safe="")
    )
    answer = _read(job, url)
    path = job.config.get("detail_record")
    return json_records.search(path, answer) if path else answer
