"""Validators of codes: agency codes (Decision 20/2020, QCVN 102:2016) and the
administrative units of Decision 19/2025, old codes mapped to today's units and kept.

Registered with the other validators through validators.py (its ``__all__``).
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.vndata.lib import admin_units, agency_codes
from ckanext.vndata.lib.navl import is_empty

missing = tk.missing


def vndata_agency_code(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """An agency code (Decision 20/2020 or QCVN 102:2016), normalised.

    A legacy code is kept in the companion ``<field>_legacy`` field and the field itself
    gets the current form.
    """
    value = data.get(key)
    if is_empty(value):
        return
    try:
        parsed = agency_codes.parse(str(value))
    except agency_codes.InvalidAgencyCode:
        errors[key].append(
            tk._(
                "Invalid agency code {code}: use the form of Decision 20/2020/QĐ-TTg "
                "(e.g. H46.14, at most 35 characters) or of QCVN 102:2016 "
                "(e.g. 000.00.14.H57)."
            ).format(code=value)
        )
        return
    data[key] = parsed.code
    if parsed.legacy:
        data[key[:-1] + (f"{key[-1]}_legacy",)] = parsed.legacy


def vndata_agency_code_legacy(value: Any, context: Context) -> Any:
    """A legacy QCVN 102:2016 code such as 000.00.14.H57."""
    if is_empty(value):
        return value
    try:
        return agency_codes.parse_legacy(str(value))
    except agency_codes.InvalidAgencyCode:
        raise tk.Invalid(
            tk._(
                "Invalid QCVN 102:2016 agency code {code} (e.g. 000.00.14.H57)."
            ).format(code=value)
        )


def _code_list(value: Any) -> list[str]:
    if is_empty(value):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.startswith("[") else value.split(",")
        except ValueError:
            value = value.split(",")
    if not isinstance(value, (list, tuple)):
        value = [value]  # a lone number; anything else fails the digits check
    return [str(v).strip() for v in value if str(v).strip()]


def vndata_legacy_admin_codes(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Province and commune codes from before 1 July 2025, stored as a JSON list.

    Given codes are kept; an old province code or name given as ``province_code`` (not
    validated yet: "p" comes after "l") and an old commune code that
    ``vndata_commune_code`` already mapped are added.
    """
    codes = set(_code_list(data.get(key)))
    # ASCII digits: str.isdigit() also takes "²" and other scripts' digits.
    if any(not (code.isascii() and code.isdigit()) for code in codes):
        errors[key].append(tk._("Administrative unit codes are digits only."))
        return
    province = data.get(("province_code",))
    if not is_empty(province):
        try:
            legacy = admin_units.resolve_province(str(province)).legacy_code
        except admin_units.UnknownUnit:
            legacy = None  # reported by the province field itself
        if legacy:
            codes.add(legacy)
    data[key] = json.dumps(sorted(codes)) if codes else missing


def vndata_code_list_output(value: Any, context: Context) -> list[str]:
    return _code_list(value)


def _remember_legacy_code(data: FlattenDataDict, code: str) -> None:
    """Hand an old code to vndata_legacy_admin_codes, which is validated later."""
    data[("legacy_admin_codes",)] = sorted(
        set(_code_list(data.get(("legacy_admin_codes",)))) | {code}
    )


def _unknown_unit_message(kind: str, error: admin_units.UnknownUnit) -> str:
    if error.suggestions:
        return tk._("Unknown {kind} {given}. Did you mean: {choices}?").format(
            kind=kind, given=error.given, choices="; ".join(error.suggestions)
        )
    return tk._("Unknown {kind} {given}.").format(kind=kind, given=error.given)


def vndata_province_code(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A province of Decision 19/2025; old codes and names are mapped to today's unit.

    The old code itself is kept by vndata_legacy_admin_codes.
    """
    value = data.get(key)
    if is_empty(value):
        return
    try:
        resolved = admin_units.resolve_province(str(value))
    except admin_units.UnknownUnit as error:
        errors[key].append(_unknown_unit_message(tk._("province"), error))
        return
    data[key] = resolved.code


def vndata_commune_code(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A commune of Decision 19/2025 in the dataset's province (old codes mapped)."""
    value = data.get(key)
    if is_empty(value):
        return
    province = data.get(("province_code",))
    try:
        province_code = None
        if not is_empty(province):
            province_code = admin_units.resolve_province(str(province)).code
    except admin_units.UnknownUnit:
        province_code = None  # reported by the province field itself
    try:
        resolved = admin_units.resolve_commune(str(value), province_code)
    except admin_units.UnknownUnit as error:
        errors[key].append(_unknown_unit_message(tk._("commune"), error))
        return
    commune_province = admin_units.commune_province(resolved.code)
    if province_code and province_code != commune_province:
        errors[key].append(
            tk._("Commune {commune} is not in province {province}.").format(
                commune=f"{resolved.code} - {resolved.name}", province=province_code
            )
        )
        return
    data[key] = resolved.code
    if is_empty(province):
        data[("province_code",)] = commune_province
    if resolved.legacy_code:
        _remember_legacy_code(data, resolved.legacy_code)
