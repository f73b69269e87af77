"""Validators of the Vietnamese schemas (referenced by name in schemas/*.yaml).

navl validates top-level keys in alphabetical order, then resource keys, so validators
that derive one field from others read the others' raw values through the same parsers.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.vndata.lib import harvesting, openness, text
from ckanext.vndata.lib.dates import parse_date
from ckanext.vndata.lib.navl import is_empty
from ckanext.vndata.lib.vocabularies import UPDATE_INTERVALS
from ckanext.vndata.metadata.logic import guards, languages, publication
from ckanext.vndata.metadata.logic.action import RESOURCES_GIVEN
from ckanext.vndata.metadata.logic.code_validators import (
    vndata_agency_code,
    vndata_agency_code_legacy,
    vndata_code_list_output,
    vndata_commune_code,
    vndata_legacy_admin_codes,
    vndata_province_code,
)

__all__ = [
    "vndata_nfc",
    "vndata_nfc_tags",
    "vndata_name_from_title",
    "vndata_group_name_from_title",
    "vndata_agency_code",
    "vndata_agency_code_legacy",
    "vndata_legacy_admin_codes",
    "vndata_code_list_output",
    "vndata_province_code",
    "vndata_commune_code",
    "vndata_date",
    "vndata_temporal_range",
    "vndata_next_update_due",
    "vndata_resource_stars",
    "vndata_dataset_stars",
    "vndata_star_range",
    "vndata_phone",
    "vndata_harvest_optional",
    "vndata_harvest_notes",
    "vndata_publication_gate",
    "vndata_safe_input",
    "vndata_text",
    "vndata_long_text",
    "vndata_title",
    "vndata_boolean",
    "vndata_integer",
    "vndata_empty_as_none",
    "vndata_language_tag",
    "vndata_translations",
]

missing = tk.missing


def vndata_nfc(value: Any, context: Context) -> Any:
    """Store Vietnamese text precomposed (NFC)."""
    return text.nfc(value) if isinstance(value, str) else value


def vndata_nfc_tags(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Normalise every tag to NFC, whether given as tag_string or as a tags list."""
    for data_key, value in list(data.items()):
        is_tag_name = (
            len(data_key) == 3 and data_key[0] == "tags" and data_key[2] == "name"
        )
        if (is_tag_name or data_key == ("tag_string",)) and isinstance(value, str):
            data[data_key] = text.nfc(value)


def vndata_name_from_title(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Make the dataset's URL name from the Vietnamese title when none is given.

    A given name in Vietnamese or percent-encoded is transliterated the same way.
    """
    _name_from_title(key, data, context["model"].Package.get)


def vndata_group_name_from_title(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """An organization's (or group's) URL name, as vndata_name_from_title."""
    _name_from_title(key, data, context["model"].Group.get)


def _name_from_title(key: FlattenKey, data: FlattenDataDict, lookup: Any) -> None:
    given, title = data.get(key), data.get(("title",))
    if is_empty(given) and is_empty(title):
        return
    own_id = data.get(("id",))

    def taken(name: str) -> bool:
        existing = lookup(name)
        return existing is not None and existing.id != own_id

    data[key] = text.url_name(
        "" if is_empty(given) else str(given),
        "" if is_empty(title) else str(title),
        taken,
    )


def vndata_date(value: Any, context: Context) -> Any:
    """A date, stored as yyyy-mm-dd."""
    if is_empty(value):
        return value
    return parse_date(value).isoformat()


def vndata_temporal_range(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """The temporal coverage may not end before it starts."""
    start, end = data.get(key), data.get(("temporal_end",))
    if is_empty(start) or is_empty(end) or errors.get(key):
        return
    try:
        if parse_date(end) < parse_date(start):
            errors[key].append(tk._("The coverage must not end before it starts."))
    except tk.Invalid:
        pass  # the end date reports its own error


def vndata_next_update_due(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Computed: the last update (or the publication) plus the update interval."""
    data[key] = missing
    frequency = data.get(("update_frequency",))
    # str() of CKAN's `missing` raises "Missing value": test emptiness first.
    interval = None if is_empty(frequency) else UPDATE_INTERVALS.get(str(frequency))
    last = data.get(("modified",))
    if is_empty(last):
        last = data.get(("issued",))
    if interval is None or is_empty(last):
        return
    try:
        data[key] = (parse_date(last) + interval).isoformat()
    except (tk.Invalid, ValueError, OverflowError):
        pass  # the date field reports its own error


def _resource_indexes(data: FlattenDataDict) -> list[int]:
    return sorted({k[1] for k in data if len(k) == 3 and k[0] == "resources"})


