"""Datasets read from PostgreSQL in bulk, shaped as package_show gives them, with
their Facts (link verdicts, stored conformance): scoring thousands of datasets without
a package_show each.

Every stored field is read (package columns, extras, resources with their extras JSON),
not a list of the fields the indicators read today: an indicator may read a field only
when another is set (a download address only for a link offered for download), which
no list kept by hand, or found by running the indicators, follows for sure. How
package_show shapes them follows CKAN's and scheming's dictization: a schema field's
extra at the top (a multiple choice as a list), the other extras (kept from a harvest)
in ``extras``, free tags only, the organization as a dict, the licence's address from
the licence register, dates as ISO text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from ckan import model
from ckanext.scheming.helpers import scheming_get_dataset_schema
from ckanext.scheming.validation import scheming_multiple_choice_output

from ckanext.vndata.quality import link_status
from ckanext.vndata.quality.indicators import Facts
from ckanext.vndata.quality.model import DatasetScore

CHUNK = 1000

_PACKAGE = model.package_table
_RESOURCE = model.resource_table
# Not part of package_show's dict (plugin_data is only shown to sysadmins who ask).
_PACKAGE_COLUMNS = [c for c in _PACKAGE.c if c.name != "plugin_data"]
_RESOURCE_COLUMNS = [c for c in _RESOURCE.c if c.name != "extras"]


def _schema_fields() -> tuple[frozenset[str], frozenset[str]]:
    """(the schema's dataset fields, those package_show turns from JSON into a
    list)."""
    fields = (scheming_get_dataset_schema("dataset") or {}).get("dataset_fields", [])
    return (
        frozenset(f["field_name"] for f in fields),
        frozenset(
            f["field_name"]
            for f in fields
            if "scheming_multiple_choice_output" in (f.get("output_validators") or "")
        ),
    )


def _shown(value: Any) -> Any:
    """A stored date as package_show's JSON has it (ISO text)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _dates(columns: list[sa.Column]) -> frozenset[str]:
    return frozenset(c.name for c in columns if isinstance(c.type, sa.DateTime))


_PACKAGE_DATES, _RESOURCE_DATES = _dates(_PACKAGE_COLUMNS), _dates(_RESOURCE_COLUMNS)
_NAMES = ([c.name for c in _PACKAGE_COLUMNS], [c.name for c in _RESOURCE_COLUMNS])


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


def _extras(ids: list[str]) -> dict[str, dict[str, str]]:
    table = model.package_extra_table
    rows = model.Session.execute(
        sa.select(table.c.package_id, table.c.key, table.c.value).where(
            table.c.package_id.in_(ids), table.c.state == "active"
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
    rows = model.Session.execute(
        sa.select(_RESOURCE.c.extras, *_RESOURCE_COLUMNS)
        .where(_RESOURCE.c.package_id.in_(ids), _RESOURCE.c.state == "active")
        .order_by(_RESOURCE.c.package_id, _RESOURCE.c.position)
    )
    resources: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        # resource_dictize merges the extras JSON into the resource's columns.
        stored = json.loads(row[0]) if isinstance(row[0], str) else row[0] or {}
        resource = dict(stored)
        resource.update(zip(_NAMES[1], row[1:], strict=True))
        for name in _RESOURCE_DATES:
            resource[name] = _shown(resource[name])
        resources.setdefault(resource["package_id"], []).append(resource)
    return resources


def _organizations() -> dict[str, dict[str, Any]]:
    table = model.group_table
    rows = model.Session.execute(
        sa.select(table.c.id, table.c.name, table.c.title, table.c.state).where(
            table.c.is_organization.is_(True)
        )
    )
    return {
        row.id: {"id": row.id, "name": row.name, "title": row.title,
                 "is_organization": True, "state": row.state, "type": "organization"}
        for row in rows
    }  # fmt: skip


def _facts(
    ids: list[str], resources: dict[str, list[dict[str, Any]]]
) -> dict[str, Facts]:
    # The verdicts a write's score reads (dataset_score.vndata_quality_facts): only
    # one about the resource's current address counts; any other is "not checked".
    verdicts = link_status.vndata_quality_link_verdicts(ids)
    reachable = {
        package_id: {r["id"]: verdicts.get(r["id"]) for r in shown}
        for package_id, shown in resources.items()
    }
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
    ids: list[str], shape: dict[str, Any]
) -> list[tuple[dict[str, Any], Facts]]:
    rows = model.Session.execute(
        sa.select(*_PACKAGE_COLUMNS).where(_PACKAGE.c.id.in_(ids))
    )
    extras, tags = _extras(ids), _tags(ids)
    resources = _resources(ids)
    facts = _facts(ids, resources)
    read = []
    for row in rows:
        dataset = {
            c.name: _shown(v) for c, v in zip(_PACKAGE_COLUMNS, row, strict=True)
        }
        kept = []
        for key, value in sorted(extras.get(dataset["id"], {}).items()):
            if key in shape["lists"]:
                dataset[key] = scheming_multiple_choice_output(value)
            elif key in shape["fields"]:
                dataset[key] = value
            else:  # not in the schema: package_show keeps it in "extras"
                kept.append({"key": key, "value": value})
        dataset["extras"] = kept
        dataset["tags"] = tags.get(dataset["id"], [])
        dataset["organization"] = shape["organizations"].get(dataset["owner_org"])
        if dataset["license_id"] in shape["licence_urls"]:
            dataset["license_url"] = shape["licence_urls"][dataset["license_id"]]
        dataset["resources"] = resources.get(dataset["id"], [])
        dataset["num_resources"] = len(dataset["resources"])
        dataset["num_tags"] = len(dataset["tags"])
        read.append((dataset, facts[dataset["id"]]))
    return read


def vndata_quality_read(
    ids: list[str], chunk: int = CHUNK
) -> Iterator[list[tuple[dict[str, Any], Facts]]]:
    """The datasets ``ids``, ``chunk`` at a time: [(dataset as package_show gives it,
    its Facts)]."""
    fields, lists = _schema_fields()
    shape = {
        "fields": fields,
        "lists": lists,
        "organizations": _organizations(),
        "licence_urls": _licence_urls(),
    }
    for start in range(0, len(ids), chunk):
        yield _read_chunk(ids[start : start + chunk], shape)
