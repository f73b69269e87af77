"""A plan as it travels from a provincial (or ministry) portal to the national one: the
exchange record, one dict shape whichever way it is read (the plan's DCAT, see
exchange_rdf.py, or the source's action API).

``from_action_api`` makes the record from the source's ``vndata_plan_show`` output;
``validate_record`` checks a record that came from another portal with the same rules
as a plan entered here (logic/schema.py over fields.py), and returns it cleaned.
"""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import urlsplit

import ckan.model
import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.navl import is_empty
from ckanext.vndata.plan import fields
from ckanext.vndata.plan.excel.guard import MAX_ROWS
from ckanext.vndata.plan.logic import schema
from ckanext.vndata.plan.logic import validators as v
from ckanext.vndata.plan.states import PlanStatus

# The plan's page at the source: the route of views/pages.py, on the source's site.
PLAN_PATH = "/ke-hoach/{id}"
ORGANIZATION_KEYS = ("id", "name", "title", "agency_code", "province_code")
DATASET_KEYS = ("id", "name", "uri")
MAX_PHASES = 100
MAX_ITEMS = MAX_ROWS  # as many as a workbook may bring
MAX_DATASETS = v.MAX_LIST_LENGTH  # linked datasets of one item
MAX_URL_LENGTH = 2000
_LISTS = {f.key for f in fields.ITEM if f.kind == "text_list"}


def dataset_uri_fallback(site_url: str, package_id: str) -> str:
    """The URI ckanext-dcat's ``dataset_uri`` gives a dataset with no ``uri`` of its
    own (the site's address, /dataset/, its id)."""
    return f"{site_url.rstrip('/')}/dataset/{package_id}"


def _links(item: dict[str, Any], site_url: str) -> list[dict[str, Any]]:
    """The public datasets delivering the item: a link the reader could not see
    (``hidden``) or to a dataset not public travels not."""
    links = [
        {
            "id": link["package_id"],
            "name": link.get("package_name"),
            "uri": link.get("package_uri")
            or dataset_uri_fallback(site_url, link["package_id"]),
        }
        for link in item.get("datasets") or []
        if link.get("package_id") and link.get("is_public") and not link.get("hidden")
    ]
    return sorted(links, key=lambda link: link["id"])


class RecordUnreadable(tk.ValidationError, ValueError):
    """An API answer no record can be made of: refused like a record that fails
    ``validate_record``, and a ValueError for callers that catch reading errors."""


def from_action_api(
    plan_show: dict[str, Any], organization: dict[str, Any] | None, site_url: str
) -> dict[str, Any]:
    """The exchange record of a plan, from the source's ``vndata_plan_show`` output
    (read as anonymous, so only public links are in it) and ``organization_show``.

    Another portal's answer may have any shape: one this cannot read is a
    ``tk.ValidationError``, like a record ``validate_record`` refuses.
    """
    try:
        return _record(plan_show, organization or {}, site_url)
    except (KeyError, TypeError, AttributeError, ValueError):
        raise RecordUnreadable({"record": [tk._("An object is expected.")]}) from None


def _record(
    plan_show: dict[str, Any], organization: dict[str, Any], site_url: str
) -> dict[str, Any]:
    return {
        "id": plan_show["id"],
        "series_id": plan_show.get("series_id"),
        "version": plan_show.get("version"),
        "status": plan_show.get("status"),
        "modified": plan_show.get("modified"),
        "url": site_url.rstrip("/") + PLAN_PATH.format(id=plan_show["id"]),
        "organization": {key: organization.get(key) for key in ORGANIZATION_KEYS},
        **{f.key: plan_show.get(f.key) for f in fields.PLAN},
        "phases": [
            {
                "id": phase["id"],
                **{f.key: phase.get(f.key) for f in fields.PHASE},
            }
            for phase in plan_show.get("phases") or []
        ],
        "items": [
            {
                "key": item["key"],
                **{f.key: item.get(f.key) for f in fields.ITEM},
                **{key: item.get(key) or [] for key in _LISTS},
                "datasets": _links(item, site_url),
            }
            for item in plan_show.get("items") or []
        ],
    }


