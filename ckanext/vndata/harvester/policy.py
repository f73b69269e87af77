"""The harvest policy: how a record from another portal becomes a dataset here.

A national operator harvests catalogues this portal's schema was not written for. A
record is refused only when it cannot be a dataset (no title, no identity:
rdf_reading.py and dcat/parse.py). Everything else is imported, and the dataset says
what was done to it (``harvest_notes``, shown on its page):

- **kept**: values with no field here (a remote CKAN's own fields, DCAT properties the
  Vietnamese schema has no home for) are stored as extras of the dataset, as given;
- **defaulted**: where the record says nothing, the source's defaults, then the
  fallbacks below, fill what the schema requires; each such field is listed;
- **absent**: a description, sectors, a licence or a language the record does not give
  stay empty (lib/harvesting.py) rather than this portal's default standing in;
- **dropped**: a value that fails a national-format check (agency code, phone, tag
  shape, a choice this portal does not know...) is moved to the extras with the
  reason, unless the source says ``"validation": "block"``: then the record waits in
  quarantine with those reasons.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import plugins as lib_plugins
from ckan.lib.search.index import KEY_CHARS

from ckanext.vndata.harvester import language
from ckanext.vndata.harvester.quarantine import Quarantined
from ckanext.vndata.lib import harvesting, licences
from ckanext.vndata.lib.text import storable

DATASET_TYPE = "dataset"
# What the schema requires and the record did not say, when the source sets no default:
# a record published in an open catalogue is open data of the residual importance
# class, updated at no stated interval.
FALLBACKS = {
    "data_sharing_class": "mo",
    "data_importance_class": "khac",
    "update_frequency": "khong_dinh_ky",
}
# May stay empty on a harvested dataset (the validators' vndata_harvest_optional).
MAY_BE_ABSENT = ("notes", "sectors", "license_id", "language")
# Without these the record is not a dataset (or not this source's): never dropped.
ESSENTIAL = ("title", "id", "name", "owner_org", "type", "private")
# CKAN's own keys that the dataset schema validates besides the scheming fields. Not
# "groups" nor "state": a remote portal does not put datasets into this portal's
# groups, nor hide or delete them; what it says of them is kept as extras.
CORE_KEYS = frozenset(
    {"id", "name", "title", "type", "owner_org", "private", "resources", "tags",
     "tag_string", "extras", "notes", "license_id", "url", "version", "author",
     "author_email", "maintainer", "maintainer_email"}
)  # fmt: skip
# A resource's own keys in CKAN besides the scheming fields.
RESOURCE_CORE_KEYS = frozenset(
    {"id", "url", "name", "description", "format", "mimetype", "mimetype_inner",
     "size", "hash", "resource_type", "url_type", "created", "last_modified",
     "cache_url", "cache_last_updated", "position", "package_id", "state"}
)  # fmt: skip
# Bounds on what is kept, so one remote record cannot fill the database: extras of a
# dataset, unknown keys of a resource, what harvest_notes lists.
MAX_KEPT_KEYS = 100
MAX_KEPT_CHARS = 20_000
MAX_RESOURCE_KEYS = 60  # DCAT-AP 3 gives a distribution about 30 of its own
MAX_NOTED = 50
MAX_NOTED_CHARS = 500
# Kept extras never take these names (see _reserved).
RESERVED_PREFIXES = ("harvest_", "extras_", "res_", "vndata_")
RESERVED_KEYS = frozenset(
    {"capacity", "permission_labels", "index_id", "site_id", "text", "urls",
     "organization", "groups", "tags", "dataset_type", "entity_type", "data_dict",
     "validated_data_dict", "metadata_created", "metadata_modified", "title_string",
     "title_ngram", "name"}
)  # fmt: skip


def _known_keys() -> set[str]:
    """The keys a dataset of this portal has: its schema's fields and CKAN's own."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(DATASET_TYPE) or {}
    return {f["field_name"] for f in schema.get("dataset_fields", [])} | CORE_KEYS


def _shown(value: Any) -> str:
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return storable(shown[:MAX_KEPT_CHARS])


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


class _Notes:
    def __init__(self) -> None:
        self.defaulted: dict[str, Any] = {}
        self.absent: list[str] = []
        self.dropped: list[dict[str, str]] = []
        self.kept: list[str] = []

    def as_json(self) -> str:
        notes = {
            "defaulted": self.defaulted,
            "absent": self.absent,
            "dropped": self.dropped,
            "kept": self.kept,
        }
        return json.dumps(
            {k: v for k, v in notes.items() if v}, ensure_ascii=False, sort_keys=True
        )


