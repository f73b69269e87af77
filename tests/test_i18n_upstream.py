"""Vietnamese for the pieces around our plugins: CKAN core, harvest and dcat.

The strings their own Vietnamese catalogues lack are translated in i18n/upstream/vi.po
and compiled under the ckanext-vndata catalogue, which CKAN merges over core's.
Run on each CKAN leg, so the installed (pinned) versions are the ones checked.
"""

from __future__ import annotations

import pathlib
import re

import pytest
from babel.messages.pofile import read_po

import ckan
import ckan.plugins.toolkit as tk
import ckanext.dcat
import ckanext.harvest

from tests.helpers import REPO_ROOT

UPSTREAM = REPO_ROOT / "i18n" / "upstream" / "vi.po"
OWN = REPO_ROOT / "i18n" / "vi" / "LC_MESSAGES" / "ckanext-vndata.po"
TEMPLATES = {
    "ckan": pathlib.Path(ckan.__file__).parent / "i18n" / "ckan.pot",
    "ckanext-harvest": pathlib.Path(ckanext.harvest.__file__).parent
    / "i18n" / "ckanext-harvest.pot",
    "ckanext-dcat": pathlib.Path(ckanext.dcat.__file__).parent
    / "i18n" / "ckanext-dcat.pot",
}  # fmt: skip
CORE_VI = pathlib.Path(ckan.__file__).parent / "i18n" / "vi" / "LC_MESSAGES" / "ckan.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sdr]|\{[a-z_0-9]*(?:![rs])?\}")


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _translated(message) -> bool:
    string = message.string
    done = all(string) if isinstance(string, tuple) else bool(string)
    return done and not message.fuzzy


def _catalogue(path: pathlib.Path):
    with path.open("rb") as po_file:
        return read_po(po_file, locale="vi")


def _core() -> dict[str, object]:
    return {_key(m): m.string for m in _catalogue(CORE_VI) if m.id and _translated(m)}


@pytest.mark.parametrize("project", sorted(TEMPLATES))
def test_every_string_of_the_pinned_version_has_vietnamese(project):
    ours = {_key(m) for m in _catalogue(UPSTREAM) if m.id and _translated(m)}
    known = set(_core()) | ours
    with TEMPLATES[project].open("rb") as pot:
        reachable = {_key(m) for m in read_po(pot) if m.id}

    assert sorted(reachable - known) == []


def test_every_message_of_scheming_has_vietnamese():
    """ckanext-scheming ships no catalogue, and its validators' messages ("unexpected
    choice") reach officers on the dataset form and in harvest reports."""
    from babel.messages.extract import extract_from_dir

    import ckanext.scheming

    found = extract_from_dir(
        str(pathlib.Path(ckanext.scheming.__file__).parent),
        [("**/tests/**", "ignore"), ("**.py", "python")],
        keywords={"_": None},
    )
    ours = {_key(m) for m in _catalogue(UPSTREAM) if m.id and _translated(m)}
    reachable = {m[2] if isinstance(m[2], str) else m[2][0] for m in found}

    assert sorted(reachable - set(_core()) - ours) == []


def test_upstream_translations_keep_their_placeholders():
    for message in _catalogue(UPSTREAM):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[1]
        strings = message.string if isinstance(message.string, tuple) else (
            message.string,
        )  # fmt: skip
        for string in strings:
            assert sorted(PLACEHOLDER.findall(string)) == sorted(
                PLACEHOLDER.findall(source)
            ), message.id


def test_core_translations_are_kept_except_the_glossary_corrections():
    upstream = _catalogue(UPSTREAM)
    corrections = {
        _key(m): m.string
        for m in upstream
        if any("glossary correction" in c for c in m.auto_comments)
    }
    core = _core()
    for catalogue in (upstream, _catalogue(OWN)):
        for message in catalogue:
            key = _key(message) if message.id else None
            if key in core and key not in corrections:
                assert message.string == core[key], key
            elif key in corrections:
                assert message.string == corrections[key], key


@pytest.mark.usefixtures("with_plugins")
def test_core_and_harvest_strings_are_shown_in_vietnamese(app):
    """The compiled, merged catalogue is what CKAN serves."""
    with app.flask_app.test_request_context():
        assert tk._("Harvest Sources") == "Nguồn thu thập"  # ckanext-harvest
        assert tk._("Close") == "Đóng"  # missing from core's vi
        assert tk._("Organizations") == "Tổ chức"  # core's own, kept
        assert tk._("Open-data plan") == "Kế hoạch dữ liệu mở"  # ours