# Validation of a record from another portal.


class _Errors(dict):
    def add(self, path: str, message: str) -> None:
        self.setdefault(path, []).append(message)


def _text_of(value: Any, path: str, errors: _Errors, required: bool = False) -> Any:
    """Storable, bounded text (ids, names, codes), or None."""
    if is_empty(value):
        if required:
            errors.add(path, tk._("Missing value"))
        return None
    try:
        return v.vndata_plan_text(value, {})
    except tk.Invalid as error:
        errors.add(path, error.error)
        return None


def _url(value: Any, path: str, errors: _Errors, urn: bool = False) -> str | None:
    """An http(s) address (with ``urn``, also a URN: a harvested dataset may keep the
    URI its own source gave it)."""
    text = _text_of(value, path, errors, required=True)
    if text is None:
        return None
    try:
        parts = urlsplit(text) if len(text) <= MAX_URL_LENGTH else None
    except ValueError:  # "http://[x": not an address
        parts = None
    web = parts is not None and parts.scheme in ("http", "https") and parts.netloc
    if not web and not (urn and parts is not None and parts.scheme == "urn"):
        errors.add(path, tk._("An http(s) address is expected."))
        return None
    return text


def _modified(value: Any, path: str, errors: _Errors) -> str | None:
    text = _text_of(value, path, errors, required=True)
    if text is None:
        return None
    try:
        when = datetime.datetime.fromisoformat(text) if len(text) <= 40 else None
    except ValueError:
        when = None
    if when is None or not v.FIRST_YEAR <= when.year <= v.LAST_YEAR:
        errors.add(path, tk._("A date and time is expected (ISO 8601)."))
        return None
    return when.isoformat()


def _objects(value: Any, path: str, errors: _Errors, limit: int) -> list[dict]:
    """A list of objects of at most ``limit`` entries (absent: none)."""
    if is_empty(value):
        return []
    if not isinstance(value, list) or len(value) > limit:
        errors.add(
            path,
            tk._("A list of at most {max} objects is expected.").format(max=limit),
        )
        return []
    if not all(isinstance(entry, dict) for entry in value):
        errors.add(path, tk._("An object is expected."))
        return []
    return value


def _part(
    data: dict[str, Any],
    part: tuple[fields.Field, ...],
    path: str,
    errors: _Errors,
    after: list | None = None,
) -> dict[str, Any]:
    """The part's fields checked by the plan schemas' own rules, as stored values
    turned back into the record's (ISO dates, lists)."""
    rules = schema.vndata_plan_part_fields(part)
    given = {}
    for key in rules:
        value = data.get(key)
        # navl spreads a list of objects over keys of its own: no field takes one.
        if isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(e, dict) for e in value)
        ):
            errors.add(f"{path}{key}", tk._("A list of objects is not expected here."))
        elif key in data:
            given[key] = value
    rules["__after"] = after or []
    context = {"model": ckan.model, "session": ckan.model.Session}
    cleaned, problems = tk.navl_validate(given, rules, context)
    for key, messages in problems.items():
        for message in messages:
            errors.add(f"{path}{key}", message)
    result = {}
    for field in part:
        # A refused value stays raw in navl's output: the record is refused anyway.
        value = None if problems.get(field.key) else cleaned.get(field.key)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        if field.key in _LISTS:
            value = json.loads(value) if isinstance(value, str) else []
        result[field.key] = value
    return result


def _organization(value: Any, errors: _Errors) -> dict[str, Any]:
    if value is not None and not isinstance(value, dict):
        errors.add("organization", tk._("An object is expected."))
    value = value if isinstance(value, dict) else {}
    return {
        key: _text_of(value.get(key), f"organization.{key}", errors)
        for key in ORGANIZATION_KEYS
    }


