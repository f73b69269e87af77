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
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "i18n").glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3], domain=DOMAIN)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


class BuildPyWithCatalogues(build_py):
    def run(self) -> None:
        compile_catalogues()
        super().run()


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
