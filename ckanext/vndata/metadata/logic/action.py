"""Core actions chained around what the schema alone cannot see.

CKAN's bulk actions write the ``private`` column and the index directly, without the
schema and so without ``vndata_publication_gate``: ``bulk_update_public`` is checked
here first (all or nothing, as a refused package_update changes nothing either).

package_update keeps the stored resources when the call has none (the dataset edit
form sends none), but the validators then see no resource to compute the dataset's
stars from: it tells them whether the resources were given.
"""

from __future__ import annotations

import os
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.plugins import lookup_package_plugin
from ckan.types import Context, DataDict

from ckanext.vndata.lib import text
from ckanext.vndata.lib.i18n import N_
from ckanext.vndata.metadata.logic import publication

__all__ = [
    "bulk_update_public",
    "package_create",
    "package_update",
    "resource_create",
    "resource_update",
]
# Keys CKAN's dataset schema validates item by item: navl raises DataError (a 400 that
# echoes the request, or a 500 when the request holds NaN) unless each is a list of
# dicts, so a wrong shape is refused here as a validation error naming the key.
LIST_OF_DICTS = (
    "resources",
    "tags",
    "extras",
    "groups",
    "relationships_as_object",
    "relationships_as_subject",
)
NO_NAME = N_(
    "The uploaded file has no name (or only a folder's): choose a file whose name is "
    "not empty, for example du-lieu.csv."
)
# Set by package_update for the stars validator: were the resources in the call?
RESOURCES_GIVEN = "vndata_resources_given"


@tk.chained_action
def bulk_update_public(next_action: Any, context: Context, data_dict: DataDict) -> Any:
    """Make a list of datasets public, refused whole if any fails the gate.

    Who may call it and the parameters are CKAN's (``datasets``: ids, ``org_id``).

    :raises ValidationError: (409) naming each dataset that may not be public and
        the article of law it fails, under ``datasets``; nothing is changed.
    """
    tk.check_access("bulk_update_public", context, data_dict)
    # None too: CKAN's own update hands it to SQLAlchemy, which raises (a 500).
    datasets = data_dict.get("datasets", [])
    if not isinstance(datasets, list) or not all(
        isinstance(d, str) and text.can_store(d) for d in datasets
    ):
        raise tk.ValidationError({"datasets": [tk._("Must be a list of dataset ids.")]})
    # The rows CKAN's bulk update writes: these ids, owned by this organization.
    packages = (
        model.Session.query(model.Package)
        .filter(model.Package.id.in_(datasets))
        .filter(model.Package.owner_org == data_dict.get("org_id"))
    )
    refused = []
    for package in packages:
        refusals = publication.refusals_of_stored(package)
        if refusals:
            refused.append(publication.describe_refusal(package, refusals))
        # CKAN's bulk update writes with a query (synchronize_session=False), then
        # reads each package again to index it: a copy loaded here would still say
        # private and be indexed so.
        model.Session.expire(package)
    if refused:
        raise tk.ValidationError({"datasets": sorted(refused)})
    return next_action(context, data_dict)


def _check_shapes(data_dict: DataDict) -> None:
    if not isinstance(data_dict, dict):
        raise tk.ValidationError({"__type": [tk._("Must be an object.")]})
    errors = {
        key: [tk._("Must be a list of objects.")]
        for key in LIST_OF_DICTS
        if key in data_dict
        and not (
            isinstance(data_dict[key], list)
            and all(isinstance(item, dict) for item in data_dict[key])
        )
    }
    if errors:
        if "tags" in errors:
            # CKAN's ValidationError reads each tags error as {"name": [messages]}
            # (a plain message there raises a TypeError, a 500) and turns it back
            # into the message.
            errors["tags"] = [{"name": errors["tags"]}]
        raise tk.ValidationError(errors)
    # Looked up in the database before any validator runs (CKAN's update and our
    # harvest source checks read the dataset by id or name, access checks the
    # organization): a NUL there is a 500 from psycopg2, not a validation error.
    unstorable = {
        key: [tk._("Contains control characters or invalid Unicode.")]
        for key in ("id", "name", "owner_org")
        if isinstance(data_dict.get(key), str) and not text.can_store(data_dict[key])
    }
    if unstorable:
        raise tk.ValidationError(unstorable)
    # CKAN's create and update actions hand each resource to the uploader, which reads
    # its URL as text, before any validation.
    resources = data_dict.get("resources") or []
    bad_urls = [
        {"url": [tk._("Must be text, not a list, a number or an object.")]}
        if not isinstance(r.get("url", ""), (str, type(None)))
        else {}
        for r in resources
    ]
    if any(bad_urls):
        raise tk.ValidationError({"resources": bad_urls})


