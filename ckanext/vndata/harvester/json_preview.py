""" "Try the mapping" (issue 21): the first records of a ``vndata_json`` source's list
as they would be imported, with every mistake, before the source is saved.

The same code as a harvest reads and maps them, so that what the operator sees is
what the harvest will do: the config checked as saving it checks it
(json_source.problems), the list's first page read through the source's session
(network safety, limits, login, the token endpoint), each shown record's detail when
the source has a detail endpoint, the mapping (json_records), and then the import's
own steps (import_stage.prepared: the source's defaults and maps, the policy, the
publication gate, the schema's validation). Nothing is written, no organization is
made (the page says which would be), and at most one page and ``SHOWN`` details are
read, with tighter limits than a harvest's: a person waits for the answer.

A saved source's stored secrets are used as saving the form would keep them
(secrets.take: the mask or an absent key keeps the stored one) and never sent to a
site other than the one they were given for (secrets.check_move).
"""

from __future__ import annotations

import json
import time
import types
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import (
    gather_outcome,
    import_stage,
    job_state,
    json_records,
    json_source,
    language,
    quarantine,
    rules,
    secrets,
    session,
)
from ckanext.vndata.lib import text, url_safety

SHOWN = 5  # records shown, and so at most this many detail requests
# A person waits for the page: the source's own limits, held tighter (a harvest
# may wait a minute for a slow page; the form's request should not).
PREVIEW_LIMITS = {"timeout": 10, "max_document_mb": 10}
SLOWEST_RATE = 1  # requests per second, at the least
DEADLINE = 30  # seconds, after which no more details are read


def preview(
    context: dict,
    url: Any,
    config_text: Any,
    source_id: str | None = None,
    title: Any = None,
    owner_org: str | None = None,
) -> dict[str, Any]:
    """{problems: [(key, message)], error, on_page, records: [...]} of the source
    the form describes; ``source_id`` when it edits a saved source, ``owner_org``
    the organization the form gives a new one."""
    result: dict[str, Any] = {"problems": [], "error": None, "on_page": 0}
    result["records"] = []
    url = url.strip() if isinstance(url, str) else ""
    if not isinstance(config_text, str):
        config_text = ""
    result["problems"] = json_source.problems(json_source.JSON, config_text)
    if not url:
        result["problems"].insert(0, ("url", tk._("Missing value")))
    if result["problems"]:
        return result
    source = model.Package.get(source_id) if source_id else None
    try:
        config = _with_secrets(context, source, url, config_text)
    except tk.ValidationError as error:
        result["problems"] = [("", m) for m in error.error_dict.get("config", [])]
        return result
    for key, most in PREVIEW_LIMITS.items():
        config[key] = min(config[key], most)
    config["requests_per_second"] = max(config["requests_per_second"], SLOWEST_RATE)
    mapping = json_source.check(config)[0]
    job = job_state.VndataHarvestJob(
        job_id=None,
        source_id=source.id if source else "",
        parsed_config=config,
        session=session.session_for(config, url),
    )
    started = time.monotonic()
    try:
        url_safety.check_url(url)
        page_url, records = next(iter(json_source.pages(job, mapping, url)))
    except (url_safety.UnsafeTarget, gather_outcome.CatalogueError) as error:
        result["error"] = str(error)
        return result
    result["on_page"] = len(records)
    title = title.strip() if isinstance(title, str) and title.strip() else url
    # The form's address and title, as the saved source will have them.
    stub = types.SimpleNamespace(id=source.id if source else None, url=url, title=title)
    # The form's organization (an edit may move the source), else the saved one's.
    own = _organization(owner_org or (source.owner_org if source else None))
    user = context.get("user") or ""
    seen: set[Any] = set()
    for position, record in enumerate(records[:SHOWN], start=1):
        if time.monotonic() - started > DEADLINE:
            result["out_of_time"] = tk._(
                "The source answered too slowly: records after {n} were not read."
            ).format(n=position - 1)
            break
        shown = _as_imported(job, mapping, stub, own, user, page_url, position, record)
        if shown["identity"] in seen and "left_out" not in shown:
            shown = {key: shown[key] for key in ("position", "identity", "modified")}
            shown["problems"] = []
            shown["left_out"] = tk._(
                "The identity {id} is listed twice; only its first record would be "
                "taken."
            ).format(id=shown["identity"])
        seen.add(shown["identity"])
        result["records"].append(_as_text(shown))
    return result


def _as_text(value: Any) -> Any:
    """What the remote API gave, fit to be shown: a lone surrogate (JSON may carry
    one) fails the page's UTF-8, so it is replaced, as the import stores it."""
    if isinstance(value, str):
        return text.storable(value)
    if isinstance(value, dict):
        return {key: _as_text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_text(item) for item in value]
    return value


