"""Template helpers of vndata_metadata (scheming choices and display labels)."""

from __future__ import annotations

import urllib.parse
from typing import Any

from flask import has_request_context

import ckan.plugins.toolkit as tk

from ckanext.vndata.dcat import translations
from ckanext.vndata.lib import admin_units, dates, vocabularies
from ckanext.vndata.lib.i18n import N_
from ckanext.vndata.metadata import datastore, harvested_fields


def _portal_level_labels() -> dict[str, str]:
    return {
        "national": tk._("National open-data portal"),
        "province": tk._("Provincial open-data portal"),
        "ministry": tk._("Ministry open-data portal"),
    }


def vndata_portal_level() -> str:
    """Which kind of portal this instance is: national, province or ministry."""
    return tk.config.get("ckanext.vndata.portal_level")


def vndata_portal_level_label() -> str:
    """The kind of portal, as a label in the user's language."""
    return _portal_level_labels()[vndata_portal_level()]


def vndata_portal_province_code() -> str | None:
    """The province (Decision 19/2025 code) a provincial portal belongs to, if any."""
    return tk.config.get("ckanext.vndata.portal_province_code") or None


def vndata_vocabulary_choices(field: dict[str, Any]) -> list[dict]:
    """Scheming choices_helper: the vocabulary of the field's vndata_vocabulary."""
    return vocabularies.choices(field["vndata_vocabulary"])


def vndata_province_choices(field: dict[str, Any] | None = None) -> list[dict]:
    """Scheming choices_helper: today's 34 provinces, by code."""
    return [
        {"value": code, "label": f"{code} - {name}"}
        for code, name in admin_units.provinces().items()
    ]


def vndata_term_label(vocabulary: str, value: str) -> str:
    """The label of a vocabulary term in the user's language (the value if unknown)."""
    found = vocabularies.term(vocabulary, value)
    if found is None:
        return value
    return found.en if vndata_language() == "en" else found.vi


def vndata_language() -> str:
    """The user's language; the portal's default outside a web request (CLI, jobs)."""
    if has_request_context():
        return tk.h.lang() or tk.config.get("ckan.locale_default")
    return tk.config.get("ckan.locale_default")


def vndata_province_name(code: str) -> str:
    return admin_units.provinces().get(code, code)


def vndata_commune_name(code: str) -> str:
    commune = admin_units.communes().get(code)
    return commune[0] if commune else code


def vndata_legacy_unit_name(code: str) -> str:
    """The name a unit had before 1 July 2025 (the code if unknown)."""
    return admin_units.legacy_unit_name(code) or code


def vndata_format_date(value: Any) -> str:
    """A stored yyyy-mm-dd date as dd/mm/yyyy for Vietnamese readers."""
    if vndata_language() != "vi":
        return str(value or "")[:10]
    return dates.day_month_year(value)


def vndata_form_date(value: Any) -> str:
    """A date field's value in a form: dd/mm/yyyy in every language, whatever the
    browser's locale (a native date input follows the browser: mm/dd/yyyy in en-US);
    a value that is not a stored date (a typing error sent back) as typed."""
    return dates.day_month_year(value)


def vndata_format_datetime(value: Any) -> str:
    """A stored time (UTC, a datetime or its ISO text) in the portal's display time
    zone: dd/mm/yyyy HH:MM for Vietnamese readers, yyyy-mm-dd HH:MM otherwise; empty
    if it is not a time. CKAN's own rendering reads "tháng 11 30, 2026" in Vietnamese,
    so every page of ours shows times through this helper."""
    if not value:
        return ""
    vietnamese = vndata_language() == "vi"
    form = "%d/%m/%Y %H:%M" if vietnamese else "%Y-%m-%d %H:%M"
    return tk.h.render_datetime(value, date_format=form)


# Core's name, as CKAN chains a helper only under the name it replaces.
@tk.chained_helper
def render_datetime(
    next_helper,
    datetime_: Any,
    date_format: str | None = None,
    with_hours: bool = False,
    with_seconds: bool = False,
) -> str:
    """Core's pages (dataset, activity, user, organization) show dates through this
    helper; in Vietnamese as i18n/GLOSSARY.md writes them, 29/11/2026 and
    29/11/2026 21:07 in the display time zone, where CKAN's own reads "tháng 11 29,
    2026". An explicit format, or another language, is core's."""
    if date_format or vndata_language() != "vi":
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    clock = " %H:%M:%S" if with_seconds else " %H:%M" if with_hours else ""
    return next_helper(datetime_, "%d/%m/%Y" + clock)


