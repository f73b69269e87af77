"""The dataset links of harvested plans.

Each item of a harvested plan names the source's datasets that deliver it. A dataset
the national portal has harvested is linked at once (a DatasetLink by the item's key,
source "harvest", with its snapshot: sync.link); one not harvested yet waits (table
vndata_plan_link_waiting, per harvest source) until the harvester writes it and calls
link_waiting. Only links the harvest wrote are removed when the source drops them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan.model import meta

from ckanext.vndata.plan import sync
from ckanext.vndata.plan.model import DatasetLink, WaitingLink

# DatasetLink.source of the links the harvest writes (and alone removes).
LINK_SOURCE = "harvest"

Resolve = Callable[[dict[str, Any]], "str | None"]
Pair = tuple[str, str]


def _ref_key(ref: dict[str, Any]) -> str | None:
    """How a waiting link names its dataset: the first of its URI, id, URL name."""
    for key in ("uri", "id", "name"):
        if isinstance(ref.get(key), str) and ref[key]:
            return ref[key]
    return None


@dataclasses.dataclass
class Links:
    """The links a record asks for: resolved (item key, national package id), and
    the refs still waiting, by (item key, ref key)."""

    resolved: set[Pair]
    waiting: dict[Pair, dict[str, Any]]


def wanted(record: dict[str, Any], resolve: Resolve) -> Links:
    links = Links(set(), {})
    for item in record["items"]:
        for ref in item.get("datasets") or []:
            package_id = resolve(ref)
            if package_id:
                links.resolved.add((item["key"], package_id))
            elif _ref_key(ref):
                links.waiting[(item["key"], _ref_key(ref))] = ref
    return links


def _stored(source_id: str, keys: list[str]) -> tuple[set, set, set]:
    """For the keys: every link (any source), the harvest's links, waiting refs."""
    if not keys:
        return set(), set(), set()
    links = meta.Session.query(
        DatasetLink.item_key, DatasetLink.package_id, DatasetLink.source
    ).filter(DatasetLink.item_key.in_(keys))
    present, harvested = set(), set()
    for key, package_id, source in links:
        present.add((key, package_id))
        if source == LINK_SOURCE:
            harvested.add((key, package_id))
    waiting = meta.Session.query(WaitingLink.item_key, WaitingLink.ref).filter(
        WaitingLink.source_id == source_id, WaitingLink.item_key.in_(keys)
    )
    return present, harvested, set(waiting)


def unchanged(source_id: str, keys: list[str], links: Links) -> bool:
    """Whether the stored links are already those asked for (a link made another
    way counts as made)."""
    present, harvested, waiting = _stored(source_id, keys)
    return (
        links.resolved <= present
        and not harvested - links.resolved
        and waiting == set(links.waiting)
    )


def _package(package_id: str) -> dict[str, Any] | None:
    try:
        return tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    except tk.ObjectNotFound:
        return None


def drop_waiting(source_id: str, keys: list[str]) -> None:
    if keys:
        meta.Session.query(WaitingLink).filter(
            WaitingLink.source_id == source_id, WaitingLink.item_key.in_(keys)
        ).delete(synchronize_session=False)


def write(source_id: str, keys: list[str], links: Links) -> None:
    """Make the stored links of the keys those asked for (in the caller's
    transaction)."""
    present, harvested, _ = _stored(source_id, keys)
    for key, package_id in harvested - links.resolved:
        meta.Session.delete(meta.Session.get(DatasetLink, (key, package_id)))
    drop_waiting(source_id, keys)
    waiting = dict(links.waiting)
    for key, package_id in sorted(links.resolved - present):
        package = _package(package_id)
        if package is None:  # resolved to a dataset deleted since: it waits again
            waiting[(key, package_id)] = {"id": package_id}
            continue
        sync.link(key, package, LINK_SOURCE, None)
    for (key, ref_key), ref in waiting.items():
        meta.Session.add(
            WaitingLink(
                source_id=source_id,
                item_key=key,
                ref=ref_key,
                remote_id=ref.get("id"),
                remote_name=ref.get("name"),
                remote_uri=ref.get("uri"),
            )
        )


def link_waiting(
    source_id: str,
    refs: list[str],
    package: dict[str, Any] | Callable[[], dict[str, Any]],
) -> None:
    """Link the harvested items waiting for a dataset the harvester has just written,
    and commit.

    :param source_id: the harvest source
    :param refs: the identifiers the source knows the dataset by (guid, remote id,
        URL name, URI)
    :param package: the national dataset (package_show's dict), or what shows it:
        called only when an item waits (a validated show per harvested record was a
        sixth of a first harvest's time, and almost no record has an item waiting)
    """
    refs = [ref for ref in refs or [] if isinstance(ref, str) and ref]
    if not refs:
        return
    rows = (
        meta.Session.query(WaitingLink)
        .filter(WaitingLink.source_id == source_id)
        .filter(
            sa.or_(
                WaitingLink.remote_id.in_(refs),
                WaitingLink.remote_name.in_(refs),
                WaitingLink.remote_uri.in_(refs),
            )
        )
        .all()
    )
    if not rows:
        return
    if callable(package):
        package = package()
    for row in rows:
        sync.link(row.item_key, package, LINK_SOURCE, None)
        meta.Session.delete(row)
    meta.Session.commit()
