"""One gettext domain and one catalogue folder shared by every vndata plugin."""

from __future__ import annotations

import importlib.resources
import pathlib

from ckan.lib.plugins import DefaultTranslation

DOMAIN = "ckanext-vndata"


def vndata_i18n_directory() -> pathlib.Path:
    """Folder of the catalogues, inside the installed package (wheel or editable)."""
    return pathlib.Path(str(importlib.resources.files("ckanext.vndata.i18n")))


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