def _reserved(key: str) -> bool:
    """A name the search index gives a meaning of its own: CKAN copies extras to the
    top of a dataset's Solr document, under their name in KEY_CHARS, before plugins
    (ckanext-harvest's ``harvest_source_id``...) add theirs only where it is absent."""
    indexed = "".join(c for c in key if c in KEY_CHARS)
    return indexed.startswith(RESERVED_PREFIXES) or indexed in RESERVED_KEYS


def _keep(package: dict[str, Any], key: str, value: Any, notes: _Notes) -> None:
    """Store ``value`` as an extra of the dataset (under a name no field uses)."""
    extras = package.setdefault("extras", [])
    if len(extras) >= MAX_KEPT_KEYS or _empty(value):
        return
    known = _known_keys()
    taken = {e.get("key") for e in extras} | known
    key = storable(key)[:100] or "?"
    name = key if key not in taken and not _reserved(key) else f"{key} (nguồn)"
    if name in taken:
        return  # said twice: the first is kept
    extras.append({"key": name, "value": _shown(value)})
    notes.kept.append(name)


def prepare(package: dict[str, Any], source_defaulted: list[str]) -> _Notes:
    """Keep what has no field, map the licence, fill what the schema requires."""
    notes = _Notes()
    for field in source_defaulted:
        notes.defaulted[field] = package.get(field)
    _extras_as_pairs(package, notes)
    if package.get("type") not in (None, "", DATASET_TYPE):
        _keep(package, "type", package["type"], notes)
    package["type"] = DATASET_TYPE
    _licence(package, notes)
    _tags_as_list(package)
    known = _known_keys()
    for key in sorted(set(package) - known):
        _keep(package, key, package.pop(key), notes)
    _bound_resources(package, notes)
    for field, value in FALLBACKS.items():
        if _empty(package.get(field)):
            package[field] = value
            notes.defaulted[field] = value
    return notes


def check(
    package: dict[str, Any], config: dict[str, Any], notes: _Notes, user: str
) -> None:
    """Drop (or, with validation block, refuse) what fails a check; record it all.

    Runs after the publication gate has made the record private if it must be.
    """
    _drop_invalid(package, config, notes, user)
    notes.absent = [f for f in MAY_BE_ABSENT if _empty(package.get(f))]
    package["harvest_notes"] = notes.as_json()


def _bound_resources(package: dict[str, Any], notes: _Notes) -> None:
    """CKAN stores a resource's unknown keys as its extras: at most MAX_RESOURCE_KEYS
    of them a resource, each cut to MAX_KEPT_CHARS; the rest is listed as not kept."""
    resources = package.get("resources")
    if not isinstance(resources, list):
        return
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(DATASET_TYPE) or {}
    known = {f["field_name"] for f in schema.get("resource_fields", [])}
    known |= RESOURCE_CORE_KEYS
    for number, resource in enumerate(resources):
        if not isinstance(resource, dict):
            continue
        for position, key in enumerate(sorted(set(resource) - known)):
            if position >= MAX_RESOURCE_KEYS or not isinstance(key, str):
                resource.pop(key)
                if len(notes.dropped) < MAX_NOTED:
                    notes.dropped.append(
                        {
                            "field": f"resources[{number}].{_shown(key)[:100]}",
                            "value": "",
                            "reason": tk._("too many fields on one resource"),
                        }
                    )
            else:
                resource[key] = _shown(resource[key])


def _extras_as_pairs(package: dict[str, Any], notes: _Notes) -> None:
    """Extras as CKAN stores them: key/value texts, none named like a field."""
    given = package.pop("extras", None) or []
    package["extras"] = []
    known = _known_keys()
    for extra in given if isinstance(given, list) else []:
        if not isinstance(extra, dict) or not isinstance(extra.get("key"), str):
            continue
        key, value = extra["key"], extra.get("value")
        if key in known and _empty(package.get(key)) and key not in CORE_KEYS:
            package[key] = value  # a field of this schema given as a remote extra
        else:
            _keep(package, key, value, notes)


def _licence(package: dict[str, Any], notes: _Notes) -> None:
    """A licence under another name is this portal's (licences.py); an unknown one
    is kept as the source gave it, and the dataset has none rather than a default."""
    given = package.get("license_id")
    found = licences.resolve(
        given, package.get("license_url"), package.get("license_title")
    )
    if found:
        package["license_id"] = found
        return
    package.pop("license_id", None)
    said = package.get("license_title") or package.get("license_url") or given
    if not _empty(said) and _empty(package.get("source_licence")):
        package["source_licence"] = said


