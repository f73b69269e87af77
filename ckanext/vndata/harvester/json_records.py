"""Records of a JSON API read with a source's mapping (json_mapping.py).

A record is remote input: reading it never raises. What cannot be read is left out
and said in the record's notes, and the Vietnamese schema's validation (policy.py)
judges the values that are taken.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import jmespath
from jmespath import exceptions as jmespath_errors

import ckan.plugins.toolkit as tk

from ckanext.vndata.harvester.json_mapping import (
    MAX_RESOURCES,
    MAX_TEXT,
    Expression,
    Mapping,
    folded,
    said,
)
from ckanext.vndata.lib.text import storable

MAX_ID_CHARS = 500  # an identity names the record in its guid and detail address


def _search(expression: Expression, data: Any, notes: list[str]) -> Any:
    try:
        return expression.compiled.search(data)
    except (jmespath_errors.JMESPathError, RecursionError, ValueError, TypeError) as e:
        notes.append(
            tk._("{key} could not be read from the record: {error}").format(
                key=expression.key, error=said(e)
            )
        )
        return None


@functools.lru_cache(maxsize=256)
def _compiled(source: str):
    return jmespath.compile(source)


def search(source: str, data: Any) -> Any:
    """What the (checked) path ``source`` finds in remote ``data``; None when it
    finds nothing or fails."""
    return _search(Expression(source, source, _compiled(source)), data, [])


def search_text(source: str, data: Any) -> str | None:
    """As ``search``, as text (a cursor, a link); None for anything else."""
    return _scalar_text(search(source, data))


def page_records(mapping: Mapping, answer: Any) -> list[Any] | None:
    """The records of a list page's answer; None when the path finds no list there."""
    found = answer if mapping.records is None else _search(mapping.records, answer, [])
    return found if isinstance(found, list) else None


def identity(mapping: Mapping, record: Any) -> str | None:
    """The record's identifier at its source, as text; None if it has none usable."""
    return _scalar_text(_search(mapping.identity, record, []))


def usable_identity(record_id: str) -> bool:
    """An identity that can name the record here (in its guid: no NUL, bounded) and
    in its detail's address ("." and ".." would name another path there)."""
    return (
        storable(record_id) == record_id
        and len(record_id) <= MAX_ID_CHARS
        and record_id not in (".", "..")
    )


def modified(mapping: Mapping, record: Any) -> str | None:
    if mapping.modified is None:
        return None
    return _scalar_text(_search(mapping.modified, record, []))


def publisher(mapping: Mapping, record: Any) -> str | None:
    if mapping.publisher is None:
        return None
    return _scalar_text(_search(mapping.publisher, record, []))


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str) and value.strip() and "\x00" not in value:
        return value.strip()
    return None


def package(mapping: Mapping, record: Any) -> tuple[dict[str, Any], list[str]]:
    """The dataset the mapping makes of ``record`` (before the source's rules and the
    schema's validation), and notes on what could not be taken from it."""
    notes: list[str] = []
    dataset: dict[str, Any] = {}
    for expression in mapping.fields:
        field = expression.key.rsplit(".", 1)[1]
        value = _value(expression, _search(expression, record, notes), notes)
        if isinstance(value, str) and field in mapping.list_fields:
            value = [value]  # one sector, as a list of one
        if value is not None:
            dataset[field] = _mapped(value, mapping.value_maps.get(field))
    if mapping.resources is not None:
        dataset["resources"] = _resources_of(mapping, record, notes)
    return dataset, notes


def _value(expression: Expression, value: Any, notes: list[str]) -> Any:
    """Text, or a list of texts, for a field; None (and a note) for anything else."""
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if isinstance(value, list) and all(
        isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
    ):
        return [v[:MAX_TEXT] if isinstance(v, str) else json.dumps(v) for v in value]
    notes.append(
        tk._(
            "{key} found {kind} in the record, not text or a list of texts; "
            "it was left out."
        ).format(key=expression.key, kind=type(value).__name__)
    )
    return None


def _mapped(value: Any, table: dict[str, str] | None) -> Any:
    if not table:
        return value
    if isinstance(value, list):
        return [table.get(folded(v), v) for v in value]
    return table.get(folded(value), value)


def _resources_of(mapping: Mapping, record: Any, notes: list[str]) -> list[dict]:
    found = _search(mapping.resources, record, notes)
    if found is None:
        return []
    if not isinstance(found, list):
        notes.append(
            tk._("{key} found no list in the record.").format(key=mapping.resources.key)
        )
        return []
    if len(found) > MAX_RESOURCES:
        notes.append(
            tk._("The record has {n} resources; the first {max} were taken.").format(
                n=len(found), max=MAX_RESOURCES
            )
        )
    resources = []
    for item in found[:MAX_RESOURCES]:
        resource = {}
        for expression in mapping.resource_fields:
            field = expression.key.rsplit(".", 1)[1]
            value = _value(expression, _search(expression, item, notes), notes)
            if isinstance(value, str):
                resource[field] = value
            elif value is not None:  # a list: a resource field holds one text
                resource[field] = ", ".join(value)
        if resource.get("url"):
            resources.append(resource)
        else:
            notes.append(
                tk._(
                    "A resource of the record has no URL ({key}); it was left out."
                ).format(key=f"{mapping.resources.key.rsplit('.', 1)[0]}.fields.url")
            )
    return resources
