"""What a harvest operator reads, in the portal's language (ckan.locale_default),
naming things as the portal's pages do.

CKAN chooses the language per request (flask-babel reads it from the request), and
outside a request every tk._ answers in English: the harvest consumers have none, yet
the messages a job keeps are written while they run. The stages therefore run in an
application context with the portal's default locale (portal_language). A refused
dataset is described by its title and by the labels its fields have on the portal's
form, not by keys and Python reprs.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from typing import Any, Callable, Iterator

import flask
import flask_babel

import ckan.plugins.toolkit as tk
from ckan import model

# The Flask app CKAN built in this process (plugin.py, IMiddleware): a harvest stage
# outside any request runs in an application context of it.
_APP: list = []


def remember_app(app: Any) -> None:
    _APP[:] = [app]


@contextlib.contextmanager
def portal_language() -> Iterator[None]:
    """Messages made inside are in the portal's language, request or not."""
    if flask.has_request_context() or not _APP:
        yield  # a page or a command: CKAN has chosen the language already
        return
    # An application context with the language forced, not a request context: a
    # request's end runs the app's request teardowns (web_guards.py ends the database
    # session there), under ckanext-harvest's stage that still uses its objects.
    with _APP[0].app_context(), flask_babel.force_locale(_default_locale()):
        yield


def _default_locale() -> str:
    return tk.config.get("ckan.locale_default")


def in_portal_language(stage: Callable) -> Callable:
    """A harvest stage whose messages are in the portal's language."""

    @functools.wraps(stage)
    def wrapped(*args, **kwargs):
        with portal_language():
            return stage(*args, **kwargs)

    return wrapped


def invalid_dataset(title: str | None, errors: dict[str, Any]) -> str:
    """Why a record's dataset was refused, field by field, as its form names them."""
    return tk._(
        "The dataset {title} was not imported; correct it at its source: {errors}"
    ).format(title=quoted(title), errors=field_errors(errors))


def invalid_plan(title: str | None, errors: dict[str, Any]) -> str:
    """Why a harvested plan was refused, each message after the path of its value
    (plan/exchange.py names them so: ``items.3.title``)."""
    parts = [
        "{}: {}".format(_where(key), " ".join(messages(value)))
        if key
        else " ".join(messages(value))
        for key, value in errors.items()
    ]
    return tk._(
        "The plan {title} was not imported; correct it at its source: {errors}"
    ).format(title=quoted(title), errors="; ".join(parts))


def _where(path: str) -> str:
    """A value's path as an operator reads it, the path kept for the source's
    officers: ``items.3.title`` -> "item 4 (items.3.title)"; a refusal of the
    whole list (``items``) names the plan's items, not a bare key."""
    head, _, rest = path.partition(".")
    number = rest.split(".")[0]
    if head == "items":
        label = tk._("item {n}") if number.isdigit() else tk._("the plan's items")
    elif head == "phases":
        label = tk._("phase {n}") if number.isdigit() else tk._("the plan's phases")
    else:
        return path
    shown = label.format(n=int(number) + 1) if number.isdigit() else label
    return f"{shown} ({path})"


def quoted(title: str | None) -> str:
    shown = title.strip() if isinstance(title, str) else ""
    return "«{}»".format(shown or tk._("(untitled)"))


def dataset_named(package_id: str | None) -> str:
    """A dataset by its title and its address on this portal."""
    package = model.Package.get(package_id) if package_id else None
    if package is None:
        return quoted(None)
    address = "{}/dataset/{}".format(tk.config.get("ckan.site_url"), package.name)
    return "{} ({})".format(quoted(package.title or package.name), address)


def record_title(harvest_object: Any) -> str | None:
    """The title a harvested record gives itself, if it has one."""
    try:
        record = json.loads(harvest_object.content or "{}")
    except ValueError:
        return None
    title = record.get("title") if isinstance(record, dict) else None
    return title if isinstance(title, str) and title.strip() else None


def field_errors(errors: dict[str, Any], dataset_type: str = "dataset") -> str:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type) or {}
    fields = _labels(schema.get("dataset_fields") or [])
    resource_fields = _labels(schema.get("resource_fields") or [])
    parts = []
    for key, value in errors.items():
        if key == "resources" and isinstance(value, list):
            for number, resource in enumerate(value, start=1):
                if isinstance(resource, dict) and resource:
                    parts.append(
                        tk._("resource {number}: {errors}").format(
                            number=number,
                            errors=_joined(resource, resource_fields),
                        )
                    )
            continue
        parts.append(_joined({key: value}, fields))
    return "; ".join(part for part in parts if part)


def _joined(errors: dict[str, Any], labels: dict[str, str]) -> str:
    return "; ".join(
        _unknown_fields(value)
        if key == "__junk"
        else "{}: {}".format(_label(key, labels), " ".join(messages(value)))
        for key, value in errors.items()
        if messages(value)
    )


def _unknown_fields(value: Any) -> str:
    """CKAN names the keys its schema does not know by a Python list of key tuples
    ("[('creator', 0, 'uri'), ...]"); the operator needs the fields' names."""
    names = sorted(set(re.findall(r"\(\s*'([^']+)'", " ".join(messages(value)))))
    return tk._("fields this portal does not know: {names}").format(
        names=", ".join(names) or "?"
    )


def field_label(key: str, dataset_type: str = "dataset") -> str:
    """A dataset field's label on the form, in the user's language."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type) or {}
    return _label(key, _labels(schema.get("dataset_fields") or []))


def _label(key: str, labels: dict[str, str]) -> str:
    if key in labels:
        return labels[key]
    # A key the schema does not list (a core one): CKAN's own way of naming it.
    return tk._(key.replace("_", " ").capitalize())


def _labels(fields: list[dict[str, Any]]) -> dict[str, str]:
    from ckanext.scheming.helpers import scheming_language_text

    # scheming's own choice of language needs a request; without one, the portal's.
    language = tk.h.lang() if flask.has_request_context() else _default_locale()
    return {
        field["field_name"]: scheming_language_text(field.get("label"), language)
        or field["field_name"]
        for field in fields
    }


def messages(value: Any) -> list[str]:
    """The texts of an error value: a message, a list of them, or nested errors."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [m for nested in value.values() for m in messages(nested)]
    if isinstance(value, (list, tuple)):
        return [m for nested in value for m in messages(nested)]
    return [str(value)] if value else []
