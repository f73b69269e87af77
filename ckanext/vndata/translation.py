"""One gettext domain and one catalogue folder shared by every vndata plugin."""

from __future__ import annotations

import functools
import gettext
import importlib.resources
import json
import pathlib

import click
import polib
from babel.support import Translations

import ckan
from ckan.lib.plugins import DefaultTranslation

DOMAIN = "ckanext-vndata"


def vndata_i18n_directory() -> pathlib.Path:
    """Folder of the catalogues, inside the installed package (wheel or editable)."""
    return pathlib.Path(str(importlib.resources.files("ckanext.vndata.i18n")))


@functools.lru_cache(maxsize=8)
def _catalogue(locale: str) -> gettext.NullTranslations:
    return Translations.load(str(vndata_i18n_directory()), [locale], DOMAIN)


def vndata_in_language(message: str, locale: str) -> str:
    """``message`` in ``locale`` from this suite's catalogue, request or not.

    ``tk._`` answers in the request's language, and in English where there is no
    request (a background job, a command). What is written for a reader whose
    language is known beforehand (a reminder e-mail) is translated here instead.
    """
    return _catalogue(locale).gettext(message)


class VndataTranslation(DefaultTranslation):
    """Mixin for plugins: ``p.implements(p.ITranslation)`` plus this class."""

    def i18n_directory(self) -> str:
        return str(vndata_i18n_directory())

    def i18n_domain(self) -> str:
        return DOMAIN

    def i18n_locales(self) -> list[str]:
        # Only folders that hold a catalogue are locales (not __pycache__).
        root = vndata_i18n_directory()
        return sorted(
            entry.name
            for entry in root.iterdir()
            if (entry / "LC_MESSAGES" / f"{DOMAIN}.po").exists()
        )


def vndata_complete_script_catalogues(directory: str) -> None:
    """Add to the browser scripts' catalogues (``directory``: one JSON file per
    language, written by CKAN's ``build_js_translations``) the strings of core's
    scripts that core's catalogue lacks and i18n/upstream/<lang>.po supplies. CKAN
    builds them from each plugin's own .po only, so "Reorder resources" or the table
    preview's buttons would stay English."""
    core_pot = pathlib.Path(ckan.__file__).parent / "i18n" / "ckan.pot"
    scripts = {
        entry.msgid
        for entry in polib.pofile(str(core_pot))
        if any(place.endswith(".js") for place, _line in entry.occurrences)
    }
    for upstream in (vndata_i18n_directory() / "upstream").glob("*.po"):
        target = pathlib.Path(directory) / f"{upstream.stem}.js"
        if not target.exists():
            continue
        catalogue = json.loads(target.read_text("utf-8"))
        missing = {
            entry.msgid: [None, entry.msgstr]
            for entry in polib.pofile(str(upstream))
            if entry.msgid in scripts and entry.msgstr and entry.msgid not in catalogue
        }
        if missing:  # a restart rewrites nothing
            written = target.with_suffix(".js.new")
            written.write_text(
                json.dumps({**catalogue, **missing}, ensure_ascii=False), "utf-8"
            )
            written.replace(target)  # a reader sees the old file or the new one


def vndata_in_portal_locale(command):
    """A CLI command whose messages are in the portal's default language
    (ckan.locale_default), as on its pages: CKAN chooses the language per request,
    and a command has none (outside one, ``tk._`` answers in English)."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        with click.get_current_context().meta["flask_app"].test_request_context():
            return command(*args, **kwargs)

    return wrapped