def _check_uploads(resources: list[Any]) -> None:
    """Files uploaded with resources, before CKAN's uploader reads them.

    The name loses its accents: CKAN's munge_filename, which names the stored file and
    its download address, drops every Vietnamese letter it has no ASCII for ("Trường
    học.csv" -> "trng-hc.csv"); only the path is cut here, the munge does the rest.
    A file over ckan.max_resource_size is refused first, in the user's language:
    CKAN refuses it only after writing, in English ("File upload too large")."""
    max_bytes = tk.config.get("ckan.max_resource_size") * 1024 * 1024
    errors = []
    for resource in resources:
        upload = resource.get("upload") if isinstance(resource, dict) else None
        name = getattr(upload, "filename", None)
        if not hasattr(upload, "stream"):
            errors.append({})
            continue
        upload.stream.seek(0, os.SEEK_END)
        size = upload.stream.tell()
        upload.stream.seek(0)
        name = name if isinstance(name, str) else ""
        base = text.strip_accents(text.nfc(name.replace("\\", "/").rsplit("/", 1)[-1]))
        base = "".join(c for c in base if c.isprintable())  # NUL, controls, U+200B
        if not base.strip() and (name or size):
            # CKAN's uploader takes a file without a name for no file at all: the
            # resource would be saved without it, and nobody told. (No name and no
            # byte is a form whose file field was left empty.)
            errors.append({"upload": [tk._(NO_NAME)]})
            continue
        upload.filename = base
        too_large = tk._(
            "The file is larger than {max} MB, the most this portal accepts."
        ).format(max=tk.config.get("ckan.max_resource_size"))
        errors.append({"upload": [too_large]} if size > max_bytes else {})
    if any(errors):
        raise tk.ValidationError({"resources": errors})


def _check_upload(data_dict: DataDict) -> None:
    """_check_uploads for one resource (its errors under its own keys)."""
    try:
        _check_uploads([data_dict])
    except tk.ValidationError as error:
        raise tk.ValidationError(error.error_dict["resources"][0]) from None


@tk.chained_action
def resource_create(next_action: Any, context: Context, data_dict: DataDict) -> Any:
    """CKAN's resource_create, an uploaded file checked first (_check_uploads)."""
    _check_upload(data_dict)
    return next_action(context, data_dict)


@tk.chained_action
def resource_update(next_action: Any, context: Context, data_dict: DataDict) -> Any:
    """CKAN's resource_update, an uploaded file checked first (_check_uploads)."""
    _check_upload(data_dict)
    return next_action(context, data_dict)


@tk.chained_action
def package_create(next_action: Any, context: Context, data_dict: DataDict) -> Any:
    """CKAN's package_create; lists of objects are checked first (see above), and a
    dataset type that no plugin registers is refused: CKAN would store it with its
    default schema, which has none of the Vietnamese fields and no publication gate."""
    _check_shapes(data_dict)
    _check_uploads(data_dict.get("resources") or [])
    kind = data_dict.get("type")
    # Not text (a list, an object) would fail CKAN's lookup by type with a 500.
    unknown = not isinstance(kind, str) or (
        lookup_package_plugin(kind) is lookup_package_plugin(None)
    )
    if kind and unknown:
        raise tk.ValidationError(
            {"type": [tk._("Unknown dataset type: {type}.").format(type=kind)]}
        )
    return next_action(context, data_dict)


@tk.chained_action
def package_update(next_action: Any, context: Context, data_dict: DataDict) -> Any:
    """CKAN's package_update; see the module docs for what is added."""
    _check_shapes(data_dict)
    _check_uploads(data_dict.get("resources") or [])
    # Assigned, not defaulted: resource_create calls package_update with its context.
    context[RESOURCES_GIVEN] = "resources" in data_dict  # type: ignore[literal-required]
    return next_action(context, data_dict)
