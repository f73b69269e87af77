"""Build hooks: Babel extraction settings and compiling the catalogues into the wheel.

Everything else lives in pyproject.toml.  The .mo files are built here, from i18n/*.po,
so they are never committed or hand-edited.
"""

from __future__ import annotations

import pathlib

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = pathlib.Path(__file__).parent
DOMAIN = "ckanext-vndata"


def compile_catalogues() -> None:
    """Each locale's .mo: i18n/upstream/<locale>.po (strings of CKAN core and the other
    extensions that their catalogues lack), then our own catalogue over it.

    CKAN merges every ITranslation plugin's catalogue over core's (flask-babel's
    Translations.merge), so the upstream strings fill core's gaps without touching
    the translations core already has.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "i18n").glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        locale = po_path.parts[-3]
        merged = Catalog(locale=locale, domain=DOMAIN)
        for source in (ROOT / "i18n" / "upstream" / f"{locale}.po", po_path):
            if not source.exists():
                continue
            with source.open("rb") as po_file:
                catalog = read_po(po_file, locale=locale, domain=DOMAIN)
            for message in catalog:
                if message.id and message.string:
                    merged[message.id] = message
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, merged)


class BuildPyWithCatalogues(build_py):
    def run(self) -> None:
        compile_catalogues()
        super().run()


if __name__ == "compile":  # make's catalogue rule: runpy.run_path(..., "compile")
    compile_catalogues()
else:
    setup(
        cmdclass={"build_py": BuildPyWithCatalogues},
        message_extractors={
            "ckanext": [
                ("**.py", "python", None),
                ("**.js", "javascript", None),
                ("**/templates/**.html", "ckan", None),
            ],
        },
    )
