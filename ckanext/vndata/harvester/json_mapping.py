"""The declarative mapping of a JSON API's records to this portal's datasets.

A provincial portal that speaks neither DCAT nor CKAN (issue 21) is described in its
source's config, not in code: where a page's records are, what identifies a record,
when it last changed, who publishes it, and, field by field, where each dataset field
and each resource field is in the record. Every path is a JMESPath expression
(jmespath.org, the ``jmespath`` library that boto and the AWS CLI use): no path syntax
of ours. Value maps turn the source's labels (sectors, frequencies, licences, old
province codes) into this portal's values.

``parse`` checks a mapping and names every mistake by its key, all at once
(config.ConfigError); json_records.py reads records with the ``Mapping`` it gives.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jmespath
from jmespath import exceptions as jmespath_errors

import ckan.plugins.toolkit as tk

from ckanext.vndata.harvester.config import ConfigError

# The mapping's keys: (key, required). ``records`` may be absent when a page's answer
# is the list itself.
RECORD_PATHS = ("records", "identity", "modified", "publisher")
REQUIRED = ("identity", "fields")
KNOWN = frozenset((*RECORD_PATHS, "fields", "value_maps", "resources"))
RESOURCE_KEYS = frozenset(("each", "fields"))
# Fields a mapping may not fill: this portal names, owns and stamps its datasets
# (config.PROTECTED_FIELDS), the publication gate decides what is private, the harvest
# writes its notes and the source's catalogue, and openness is computed here.
NOT_MAPPED = frozenset(
    ("id", "name", "owner_org", "type", "state", "private", "source_catalog_uri",
     "source_catalog_title", "source_catalog_publisher", "harvest_notes",
     "openness_stars", "plan_item", "translations")
)  # fmt: skip
NOT_MAPPED_RESOURCE = frozenset(("id", "openness_stars", "translations"))
# An expression longer than this is a mistake, not a path (and parsing one costs).
MAX_EXPRESSION = 1000
MAX_RESOURCES = 100  # per record: the rest is left out, and said
MAX_TEXT = 100_000  # characters of one mapped value


class Expression(NamedTuple):
    key: str  # where the mapping declares it, e.g. "fields.title"
    source: str
    compiled: Any


class Mapping(NamedTuple):
    records: Expression | None
    identity: Expression
    modified: Expression | None
    publisher: Expression | None
    fields: tuple[Expression, ...]  # key "fields.<dataset field>"
    value_maps: dict[str, dict[str, str]]  # dataset field -> {source value: value}
    resources: Expression | None  # "resources.each"
    resource_fields: tuple[Expression, ...]  # key "resources.fields.<field>"
    list_fields: frozenset[str] = frozenset()  # fields whose value is a list


def schema_fields() -> tuple[set[str], set[str], set[str]]:
    """(dataset fields, resource fields, dataset fields holding a list of choices) of
    this portal's dataset schema: what a mapping may fill, and where one value found
    in a record is a list of one."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema("dataset") or {}
    fields = schema.get("dataset_fields", [])
    return (
        {f["field_name"] for f in fields},
        {f["field_name"] for f in schema.get("resource_fields", [])},
        {
            f["field_name"]
            for f in fields
            if "scheming_multiple_choice" in str(f.get("validators", ""))
            or str(f.get("preset", "")).startswith("multiple_")
        },
    )


def parse(
    raw: Any,
    dataset_fields: set[str],
    resource_fields: set[str],
    list_fields: set[str] = frozenset(),
    prefix: str = "mapping",
) -> Mapping:
    """The mapping ``raw`` (the source config's object under ``prefix``) compiled, or
    ConfigError naming every mistake by its key (``mapping.fields.title``)."""
    errors: list[tuple[str, str]] = []
    if not isinstance(raw, dict):
        raise ConfigError(
            [(prefix, tk._("{key} must be an object.").format(key=prefix))]
        )
    for key in sorted(set(raw) - KNOWN, key=str):
        name = f"{prefix}.{key}"
        errors.append((name, tk._("{key} is not a key of a mapping.").format(key=name)))
    for key in REQUIRED:
        if key not in raw:
            name = f"{prefix}.{key}"
            errors.append((name, tk._("{key} is required.").format(key=name)))
    paths = {
        key: expression(errors, f"{prefix}.{key}", raw[key])
        for key in RECORD_PATHS
        if key in raw
    }
    fields = _paths(
        errors, raw.get("fields", {}), f"{prefix}.fields", dataset_fields - NOT_MAPPED
    )
    if "fields" in raw and isinstance(raw["fields"], dict) and not raw["fields"]:
        name = f"{prefix}.fields"
        errors.append((name, tk._("{key} maps no field.").format(key=name)))
    value_maps = _value_maps(errors, raw.get("value_maps", {}), prefix, fields)
    each, resource_paths = _resources(
        errors, raw.get("resources"), prefix, resource_fields
    )
    if errors:
        raise ConfigError(errors)
    return Mapping(
        records=paths.get("records"),
        identity=paths["identity"],
        modified=paths.get("modified"),
        publisher=paths.get("publisher"),
        fields=tuple(fields),
        value_maps=value_maps,
        resources=each,
        resource_fields=tuple(resource_paths),
        list_fields=frozenset(list_fields),
    )