def _stars_of_resource(data: FlattenDataDict, index: int) -> int:
    # The raw values: these fields are validated after this one, and report their own
    # errors; a value that is not text or not a yes/no counts as no format, no login.
    fmt = data.get(("resources", index, "format"))
    access_type = data.get(("resources", index, "access_type"))
    # Not a field of the schema: set by the DataStore (xloader), kept among the extras.
    extras = data.get(("resources", index, "__extras"))
    active = data.get(("resources", index, "datastore_active"))
    if active is None and isinstance(extras, dict):
        active = extras.get("datastore_active")
    return openness.resource_stars(
        fmt if isinstance(fmt, str) else None,
        access_type if isinstance(access_type, str) else None,
        bool(guards.parse_bool(data.get(("resources", index, "auth_required")))),
        guards.parse_bool(active) is True,
    )


def _stars_of_stored(resource: Any) -> int:
    extras = resource.extras or {}
    return openness.resource_stars(
        resource.format,
        extras.get("access_type"),
        bool(guards.parse_bool(extras.get("auth_required"))),
        guards.parse_bool(extras.get("datastore_active")) is True,
    )


def vndata_resource_stars(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Computed: openness stars of one resource."""
    data[key] = _stars_of_resource(data, key[1])


def vndata_dataset_stars(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Computed: openness stars of the dataset (its best resource)."""
    indexes = _resource_indexes(data)
    stars = [_stars_of_resource(data, i) for i in indexes]
    stored = context.get("package")
    if not indexes and stored is not None and not context.get(RESOURCES_GIVEN, True):
        # An update without resources keeps the stored ones (the edit form sends none).
        stars = [_stars_of_stored(resource) for resource in stored.resources]
    licence = data.get(("license_id",))
    data[key] = openness.dataset_stars(
        stars, licence if isinstance(licence, str) else None
    )


def vndata_star_range(value: Any, context: Context) -> Any:
    """A star rating from 0 to 5 (after vndata_integer, which stops on garbage)."""
    if is_empty(value):
        return value
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 5:
        raise tk.Invalid(tk._("Stars must be from 0 to 5."))
    return value


def vndata_phone(value: Any, context: Context) -> Any:
    """A Vietnamese phone number: 9 to 11 digits, optionally +84."""
    if is_empty(value):
        return value
    compact = "".join(c for c in str(value) if c not in " .-()")
    digits = compact[1:] if compact.startswith("+") else compact
    if not digits.isdigit() or not 9 <= len(digits) <= 12:
        raise tk.Invalid(tk._("Invalid phone number {value}.").format(value=value))
    return compact


vndata_publication_gate = publication.vndata_publication_gate


def vndata_harvest_optional(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Before a field's required or default validator: a record a harvester imports
    may leave the field empty (harvesting.py); the harvest policy lists it."""
    if harvesting.importing() and data.get(key) in (missing, None, "", []):
        data.pop(key, None)
        raise tk.StopOnError


# What the harvest policy records on a dataset (harvester/policy.py): the lists of
# fields defaulted, absent, dropped and kept, as a JSON object of bounded size.
HARVEST_NOTES_KEYS = ("defaulted", "absent", "dropped", "kept")
HARVEST_NOTES_MAX_CHARS = 100_000


def _harvest_notes_shape(notes: Any) -> bool:
    """{"defaulted": {field: value}, "absent": [field], "kept": [name],
    "dropped": [{"field", "value", "reason"}]}, each part optional."""
    if not isinstance(notes, dict) or set(notes) - set(HARVEST_NOTES_KEYS):
        return False
    texts = (notes.get("absent", []), notes.get("kept", []))
    dropped = notes.get("dropped", [])
    return (
        isinstance(notes.get("defaulted", {}), dict)
        and all(
            isinstance(t, list) and all(isinstance(x, str) for x in t) for t in texts
        )
        and isinstance(dropped, list)
        and all(
            isinstance(d, dict) and all(isinstance(v, str) for v in d.values())
            for d in dropped
        )
    )


def vndata_harvest_notes(value: Any, context: Context) -> Any:
    if is_empty(value):
        return value
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    problem = None
    if not isinstance(value, str) or len(value) > HARVEST_NOTES_MAX_CHARS:
        problem = True
    else:
        try:
            notes = json.loads(value)
        except ValueError:
            notes = None
        problem = not _harvest_notes_shape(notes)
    if problem:
        raise tk.Invalid(
            tk._("Harvest notes must be a JSON object written by a harvest.")
        )
    return value


vndata_safe_input = guards.vndata_safe_input
vndata_text = guards.vndata_text
vndata_long_text = guards.vndata_long_text
vndata_title = guards.vndata_title
vndata_boolean = guards.vndata_boolean
vndata_integer = guards.vndata_integer
vndata_empty_as_none = guards.vndata_empty_as_none
vndata_language_tag = languages.vndata_language_tag
vndata_translations = languages.vndata_translations
