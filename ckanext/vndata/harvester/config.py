"""Per-source configuration of the Vietnamese harvesters, validated with clear errors.

A source's config is JSON, e.g.::

    {"province_code": "48",
     "default_organization": "so-khcn-da-nang",
     "publisher_rules": [{"agency_code": "H17.14", "organization": "so-khcn-da-nang"}],
     "unknown_publishers": "default",
     "sector_map": {"Giáo dục": "giao-duc-dao-tao"},
     "defaults": {"data_sharing_class": "mo", "update_frequency": "khong_dinh_ky"},
     "deletion": {"max_share": 0.2, "grace_days": 7},
     "validation": "warn",
     "auth_header": "Basic ...", "timeout": 30, "max_document_mb": 50,
     "max_pages": 500, "requests_per_second": 5,
     "locally_owned_fields": ["tag_string"], "extra_profiles": ["vn_hue_od"]}
"""

from __future__ import annotations

import copy
import functools
import json
from importlib.metadata import entry_points
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata import admin_units, agency_codes, vocabularies

DEFAULTS: dict[str, Any] = {
    "unknown_publishers": "default",
    "sector_map": {},
    "province_map": {},
    "defaults": {},
    "deletion": {"max_share": 0.2, "grace_days": 7},
    "validation": "warn",
    "timeout": 60,
    "max_document_mb": 50,
    "max_pages": 1000,
    "requests_per_second": 5,
    "locally_owned_fields": [],
    "extra_profiles": [],
}
# Vietnamese fields a source may default when its records lack them.
DEFAULTABLE = {
    "data_sharing_class": "data_sharing_class",
    "data_importance_class": "data_importance_class",
    "update_frequency": "update_frequency",
    "language": "language",
}
KNOWN_KEYS = set(DEFAULTS) | {
    "province_code",
    "default_organization",
    "publisher_rules",
    "auth_header",
    "personal_data_assessed",
    "rdf_format",
}


# Identity of a harvested dataset: the national portal cannot own these.
PROTECTED_FIELDS = {"name", "owner_org", "source_catalog_uri", "source_catalog_title"}


class ConfigError(ValueError):
    """A source config that cannot be used; the message names the key."""


def _number(config: dict, key: str, low: float, high: float) -> None:
    value = config[key]
    if (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or not (low <= value <= high)
    ):
        raise ConfigError(
            tk._("{key} must be a number from {low} to {high}.").format(
                key=key, low=low, high=high
            )
        )


def _check_choices(config: dict) -> None:
    sectors = config["defaults"].get("sectors")
    if sectors is not None and (
        not isinstance(sectors, list)
        or any(vocabularies.term("sectors", s) is None for s in sectors)
    ):
        raise ConfigError(
            tk._("defaults.{key}: unknown value {value}.").format(
                key="sectors", value=sectors
            )
        )
    for key, vocabulary in DEFAULTABLE.items():
        value = config["defaults"].get(key)
        if value is not None and vocabularies.term(vocabulary, value) is None:
            raise ConfigError(
                tk._("defaults.{key}: unknown value {value}.").format(
                    key=key, value=value
                )
            )
    for label, sector in config["sector_map"].items():
        if vocabularies.term("sectors", sector) is None:
            raise ConfigError(
                tk._("sector_map: {label} maps to unknown sector {sector}.").format(
                    label=label, sector=sector
                )
            )


def _check_publishers(config: dict) -> None:
    if config["unknown_publishers"] not in ("default", "create", "review"):
        raise ConfigError(tk._("unknown_publishers must be default, create or review."))
    for rule in config.get("publisher_rules") or []:
        if not isinstance(rule, dict) or "organization" not in rule:
            raise ConfigError(
                tk._("Each publisher rule needs an organization and a match.")
            )
        if not ({"agency_code", "uri", "name"} & set(rule)):
            raise ConfigError(
                tk._("Each publisher rule needs an organization and a match.")
            )
        if "agency_code" in rule:
            try:
                rule["agency_code"] = agency_codes.parse(rule["agency_code"]).code
            except agency_codes.InvalidAgencyCode:
                raise ConfigError(
                    tk._("publisher_rules: invalid agency code {code}.").format(
                        code=rule["agency_code"]
                    )
                )


def _names(config: dict, key: str, known: set[str]) -> None:
    value = config[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(tk._("{key} must be a list of names.").format(key=key))
    unknown = sorted(set(value) - known)
    if unknown:
        raise ConfigError(
            tk._("{key}: unknown names {names}.").format(
                key=key, names=", ".join(unknown)
            )
        )


def _dataset_fields() -> set[str]:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema("dataset") or {}
    return {f["field_name"] for f in schema.get("dataset_fields", [])} | {"groups"}


def parse(raw: str | None) -> dict[str, Any]:
    """The source config with defaults filled in; ConfigError names what is wrong."""
    # Every record of a harvest reads its source's config: parse each text once.
    return copy.deepcopy(_parse(raw))


@functools.lru_cache(maxsize=64)
def _parse(raw: str | None) -> dict[str, Any]:
    try:
        given = json.loads(raw) if raw else {}
    except ValueError as error:
        raise ConfigError(tk._("The configuration is not valid JSON: {error}").format(
            error=error
        ))  # fmt: skip
    if not isinstance(given, dict):
        raise ConfigError(tk._("The configuration must be a JSON object."))
    unknown = sorted(set(given) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            tk._("Unknown configuration keys: {keys}.").format(keys=", ".join(unknown))
        )
    config = {**DEFAULTS, **given}
    config["deletion"] = {**DEFAULTS["deletion"], **(given.get("deletion") or {})}
    if "province_code" in config:
        try:
            config["province_code"] = admin_units.resolve_province(
                str(config["province_code"])
            ).code
        except admin_units.UnknownUnit as error:
            raise ConfigError(
                tk._("Unknown province {given}.").format(given=error.given)
            )
    if config["validation"] not in ("warn", "block"):
        raise ConfigError(tk._("validation must be warn or block."))
    _number(config, "timeout", 1, 600)
    _number(config, "max_document_mb", 1, 1024)
    _number(config, "max_pages", 1, 100000)
    _number(config, "requests_per_second", 0.1, 100)
    _number(config["deletion"], "max_share", 0, 1)
    _number(config["deletion"], "grace_days", 0, 365)
    _check_choices(config)
    _check_publishers(config)
    _names(config, "locally_owned_fields", _dataset_fields() - PROTECTED_FIELDS)
    _names(
        config,
        "extra_profiles",
        {e.name for e in entry_points(group="ckan.rdf.profiles")},
    )
    return config