@tk.chained_helper
def humanize_entity_type(
    next_helper, entity_type: str, object_type: str, purpose: str
) -> str | None:
    """To CKAN a harvest source is a dataset of type "harvest": core's activity
    streams say "đã tạo Harvest"; they name it as the glossary does."""
    if (entity_type, object_type, purpose) == ("package", "harvest", "activity_record"):
        return tk._("harvest source")
    return next_helper(entity_type, object_type, purpose)


# The HTTP errors a reader meets, by code: werkzeug names them in English only.
ERROR_TITLES = {
    400: N_("Bad request"),
    401: N_("Not logged in"),
    403: N_("Not permitted"),
    404: N_("Page not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("Request too large"),
    429: N_("Too many requests"),
    500: N_("Server error"),
    503: N_("Service unavailable"),
}


def vndata_error_title(code: Any, name: str) -> str:
    """An error page's heading in the reader's language: "403 Không có quyền"; a code
    without a translated name keeps werkzeug's."""
    title = ERROR_TITLES.get(code if isinstance(code, int) else None)
    return f"{code} {tk._(title) if title else name}"


def vndata_stars_label(stars: Any) -> str:
    try:
        count = int(stars)
    except (TypeError, ValueError):
        return str(stars)
    return tk.ungettext("{n} star", "{n} stars", count).format(n=count)


def vndata_harvest_notes(value: Any, schema: dict[str, Any]) -> dict[str, list]:
    """What a harvest did to a dataset's values (harvester/policy.py), for its page:
    labels in the user's language; values as the source gave them."""
    import json

    try:
        notes = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        notes = None
    if not isinstance(notes, dict):
        return {}
    fields = {f["field_name"]: f for f in schema.get("dataset_fields", [])}

    def field_label(name: str) -> str | None:
        name = str(name).split("[")[0]
        field = fields.get("tag_string" if name == "tags" else name)
        if field:
            return tk.h.scheming_language_text(field["label"])
        known = HARVESTED_EXTRAS.get(name)
        return tk._(known) if known else None

    def label(name: str) -> str:
        return field_label(name) or str(name)

    def shown(name: str, value: Any) -> str:
        field = fields.get(name) or {}
        if field.get("vndata_vocabulary") and isinstance(value, str):
            return vndata_term_label(field["vndata_vocabulary"], value)
        for choice in field.get("choices") or []:  # e.g. yes/no of a boolean
            if str(choice["value"]).lower() == str(value).lower():
                return tk.h.scheming_language_text(choice["label"])
        return (
            value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        )

    def listed(key: str) -> list:  # stored before validation was strict: any shape
        value = notes.get(key)
        return value if isinstance(value, list) else []

    defaulted = (
        notes.get("defaulted") if isinstance(notes.get("defaulted"), dict) else {}
    )
    dropped = [d for d in listed("dropped") if isinstance(d, dict)]
    kept = [
        (_kept_label(str(name), field_label), str(name).removesuffix(KEPT_SUFFIX))
        for name in listed("kept")
    ]
    return {
        "defaulted": [(label(k), shown(k, v)) for k, v in sorted(defaulted.items())],
        "absent": [label(name) for name in listed("absent")],
        "dropped": [
            (
                label(d.get("field", "")),
                str(d.get("value", "")),
                str(d.get("reason", "")),
            )
            for d in dropped
        ],
        # A name nobody declared is the source's own: the page shows it as a code.
        "kept": [label for label, _name in kept if label is not None],
        "kept_other": sorted({name for label, name in kept if label is None}),
    }


# What a harvest keeps beside the schema's fields, labelled (one home for them all).
HARVESTED_EXTRAS = harvested_fields.SOURCE_FIELDS
# Shown as rows of the dataset page, in this order, when the dataset has them.
HARVESTED_ROWS = (
    "uri",
    "source_catalog_modified",
    "source_catalog_homepage",
    "source_catalog_language",
    "source_catalog_description",
)
# policy.py keeps a source's value under "<key> (nguồn)" when the key is taken.
KEPT_SUFFIX = " (nguồn)"


def _kept_label(name: str, field_label: Any) -> str | None:
    """A kept value's name as a label: a field's or a known extra's, marked as the
    source's when the policy renamed it; None for a name nobody declared."""
    base = name[: -len(KEPT_SUFFIX)] if name.endswith(KEPT_SUFFIX) else name
    known = HARVESTED_EXTRAS.get(base)
    shown = tk._(known) if known else field_label(base)
    if shown is None:
        return None
    if base == name:
        return shown
    return tk._("{label} (as the source gave it)").format(label=shown)


def _link(value: Any) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    return text if text.lower().startswith(("http://", "https://")) else None


def vndata_agent(value: Any) -> dict[str, Any]:
    """A publisher as a harvest stored it, for display: {"name", "uri"}. Either a
    name, or ckanext-dcat's JSON object ({"uri", "name", "name_translated": {language:
    name}}), whose name is taken in the user's language, else Vietnamese, else as
    given; the URI is kept only if it is an http(s) address to link to."""
    import json

    agent: Any = value
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            agent = json.loads(value)
        except ValueError:
            agent = value
    if not isinstance(agent, dict):
        return {"name": "" if agent is None else str(agent), "uri": None}
    names = agent.get("name_translated")
    names = names if isinstance(names, dict) else {}
    name = next(
        (
            names[language]
            for language in (vndata_language(), "vi")
            if isinstance(names.get(language), str) and names[language]
        ),
        None,
    )
    uri = _link(agent.get("uri"))
    name = name or agent.get("name") or next(iter(names.values()), None) or uri
    return {"name": str(name or ""), "uri": uri}


def vndata_harvested_rows(pkg_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of a harvested dataset's page beside its schema fields: when this portal
    harvested it ("Thu thập lúc", apart from the source's own dates) and what the
    source said of itself, each value readable (dates, links, language names)."""
    extras = {
        e.get("key"): e.get("value")
        for e in pkg_dict.get("extras") or []
        if isinstance(e, dict)
    }
    if not (extras.get("harvest_source_id") or pkg_dict.get("source_catalog_uri")):
        return []
    rows = [
        {
            "label": tk._("Harvested at"),
            "text": vndata_format_datetime(pkg_dict.get("metadata_modified")),
            "href": None,
        }
    ]
    for key in HARVESTED_ROWS:
        value = extras.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        text, href = value, _link(value)
        if key == "source_catalog_modified":
            text, href = vndata_format_date(value), None
        elif key == "source_catalog_language":
            href = None
            found = next(
                (t for t in vocabularies.LANGUAGES if value in (t.uri, t.value)), None
            )
            text = vndata_term_label("language", found.value) if found else value
        rows.append({"label": tk._(HARVESTED_EXTRAS[key]), "text": text, "href": href})
    return rows


def vndata_translation_rows(value: Any) -> list[dict[str, str]]:
    """The texts of a ``translations`` field, one row per text, for display."""
    labels = {
        "title": tk._("Title"),
        "notes": tk._("Description"),
        "name": tk._("Name"),
        "description": tk._("Description"),
    }
    rows = []
    for field, texts in translations.loads(value).items():
        for language, text in sorted((texts or {}).items()):
            for one in [text] if isinstance(text, str) else text:
                rows.append(
                    {
                        "label": labels.get(field, field),
                        "language": language,
                        "language_label": tk._("untagged")
                        if language == translations.UNTAGGED
                        else language,
                        "text": one,
                    }
                )
    return rows


def vndata_datastore_refusal(resource_id: str) -> str | None:
    """Why the resource has no DataStore table (preview, Data API), or None."""
    return datastore.refusal_message(resource_id)


# Formats that are served by a program, not as a file (the button opens them).
_SERVICE_FORMATS = {"API", "WMS", "WFS", "WMTS", "SPARQL", "ESRI REST", "OGC API"}


def vndata_resource_action(resource: dict[str, Any]) -> dict[str, str]:
    """What the resource page's main button does, as its icon and label: a file is
    downloaded; a service (an API, a map service) or a web page is opened. Core says
    "Go to resource" ("Đến nguồn") for every link that is not an upload."""
    fmt = str(resource.get("format") or "").strip().upper()
    path = urllib.parse.urlsplit(str(resource.get("url") or "")).path
    has_extension = "." in path.rsplit("/", 1)[-1]
    if resource.get("url_type") == "upload" or (
        fmt not in _SERVICE_FORMATS
        and fmt != "HTML"
        and resource.get("access_type") != "api"
        and resource.get("resource_type") not in ("api", "service", "listing")
        and (has_extension or fmt)
    ):
        return {"icon": "arrow-circle-down", "label": tk._("Download the file")}
    if fmt == "HTML" or not (fmt or has_extension):
        return {"icon": "external-link", "label": tk._("Go to the source page")}
    return {"icon": "external-link", "label": tk._("Open the link")}