def expression(errors: list, key: str, source: Any) -> Expression | None:
    """``source`` compiled as the JMESPath expression of ``key``, or None with the
    mistake added to ``errors``."""
    if not isinstance(source, str) or not source.strip():
        errors.append(
            (key, tk._("{key} must be a JMESPath expression (text).").format(key=key))
        )
        return None
    if len(source) > MAX_EXPRESSION or "\x00" in source:
        errors.append(
            (
                key,
                tk._("{key} is longer than {n} characters or holds a NUL.").format(
                    key=key, n=MAX_EXPRESSION
                ),
            )
        )
        return None
    try:
        return Expression(key, source, jmespath.compile(source))
    except (jmespath_errors.JMESPathError, RecursionError) as error:
        errors.append(
            (
                key,
                tk._("{key} is not a JMESPath expression: {error}").format(
                    key=key, error=said(error)
                ),
            )
        )
        return None


def _paths(errors: list, raw: Any, key: str, known: set[str]) -> list[Expression]:
    """{field: expression} under ``key``, each field one of ``known``."""
    if not isinstance(raw, dict):
        errors.append(
            (key, tk._("{key} must be an object of fields and paths.").format(key=key))
        )
        return []
    found = []
    for field in sorted(raw, key=str):
        name = f"{key}.{field}"
        if field not in known:
            errors.append(
                (name, tk._("{key}: this portal has no such field.").format(key=name))
            )
            continue
        compiled = expression(errors, name, raw[field])
        if compiled is not None:
            found.append(compiled)
    return found


def _value_maps(
    errors: list, raw: Any, prefix: str, fields: list[Expression]
) -> dict[str, dict[str, str]]:
    key = f"{prefix}.value_maps"
    if not isinstance(raw, dict):
        errors.append((key, tk._("{key} must be an object of fields.").format(key=key)))
        return {}
    mapped = {expression.key.rsplit(".", 1)[1] for expression in fields}
    maps = {}
    for field in sorted(raw, key=str):
        name = f"{key}.{field}"
        table = raw[field]
        if field not in mapped:
            errors.append(
                (
                    name,
                    tk._("{key}: the field is not in {fields}.").format(
                        key=name, fields=f"{prefix}.fields"
                    ),
                )
            )
        elif not isinstance(table, dict) or not all(
            isinstance(v, str) for v in table.values()
        ):
            errors.append(
                (
                    name,
                    tk._('{key} must be an object of texts, e.g. {{"a": "b"}}.').format(
                        key=name
                    ),
                )
            )
        else:
            maps[field] = {folded(source): value for source, value in table.items()}
    return maps


def _resources(
    errors: list, raw: Any, prefix: str, known: set[str]
) -> tuple[Expression | None, list[Expression]]:
    key = f"{prefix}.resources"
    if raw is None:
        return None, []
    if not isinstance(raw, dict) or not {"each", "fields"} <= set(raw):
        errors.append(
            (
                key,
                tk._("{key} must be an object with each and fields.").format(key=key),
            )
        )
        return None, []
    for extra in sorted(set(raw) - RESOURCE_KEYS, key=str):
        name = f"{key}.{extra}"
        errors.append((name, tk._("{key} is not a key of a mapping.").format(key=name)))
    each = expression(errors, f"{key}.each", raw["each"])
    paths = _paths(errors, raw["fields"], f"{key}.fields", known - NOT_MAPPED_RESOURCE)
    if isinstance(raw["fields"], dict) and "url" not in raw["fields"]:
        name = f"{key}.fields.url"
        errors.append((name, tk._("{key} is required.").format(key=name)))
    return each, paths


def said(error: BaseException) -> str:  # a library's message, on one short line
    return " ".join(str(error).split())[:200]


def folded(value: str) -> str:  # a label whatever its case and spacing
    return " ".join(value.split()).casefold()
