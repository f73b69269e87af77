"""One gettext domain and one catalogue folder shared by every vndata plugin."""

from __future__ import annotations

import functools
import gettext
import importlib.resources
import pathlib

from babel.support import Translations

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