def _phases(value: Any, errors: _Errors) -> list[dict[str, Any]]:
    phases = []
    for n, data in enumerate(_objects(value, "phases", errors, MAX_PHASES)):
        path = f"phases.{n}."
        phase = {"id": _text_of(data.get("id"), f"{path}id", errors, required=True)}
        order = [v.vndata_plan_date_order("start_date", "end_date")]
        phase.update(_part(data, fields.PHASE, path, errors, order))
        if phase["id"] in {p["id"] for p in phases}:
            errors.add(f"{path}id", tk._("Another phase of the plan has this id."))
        phases.append(phase)
    return phases


def _datasets(value: Any, path: str, errors: _Errors) -> list[dict[str, Any]]:
    links = _objects(value, path.rstrip("."), errors, MAX_DATASETS)
    return [
        {
            "id": _text_of(data.get("id"), f"{path}{n}.id", errors, required=True),
            "name": _text_of(data.get("name"), f"{path}{n}.name", errors),
            "uri": _url(data.get("uri"), f"{path}{n}.uri", errors, urn=True),
        }
        for n, data in enumerate(links)
    ]


def _items(value: Any, phase_ids: set, errors: _Errors) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    keys: set = set()
    for n, data in enumerate(_objects(value, "items", errors, MAX_ITEMS)):
        path = f"items.{n}."
        key = _text_of(data.get("key"), f"{path}key", errors, required=True)
        item = {"key": key, **_part(data, fields.ITEM, path, errors)}
        if item["number"] is None:
            errors.add(f"{path}number", tk._("Missing value"))
        if item["phase_id"] is not None and item["phase_id"] not in phase_ids:
            errors.add(f"{path}phase_id", tk._("No phase of the plan has this id."))
        if key is not None and key in keys:
            errors.add(f"{path}key", tk._("Another item of the plan has this key."))
        keys.add(key)
        item["datasets"] = _datasets(data.get("datasets"), f"{path}datasets.", errors)
        items.append(item)
    return items


def validate_record(record: Any) -> dict[str, Any]:
    """The record, checked and cleaned; ``tk.ValidationError`` (messages in the
    user's language, keyed by the path of the value, e.g. ``items.3.title``) on
    anything a plan entered here could not hold. Unknown keys are left out, so a
    newer portal's additions do not stop the exchange."""
    if not isinstance(record, dict):
        raise tk.ValidationError({"record": [tk._("An object is expected.")]})
    errors = _Errors()
    status = record.get("status")
    if status != PlanStatus.PUBLISHED:
        errors.add(
            "status",
            tk._("Only a published plan is exchanged between portals."),
        )
    version = None
    try:
        version = v.vndata_plan_int(1, v.MAX_NUMBER)(record.get("version"), {})
    except tk.Invalid as error:
        errors.add("version", error.error)
    if version is None:
        errors.add("version", tk._("Missing value"))
    cleaned = {
        "id": _text_of(record.get("id"), "id", errors, required=True),
        "series_id": _text_of(record.get("series_id"), "series_id", errors, True),
        "version": version,
        "status": PlanStatus.PUBLISHED.value,
        "modified": _modified(record.get("modified"), "modified", errors),
        "url": _url(record.get("url"), "url", errors),
        "organization": _organization(record.get("organization"), errors),
    }
    cleaned.update(
        _part(
            record,
            fields.PLAN,
            "",
            errors,
            [v.vndata_plan_date_order("period_start", "period_end")],
        )
    )
    cleaned["phases"] = _phases(record.get("phases"), errors)
    phase_ids = {phase["id"] for phase in cleaned["phases"]}
    cleaned["items"] = _items(record.get("items"), phase_ids, errors)
    if errors:
        raise tk.ValidationError(dict(errors))
    return cleaned
