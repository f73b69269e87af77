"""Datasets read from PostgreSQL in bulk, shaped as package_show gives them for the
fields the quality indicators read, with their Facts (link verdicts, stored
conformance): scoring thousands of datasets without a package_show each.

The fields come from the indicators themselves (each test is run once on a recording
dict), so an indicator that reads a new field is fed without a change here. Where a
field lives (a package column, an extra, a resource column or the resource's extras
JSON) and how package_show shapes it (a multiple choice as a list, the licence's
address from the licence register, free tags only) follow CKAN's and scheming's
dictization.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from ckan import model
from ckanext.scheming.helpers import scheming_get_dataset_schema
from ckanext.scheming.validation import scheming_multiple_choice_output

from ckanext.vndata.quality.indicators import DATASET, INDICATORS, Facts
from ckanext.vndata.quality.model import DatasetScore, LinkCheck

CHUNK = 1000


class _Recorder(dict):
    """A dataset or resource with nothing in it that remembers which fields were read.
    Every field reads as empty, so no ``or``/``any`` stops before the last field."""

    def __init__(self) -> None:
        super().__init__()
        self.read: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return default

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return False


def _fields_read() -> tuple[frozenset[str], frozenset[str]]:
    dataset, resource = _Recorder(), _Recorder()
    for indicator in INDICATORS:
        indicator.test(
            dataset, None if indicator.item == DATASET else resource, Facts()
        )
        if indicator.applies is not None:
            indicator.applies(resource)
    return frozenset(dataset.read), frozenset(resource.read | {"id"})


# The fields of a dataset and of a resource that some indicator reads.
DATASET_FIELDS, RESOURCE_FIELDS = _fields_read()

_PACKAGE = model.package_table
_RESOURCE = model.resource_table


def _list_fields() -> frozenset[str]:
    """The dataset fields package_show turns from stored JSON into a list."""
    schema = scheming_get_dataset_schema("dataset") or {}
    return frozenset(
        field["field_name"]
        for field in schema.get("dataset_fields", [])
        if "scheming_multiple_choice_output" in (field.get("output_validators") or "")
    )


def _dataset_ids(org_ids: Iterable[str] | None) -> list[str]:
    query = sa.select(_PACKAGE.c.id).where(
        _PACKAGE.c.state == "active", _PACKAGE.c.type == "dataset"
    )
    if org_ids is not None:
        query = query.where(_PACKAGE.c.owner_org.in_(list(org_ids)))
    return [row[0] for row in model.Session.execute(query.order_by(_PACKAGE.c.id))]


def vndata_quality_dataset_ids(org_ids: Iterable[str] | None = None) -> list[str]:
    """The ids of the active datasets (of ``org_ids``; None: all), the ones scored."""
    return _dataset_ids(org_ids)


def _extras(ids: list[str], fields: Iterable[str]) -> dict[str, dict[str, str]]:
    table = model.package_extra_table
    rows = model.Session.execute(
        sa.select(table.c.package_id, table.c.key, table.c.value).where(
            table.c.package_id.in_(ids),
            table.c.key.in_(list(fields)),
            table.c.state == "active",
        )
    )
    extras: dict[str, dict[str, str]] = {}
    for package_id, key, value in rows:
        extras.setdefault(package_id, {})[key] = value
    return extras


def _tags(ids: list[str]) -> dict[str, list[dict[str, str]]]:
    # package_show keeps free tags only (default_show_package_schema: free_tags_only).
    link, tag = model.package_tag_table, model.tag_table
    rows = model.Session.execute(
        sa.select(link.c.package_id, tag.c.name)
        .join(tag, tag.c.id == link.c.tag_id)
        .where(
            link.c.package_id.in_(ids),
            link.c.state == "active",
            tag.c.vocabulary_id.is_(None),
        )
    )
    tags: dict[str, list[dict[str, str]]] = {}
    for package_id, name in rows:
        tags.setdefault(package_id, []).append({"name": name})
    return tags


def _resources(ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    columns = [c for c in RESOURCE_FIELDS if c in _RESOURCE.c and c != "extras"]
    rows = model.Session.execute(
        sa.select(
            _RESOURCE.c.package_id,
            _RESOURCE.c.extras,
            *(_RESOURCE.c[c] for c in columns),
        )
        .where(_RESOURCE.c.package_id.in_(ids), _RESOURCE.c.state == "active")
        .order_by(_RESOURCE.c.package_id, _RESOURCE.c.position)
    )
    resources: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        package_id, extras = row[0], row[1]
        resource = {"state": "active"}
        # resource_dictize merges the extras JSON into the resource's columns.
        stored = json.loads(extras) if isinstance(extras, str) else extras or {}
        resource.update(
            {k: stored[k] for k in RESOURCE_FIELDS if k in stored and k not in columns}
        )
        resource.update(
            {c: v for c, v in zip(columns, row[2:], strict=True) if v is not None}
        )
        resources.setdefault(package_id, []).append(resource)
    return resources


def _facts(ids: list[str]) -> dict[str, Facts]:
    reachable: dict[str, dict[str, bool | None]] = {}
    for package_id, resource_id, ok in model.Session.query(
        LinkCheck.package_id, LinkCheck.resource_id, LinkCheck.ok
    ).filter(LinkCheck.package_id.in_(ids)):
        reachable.setdefault(package_id, {})[resource_id] = ok
    conformant = dict(
        model.Session.query(DatasetScore.package_id, DatasetScore.conformant).filter(
            DatasetScore.package_id.in_(ids)
        )
    )
    return {
        i: Facts(reachable=reachable.get(i, {}), conformant=conformant.get(i))
        for i in ids
    }


def _licence_urls() -> dict[str, str]:
    register = model.Package.get_license_register()
    return {key: licence.url for key, licence in register.items() if licence.url}


def _read_chunk(
    ids: list[str], lists: frozenset[str], licence_urls: dict[str, str]
) -> list[tuple[dict[str, Any], Facts]]:
    columns = [c for c in DATASET_FIELDS if c in _PACKAGE.c]
    rows = model.Session.execute(
        sa.select(
            _PACKAGE.c.id,
            _PACKAGE.c.owner_org,
            _PACKAGE.c.private,
            _PACKAGE.c.license_id,
            *(_PACKAGE.c[c] for c in columns),
        ).where(_PACKAGE.c.id.in_(ids))
    )
    extras = _extras(ids, DATASET_FIELDS - set(columns))
    tags = _tags(ids) if "tags" in DATASET_FIELDS else {}
    resources = _resources(ids)
    facts = _facts(ids)
    read = []
    for row in rows:
        dataset: dict[str, Any] = {
            "id": row[0],
            "owner_org": row[1],
            "private": row[2],
            "license_id": row[3],
        }
        for key, value in extras.get(row[0], {}).items():
            dataset[key] = (
                scheming_multiple_choice_output(value) if key in lists else value
            )
        dataset.update({c: v for c, v in zip(columns, row[4:], strict=True)})
        dataset["tags"] = tags.get(row[0], [])
        if row[3] in licence_urls:  # package_dictize adds it from the licence register
            dataset["license_url"] = licence_urls[row[3]]
        dataset["resources"] = resources.get(row[0], [])
        read.append((dataset, facts[row[0]]))
    return read


def vndata_quality_read(
    ids: list[str], chunk: int = CHUNK
) -> Iterator[list[tuple[dict[str, Any], Facts]]]:
    """The datasets ``ids``, ``chunk`` at a time: [(dataset as package_show gives the
    fields the indicators read, its Facts)]."""
    lists = _list_fields()
    licence_urls = _licence_urls()
    for start in range(0, len(ids), chunk):
        yield _read_chunk(ids[start : start + chunk], lists, licence_urls)
