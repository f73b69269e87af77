"""Per-source configuration of the Vietnamese harvesters, validated with clear errors.

Every key, its default, an example and its meaning are declared in config_keys.py
(the source form and the README show them). Every mistake is reported at once, under
the key it concerns (ConfigError.by_key); a number written as text ("30") is taken.
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

from ckanext.vndata.harvester import config_keys, login_values
from ckanext.vndata.lib import admin_units, agency_codes, text, vocabularies

# Every key, its default and meaning: config_keys.py.
DEFAULTS = config_keys.DEFAULTS
KNOWN_KEYS = config_keys.KNOWN_KEYS
# Keys whose values are credentials: never stored in the public config (secrets.py
# keeps them in their own table and gives them back at gather time).
SECRET_KEYS = config_keys.SECRET_KEYS
LIMITS = config_keys.LIMITS
# Vietnamese fields a source may default when its records lack them.
DEFAULTABLE = {
    "data_sharing_class": "data_sharing_class",
    "data_importance_class": "data_importance_class",
    "update_frequency": "update_frequency",
    "language": "language",
}
# Longer configs are refused: a source's config is read on every harvested record.
MAX_CHARS = 65536


# Identity of a harvested dataset: the national portal cannot own these.
PROTECTED_FIELDS = {"name", "owner_org", "source_catalog_uri", "source_catalog_title"}


class ConfigError(ValueError):
    """A source config that cannot be used: every mistake at once, each under the key
    it concerns ("" for the config as a whole) and naming it in its message."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.messages = [message for _key, message in errors]
        super().__init__(" ".join(self.messages))
        self.by_key: dict[str, list[str]] = {}
        for key, message in errors:
            self.by_key.setdefault(key, []).append(message)


def _number(errors: list, container: dict, field: str, key: str, limits) -> None:
    """container[field] as a number within limits (low, high); a number written as
    text ("30", as a form or a hand-written config often has it) is taken as one."""
    low, high = limits
    value = container[field]
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
        if number is not None:
            value = int(number) if number.is_integer() else number
            container[field] = value
    if (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or not (low <= value <= high)
    ):
        errors.append(
            (
                key,
                tk._("{key} must be a number from {low} to {high}.").format(
                    key=key, low=low, high=high
                ),
            )
        )


def _text(errors: list, config: dict, key: str) -> None:
    message = login_values.problem(key, config[key]) if key in config else None
    if message:
        errors.append((key, message))


def _mapping(errors: list, config: dict, key: str) -> bool:
    """Whether config[key] is an object of texts (an error is added if not)."""
    value = config[key]
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return True
    errors.append(
        (
            key,
            tk._('{key} must be an object of texts, e.g. {{"a": "b"}}.').format(
                key=key
            ),
        )
    )
    return False


def _check_province(errors: list, config: dict) -> None:
    if "province_code" in config:
        code = config["province_code"]
        if isinstance(code, bool) or not isinstance(code, (str, int)):
            errors.append(
                (
                    "province_code",
                    tk._("province_code must be a province code or name."),
                )
            )
            return
        try:
            config["province_code"] = admin_units.resolve_province(str(code)).code
        except admin_units.UnknownUnit as error:
            errors.append(
                (
                    "province_code",
                    tk._("province_code: unknown province {given}.").format(
                        given=error.given
                    ),
                )
            )
    if not _mapping(errors, config, "province_map"):
        return
    for given, target in config["province_map"].items():
        try:
            config["province_map"][given] = admin_units.resolve_province(target).code
        except admin_units.UnknownUnit:
            errors.append(
                (
                    "province_map",
                    tk._(
                        "province_map: {given} maps to unknown province {target}."
                    ).format(given=given, target=target),
                )
            )


def _check_choices(errors: list, config: dict) -> None:
    defaults = config["defaults"]
    if not isinstance(defaults, dict):
        errors.append(("defaults", tk._("defaults must be an object of field values.")))
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
            (
                "defaults",
                tk._("defaults.{key}: unknown value {value}.").format(
                    key="sectors", value=_shown(sectors)
                ),
            )
        )
    for key, vocabulary in DEFAULTABLE.items():
        value = defaults.get(key)
        if value is not None and (
            not isinstance(value, str) or vocabularies.term(vocabulary, value) is None
        ):
            errors.append(
                (
                    "defaults",
                    tk._("defaults.{key}: unknown value {value}.").format(
                        key=key, value=_shown(value)
                    ),
                )
            )
    if not _mapping(errors, config, "sector_map"):
        return
    for label, sector in config["sector_map"].items():
        if vocabularies.term("sectors", sector) is None:
            errors.append(
                (
                    "sector_map",
                    tk._("sector_map: {label} maps to unknown sector {sector}.").format(
                        label=label, sector=sector
                    ),
                )
            )


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _check_publishers(errors: list, config: dict) -> None:
    if config["unknown_publishers"] not in ("default", "create", "review"):
        errors.append(
            (
                "unknown_publishers",
                tk._("unknown_publishers must be default, create or review."),
            )
        )
    rules = config.get("publisher_rules") or []
    if not isinstance(rules, list):
        errors.append(
            ("publisher_rules", tk._("publisher_rules must be a list of rules."))
        )
        return
    for rule in rules:
        if (
            not isinstance(rule, dict)
            or not isinstance(rule.get("organization"), str)
            or not ({"agency_code", "uri", "name"} & set(rule))
            or not all(isinstance(v, str) and text.can_store(v) for v in rule.values())
        ):
            errors.append(
                (
                    "publisher_rules",
                    tk._(
                        "publisher_rules: each rule needs an organization and a match "
                        "(agency_code, uri or name), all as text."
                    ),
                )
            )
            continue
        if "agency_code" in rule:
            try:
                rule["agency_code"] = agency_codes.parse(rule["agency_code"]).code
            except agency_codes.InvalidAgencyCode:
                errors.append(
                    (
                        "publisher_rules",
                        tk._("publisher_rules: invalid agency code {code}.").format(
                            code=rule["agency_code"]
                        ),
                    )
                )


