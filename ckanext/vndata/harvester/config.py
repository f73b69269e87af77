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
     "locally_owned_fields": ["tag_string"], "extra_profiles": ["vn_hue_od"],
     "plans": true, "plans_url": "https://data.danang.gov.vn/ke-hoach/catalog.ttl"}

``plans`` (default true) harvests the source's published open-data plans too
(plan_gather.py); ``plans_url`` names the plans index of a DCAT source whose
catalogue does not advertise it.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib.metadata import entry_points
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import admin_units, agency_codes, vocabularies

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
    "plans": True,
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
    "plans_url",
}
# Keys whose values are credentials: never stored in the public config (secrets.py
# keeps them in their own table and gives them back at gather time). A harvester
# that needs another credential (password, client_secret, api_key) adds it here.
SECRET_KEYS = frozenset({"auth_header"})
# Longer configs are refused: a source's config is read on every harvested record.
MAX_CHARS = 65536


# Identity of a harvested dataset: the national portal cannot own these.
PROTECTED_FIELDS = {"name", "owner_org", "source_catalog_uri", "source_catalog_title"}


class ConfigError(ValueError):
    """A source config that cannot be used; each message names its key."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def _number(errors: list, value: Any, key: str, low: float, high: float) -> None:
    if (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or not (low <= value <= high)
    ):
        errors.append(
            tk._("{key} must be a number from {low} to {high}.").format(
                key=key, low=low, high=high
            )
        )


def _text(errors: list, config: dict, key: str) -> None:
    if key in config and not isinstance(config[key], str):
        errors.append(tk._("{key} must be text.").format(key=key))


def _mapping(errors: list, config: dict, key: str) -> bool:
    """Whether config[key] is an object of texts (an error is added if not)."""
    value = config[key]
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return True
    errors.append(
        tk._('{key} must be an object of texts, e.g. {{"a": "b"}}.').format(key=key)
    )
    return False


def _check_province(errors: list, config: dict) -> None:
    if "province_code" in config:
        code = config["province_code"]
        if isinstance(code, bool) or not isinstance(code, (str, int)):
            errors.append(tk._("province_code must be a province code or name."))
            return
        try:
            config["province_code"] = admin_units.resolve_province(str(code)).code
        except admin_units.UnknownUnit as error:
            errors.append(
                tk._("province_code: unknown province {given}.").format(
                    given=error.given
                )
            )
    if not _mapping(errors, config, "province_map"):
        return
    for given, target in config["province_map"].items():
        try:
            config["province_map"][given] = admin_units.resolve_province(target).code
        except admin_units.UnknownUnit:
            errors.append(
                tk._("province_map: {given} maps to unknown province {target}.").format(
                    given=given, target=target
                )
            )


def _check_choices(errors: list, config: dict) -> None:
    defaults = config["defaults"]
    if not isinstance(defaults, dict):
        errors.append(tk._("defaults must be an object of field values."))
        defaults = {}
    sectors = defaults.get("sectors")
    if sectors is not None and (
        not isinstance(sectors, list)
        or any(
            not isinstance(s, str) or vocabularies.term("sectors", s) is None
            for s in sectors
        )
    ):
        errors.append(
            tk._("defaults.{key}: unknown value {value}.").format(
                key="sectors", value=_shown(sectors)
            )
        )
    for key, vocabulary in DEFAULTABLE.items():
        value = defaults.get(key)
        if value is not None and (
            not isinstance(value, str) or vocabularies.term(vocabulary, value) is None
        ):
            errors.append(
                tk._("defaults.{key}: unknown value {value}.").format(
                    key=key, value=_shown(value)
                )
            )
    if not _mapping(errors, config, "sector_map"):
        return
    for label, sector in config["sector_map"].items():
        if vocabularies.term("sectors", sector) is None:
            errors.append(
                tk._("sector_map: {label} maps to unknown sector {sector}.").format(
                    label=label, sector=sector
                )
            )


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _check_publishers(errors: list, config: dict) -> None:
    if config["unknown_publishers"] not in ("default", "create", "review"):
        errors.append(tk._("unknown_publishers must be default, create or review."))
    rules = config.get("publisher_rules") or []
    if not isinstance(rules, list):
        errors.append(tk._("publisher_rules must be a list of rules."))
        return
    for rule in rules:
        if (
            not isinstance(rule, dict)
            or not isinstance(rule.get("organization"), str)
            or not ({"agency_code", "uri", "name"} & set(rule))
            or not all(isinstance(v, str) for v in rule.values())
        ):
            errors.append(
                tk._(
                    "publisher_rules: each rule needs an organization and a match "
                    "(agency_code, uri or name), all as text."
                )
            )
            continue
        if "agency_code" in rule:
            try:
                rule["agency_code"] = agency_codes.parse(rule["agency_code"]).code
            except agency_codes.InvalidAgencyCode:
                errors.append(
                    tk._("publisher_rules: invalid agency code {code}.").format(
                        code=rule["agency_code"]
                    )
                )


def _names(errors: list, config: dict, key: str, known: set[str]) -> None:
    value = config[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(tk._("{key} must be a list of names.").format(key=key))
        return
    unknown = sorted(set(value) - known)
    if unknown:
        errors.append(
            tk._("{key}: unknown names {names}.").format(
                key=key, names=", ".join(unknown)
            )
        )


def _dataset_fields() -> set[str]:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema("dataset") or {}
    return {f["field_name"] for f in schema.get("dataset_fields", [])} | {"groups"}


def parse(raw: str | None) -> dict[str, Any]:
    """The source config with defaults filled in; ConfigError lists what is wrong."""
    if raw is not None and not isinstance(raw, str):
        raise ConfigError([tk._("The configuration must be a JSON object.")])
    # Every record of a harvest reads its source's config: parse each text once.
    return copy.deepcopy(_parse(raw))


@functools.lru_cache(maxsize=64)
def _parse(raw: str | None) -> dict[str, Any]:
    given = _load(raw)
    errors: list[str] = []
    unknown = sorted(set(given) - KNOWN_KEYS)
    if unknown:
        errors.append(
            tk._("Unknown configuration keys: {keys}.").format(keys=", ".join(unknown))
        )
    config = {**DEFAULTS, **given}
    if isinstance(given.get("deletion", {}), dict):
        config["deletion"] = {**DEFAULTS["deletion"], **(given.get("deletion") or {})}
        _number(errors, config["deletion"]["max_share"], "deletion.max_share", 0, 1)
        _number(errors, config["deletion"]["grace_days"], "deletion.grace_days", 0, 365)
    else:
        errors.append(tk._("deletion must be an object (max_share, grace_days)."))
    _check_province(errors, config)
    if config["validation"] not in ("warn", "block"):
        errors.append(tk._("validation must be warn or block."))
    for key, low, high in LIMITS:
        _number(errors, config[key], key, low, high)
    texts = ("default_organization", "rdf_format", "plans_url", *sorted(SECRET_KEYS))
    for key in texts:
        _text(errors, config, key)
    for key in ("personal_data_assessed", "plans"):
        if not isinstance(config.get(key, True), bool):
            errors.append(tk._("{key} must be true or false.").format(key=key))
    _check_choices(errors, config)
    _check_publishers(errors, config)
    _names(errors, config, "locally_owned_fields", _dataset_fields() - PROTECTED_FIELDS)
    _names(
        errors,
        config,
        "extra_profiles",
        {e.name for e in entry_points(group="ckan.rdf.profiles")},
    )
    if errors:
        raise ConfigError(errors)
    return config


# Numeric keys and their bounds.
LIMITS = (
    ("timeout", 1, 600),
    ("max_document_mb", 1, 1024),
    ("max_pages", 1, 100000),
    ("requests_per_second", 0.1, 100),
)


def _load(raw: str | None) -> dict[str, Any]:
    """The JSON object of a config text (no defaults, nothing checked but its form)."""
    if raw and len(raw) > MAX_CHARS:
        message = tk._("The configuration is too long (at most {max} characters).")
        raise ConfigError([message.format(max=MAX_CHARS)])
    try:
        given = json.loads(raw) if raw and raw.strip() else {}
    except json.JSONDecodeError as error:
        message = tk._(
            "The configuration is not valid JSON (line {line}, column {column})."
        )
        raise ConfigError(
            [message.format(line=error.lineno, column=error.colno)]
        ) from None
    if not isinstance(given, dict):
        raise ConfigError([tk._("The configuration must be a JSON object.")])
    return given