def _tags_as_list(package: dict[str, Any]) -> None:
    """Tags as a list, so that one bad tag can be dropped alone."""
    tag_string = package.pop("tag_string", None)
    tags = package.get("tags")
    if not tags and isinstance(tag_string, str) and tag_string.strip():
        tags = [{"name": t.strip()} for t in tag_string.split(",") if t.strip()]
    if isinstance(tags, list):  # {"name": ...} as CKAN gives them, or plain names
        names = [t.get("name") if isinstance(t, dict) else t for t in tags]
        package["tags"] = [{"name": n} for n in names if isinstance(n, str)]
    elif tags is not None:
        package.pop("tags")


def validation_errors(package: dict[str, Any], user: str) -> dict[str, Any]:
    """The errors the dataset schema finds in ``package`` (nothing is written)."""
    plugin = lib_plugins.lookup_package_plugin(DATASET_TYPE)
    context = {
        "model": model,
        "session": model.Session,
        "user": user,
        "ignore_auth": True,
    }
    with harvesting.importing_harvested_record():
        _, errors = lib_plugins.plugin_validate(
            plugin,
            context,
            copy.deepcopy(package),
            plugin.create_package_schema(),
            "package_create",
        )
    # The name is made from the title after this (the parent harvester's
    # _gen_new_name), and an update keeps the dataset's own.
    errors.pop("name", None)
    return errors


def _drop_invalid(
    package: dict[str, Any], config: dict[str, Any], notes: _Notes, user: str
) -> None:
    """Values that fail a check are dropped (kept as extras), or block the record."""
    errors = validation_errors(package, user)
    found: list[tuple[str, Any, str]] = []  # (where, value, reason)
    for field, messages in sorted(errors.items()):
        if field == "tags" and isinstance(messages, list):
            found += _bad_tags(package, messages)
        elif field == "resources" and isinstance(messages, list):
            found += _bad_resource_values(package, messages)
        elif field not in ESSENTIAL and not field.startswith("__"):
            found.append((field, package.pop(field, None), _messages(messages)))
            if field in FALLBACKS:
                package[field] = FALLBACKS[field]
                notes.defaulted[field] = FALLBACKS[field]
    title = language.quoted(package.get("title"))
    if found and config["validation"] == "block":
        raise Quarantined(
            tk._(
                "The dataset {title} has values this portal refuses (validation: "
                "block); correct them at its source: {errors}"
            ).format(title=title, errors=language.field_errors(_as_errors(found)))
        )
    for where, value, reason in found:
        if len(notes.dropped) < MAX_NOTED:  # the values themselves are all kept
            notes.dropped.append(
                {
                    "field": where,
                    "value": _shown(value)[:MAX_NOTED_CHARS],
                    "reason": _shown(reason)[:MAX_NOTED_CHARS],
                }
            )
        _keep(package, where, value, notes)
    remaining = validation_errors(package, user) if errors else {}
    if remaining:  # an essential field: the record cannot be a dataset
        raise Quarantined(language.invalid_dataset(package.get("title"), remaining))


def _as_errors(found: list[tuple[str, Any, str]]) -> dict[str, Any]:
    """What was found, as CKAN's errors (``resources`` a list of per-resource dicts),
    for language.field_errors to name by the form's labels."""
    errors: dict[str, Any] = {}
    for where, _, reason in found:
        if where.startswith("resources["):
            number, _, key = where[len("resources[") :].partition("].")
            resources = errors.setdefault("resources", [])
            resources += [{} for _ in range(int(number) + 1 - len(resources))]
            resources[int(number)].setdefault(key, []).append(reason)
        else:
            errors.setdefault(where, []).append(reason)
    return errors


def _bad_tags(package: dict[str, Any], errors: list) -> list[tuple[str, Any, str]]:
    tags = package.get("tags") or []
    bad = {i for i, error in enumerate(errors) if error and i < len(tags)}
    package["tags"] = [tag for i, tag in enumerate(tags) if i not in bad]
    return [("tags", tags[i]["name"], _messages(errors[i])) for i in sorted(bad)]


def _bad_resource_values(
    package: dict[str, Any], errors: list
) -> list[tuple[str, Any, str]]:
    resources = package.get("resources") or []
    found = []
    for i, resource_errors in enumerate(errors):
        if not isinstance(resource_errors, dict) or i >= len(resources):
            continue
        for key, text in sorted(resource_errors.items()):
            value = resources[i].pop(key, None)
            found.append((f"resources[{i}].{key}", value, _messages(text)))
    return found


def _messages(errors: Any) -> str:
    if isinstance(errors, dict):  # a tag's or a resource's {key: [messages]}
        return " ".join(_messages(e) for e in errors.values())
    if isinstance(errors, list):
        return " ".join(str(e) for e in errors if isinstance(e, str))
    return str(errors)