def _names(errors: list, config: dict, key: str, known: set[str]) -> None:
    value = config[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append((key, tk._("{key} must be a list of names.").format(key=key)))
        return
    unknown = sorted(set(value) - known)
    if unknown:
        errors.append(
            (
                key,
                tk._("{key}: unknown names {names}.").format(
                    key=key, names=", ".join(unknown)
                ),
            )
        )


def _dataset_fields() -> set[str]:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema("dataset") or {}
    return {f["field_name"] for f in schema.get("dataset_fields", [])} | {"groups"}


def parse(raw: str | None) -> dict[str, Any]:
    """The source config with defaults filled in; ConfigError lists what is wrong."""
    if raw is not None and not isinstance(raw, str):
        raise ConfigError([("", tk._("The configuration must be a JSON object."))])
    # Every record of a harvest reads its source's config: parse each text once.
    return copy.deepcopy(_parse(raw))


@functools.lru_cache(maxsize=64)
def _parse(raw: str | None) -> dict[str, Any]:
    given = _load(raw)
    errors: list[tuple[str, str]] = []
    unknown = sorted(set(given) - KNOWN_KEYS)
    for key in unknown:
        errors.append(
            (key, tk._("Unknown configuration keys: {keys}.").format(keys=key))
        )
    config = {**DEFAULTS, **given}
    if isinstance(given.get("deletion", {}), dict):
        config["deletion"] = {**DEFAULTS["deletion"], **(given.get("deletion") or {})}
        deletion = config["deletion"]
        _number(errors, deletion, "max_share", "deletion.max_share", (0, 1))
        _number(errors, deletion, "grace_days", "deletion.grace_days", (0, 365))
    else:
        errors.append(
            ("deletion", tk._("deletion must be an object (max_share, grace_days)."))
        )
    _check_province(errors, config)
    if config["validation"] not in ("warn", "block"):
        errors.append(("validation", tk._("validation must be warn or block.")))
    for key, low, high in LIMITS:
        _number(errors, config, key, key, (low, high))
    texts = ("default_organization", "rdf_format", "plans_url", "detail_url",
             "detail_record", "basic_user", "api_key_header", "api_key_param",
             *sorted(SECRET_KEYS))  # fmt: skip
    for key in texts:
        _text(errors, config, key)
    for key in ("mapping", "paging", "oauth2"):  # vndata_json checks them further
        if key in config and not isinstance(config[key], dict):
            errors.append((key, tk._("{key} must be an object.").format(key=key)))
    for key in ("personal_data_assessed", "plans"):
        if not isinstance(config.get(key, True), bool):
            errors.append((key, tk._("{key} must be true or false.").format(key=key)))
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


# Deeper JSON is refused: nothing in a config nests more than a few levels, and
# Python's decoder would otherwise recurse until it fails.
MAX_DEPTH = 16


def _load(raw: str | None) -> dict[str, Any]:
    """The JSON object of a config text (no defaults, nothing checked but its form)."""
    if raw and len(raw) > MAX_CHARS:
        message = tk._("The configuration is too long (at most {max} characters).")
        raise ConfigError([("", message.format(max=MAX_CHARS))])
    if raw and _depth(raw) > MAX_DEPTH:
        message = tk._("The configuration nests too deeply (at most {max} levels).")
        raise ConfigError([("", message.format(max=MAX_DEPTH))])
    try:
        given = json.loads(raw) if raw and raw.strip() else {}
    except json.JSONDecodeError as error:
        message = tk._(
            "The configuration is not valid JSON (line {line}, column {column})."
        )
        raise ConfigError(
            [("", message.format(line=error.lineno, column=error.colno))]
        ) from None
    except ValueError:
        # Python refuses to read an integer of more than 4300 digits (a guard
        # against slow conversions) with a plain ValueError, not a decoding error.
        message = tk._("The configuration contains a number that is too long.")
        raise ConfigError([("", message)]) from None
    if not isinstance(given, dict):
        raise ConfigError([("", tk._("The configuration must be a JSON object."))])
    if _has_nul(given):
        # PostgreSQL cannot store it, and no key or value needs it.
        message = tk._("The configuration contains a NUL character.")
        raise ConfigError([("", message)])
    return given


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _depth(raw: str) -> int:
    """How deep brackets nest in the text (strings aside: an upper bound is enough)."""
    depth = deepest = 0
    for char in raw:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest
