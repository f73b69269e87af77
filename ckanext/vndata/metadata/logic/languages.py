"""Validators of the fields that say which language a text is in, and its translations.

Filled by the harvest (dcat/translations.py) from records in other languages; kept
through the edit form in hidden inputs, so their stored form is canonical JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.vndata.dcat import translations
from ckanext.vndata.lib.navl import is_empty
from ckanext.vndata.metadata.logic import guards

# BCP 47 as RDF literals carry it (RFC 5646 "langtag", loosely), lower-cased.
_TAG = re.compile(r"[a-z]{1,8}(-[a-z0-9]{1,8}){0,7}")
TEXT_FIELDS = set(translations.DATASET_TEXTS) | set(translations.RESOURCE_TEXTS)
TRANSLATIONS_MAX = 2 * guards.LONG_TEXT_MAX


def vndata_language_tag(value: Any, context: Context) -> Any:
    """A language tag such as de, fr or pt-br (stored lower-case)."""
    if is_empty(value):
        return value
    tag = str(value).strip().lower()
    if not _TAG.fullmatch(tag):
        raise tk.Invalid(
            tk._("Invalid language tag {value} (e.g. de, fr, pt-br).").format(
                value=str(value)[:50]
            )
        )
    return tag


def vndata_translations(value: Any, context: Context) -> Any:
    """{field: {language tag: text or list of texts}}, stored as canonical JSON."""
    if is_empty(value):
        return value
    loaded = value
    if isinstance(value, str):
        try:
            loaded = json.loads(value)
        except ValueError:
            loaded = None
    if not isinstance(loaded, dict) or not all(
        field in TEXT_FIELDS and isinstance(texts, dict) and _texts_are_valid(texts)
        for field, texts in loaded.items()
    ):
        raise tk.Invalid(
            tk._(
                "Translations must be a JSON object of fields ({fields}), each "
                "mapping language tags (e.g. fr) to texts."
            ).format(fields=", ".join(sorted(TEXT_FIELDS)))
        )
    stored = translations.dumps({k: v for k, v in loaded.items() if v})
    if len(stored) > TRANSLATIONS_MAX:
        raise tk.Invalid(
            tk._("Must be at most {max} characters long.").format(max=TRANSLATIONS_MAX)
        )
    return stored if stored != "{}" else None


def _texts_are_valid(texts: dict[str, Any]) -> bool:
    for tag, text in texts.items():
        if not isinstance(tag, str) or not _TAG.fullmatch(tag):
            return False
        values = text if isinstance(text, list) else [text]
        if not values or not all(isinstance(v, str) and v.strip() for v in values):
            return False
    return True