def _organization(name_or_id: Any) -> str | None:
    """The id of the organization a record falls back to, as the import's: the
    source's own."""
    organization = model.Group.get(name_or_id) if name_or_id else None
    if organization is None or not organization.is_organization:
        return None
    return organization.id


def _with_secrets(context: dict, source, url: str, config_text: str) -> dict:
    """The form's config as the harvest would read it once saved: its secrets those
    it gives, or a saved source's stored ones where it keeps them."""
    given: dict[str, Any] = {"config": config_text}
    scratch: dict[str, Any] = {}  # take's record of what the form changes
    secrets.take(scratch, given)
    config = source_config.parse(given["config"])
    if source is None:
        kept = {}
    else:
        secrets.check_move(scratch, source, url, given["config"])
        kept = secrets.stored(source.id)
    for key, value in {**kept, **secrets.changes(scratch)}.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    return config


def _as_imported(job, mapping, source, own, user, page_url, position, record) -> dict:
    shown: dict[str, Any] = {"position": position, "problems": []}
    record_id = json_records.identity(mapping, record)
    shown["identity"] = record_id
    shown["modified"] = json_records.modified(mapping, record)
    if record_id is None or not json_records.usable_identity(record_id):
        shown["left_out"] = tk._(
            "Record {n} of {url} has no usable identity at {path}; it would be "
            "left out."
        ).format(
            n=position, url=url_safety.shown(page_url), path=mapping.identity.source
        )
        return shown
    if job.config.get("detail_url"):
        try:
            record = json_source.detail(job, record_id)
        except gather_outcome.CatalogueError as error:
            shown["left_out"] = str(error)
            return shown
        if not isinstance(record, dict):
            shown["left_out"] = tk._(
                "The detail of record {id} is not a JSON object."
            ).format(id=record_id)
            return shown
    package, notes = json_records.package(mapping, record)
    publisher = json_records.publisher(mapping, record)
    shown["publisher"] = publisher
    shown["problems"] = list(notes)
    try:
        rules.check_notes(notes, job.config)
        organization = _organization_for(job.config, publisher, shown)
        if organization:
            package["owner_org"] = organization
        elif not package.get("owner_org"):  # no rule chose one: the source's own
            package["owner_org"] = own
        kept_private = import_stage.prepared(job.config, package, source, None, user)
    except quarantine.Quarantined as held:
        shown["quarantined"] = str(held)
        return shown
    if kept_private:
        shown["kept_private"] = kept_private
    shown["dataset"] = _fields(package)
    shown["resources"] = [
        {k: r.get(k) for k in ("name", "url", "format")}
        for r in package.get("resources") or []
    ]
    harvest_notes = json.loads(package.get("harvest_notes") or "{}")
    shown["dropped"] = harvest_notes.get("dropped") or []
    shown["defaulted"] = sorted(harvest_notes.get("defaulted") or {})
    return shown


def _organization_for(config: dict, publisher: Any, shown: dict) -> str | None:
    """rules.organization_for, without making the organization the "create" policy
    would make: the page says it would be made, under which name."""
    agency = {"title": publisher} if publisher else {}
    if config["unknown_publishers"] != "create" or not publisher:
        return rules.organization_for(agency, config, None)
    matched = rules.rule_for(agency, config)
    if matched:
        return matched
    name = rules.new_organization_name(agency, config)
    existing = _organization(name)
    if existing is None:
        shown["new_organization"] = tk._(
            "A new organization {name} would be made for the publisher {publisher}."
        ).format(name=name, publisher=publisher)
    return existing or config.get("default_organization")


# What the preview lists of a dataset: the record's own fields, not the bookkeeping
# the import adds (the catalogue's address, the notes as JSON).
_NOT_SHOWN = {"resources", "harvest_notes", "type", "extras", "tags"}


def _fields(package: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(key, its label on the dataset form, value) of each field with a value."""
    values = {
        key: json.dumps(value) if isinstance(value, bool) else value  # as choices
        for key, value in package.items()
        if key not in _NOT_SHOWN and value not in (None, "", [])
    }
    tags = [t.get("name") for t in package.get("tags") or [] if isinstance(t, dict)]
    if tags:
        values["tags"] = tags
    organization = model.Group.get(values.get("owner_org"))
    if organization is not None:  # its name, as the dataset page shows it
        values["owner_org"] = organization.title or organization.name
    return [(key, language.field_label(key), values[key]) for key in sorted(values)]
