"""The Vietnamese catalogue covers every string of the code and templates."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.helpers import REPO_ROOT

METHOD_MAP = [
    ("**.py", "python"),
    ("**.js", "javascript"),
    ("**/templates/**.html", "ckan"),
]
# N_ marks a message translated where it is shown (plan/fields.py, plan/states.py).
KEYWORDS = {"_": None, "N_": None, "ungettext": (1, 2)}


def _source_messages() -> set[str]:
    found = extract_from_dir(
        str(REPO_ROOT / "ckanext"),
        METHOD_MAP,
        keywords=KEYWORDS,
        strip_comment_tags=True,
    )
    return {m[2] if isinstance(m[2], str) else m[2][0] for m in found}


def _catalogue(locale: str):
    path = REPO_ROOT / "i18n" / locale / "LC_MESSAGES" / "ckanext-vndata.po"
    with path.open("rb") as po_file:
        return read_po(po_file, locale=locale)


def test_every_string_of_the_source_is_in_the_vietnamese_catalogue():
    catalogue_ids = {
        m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue("vi") if m.id
    }

    assert _source_messages() - catalogue_ids == set()


def test_every_vietnamese_entry_is_translated_and_not_fuzzy():
    untranslated = [
        m.id
        for m in _catalogue("vi")
        if m.id
        and (m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string)))
    ]

    assert untranslated == []


# Messages whose code passes more fields than the English uses; a translation may use
# them: pages.quarter_label passes the quarter's Roman numeral too, as Vietnamese
# writes quarters ("Quý IV/2026").
ALSO_PASSED = {"Q{number} {year}": {"{roman}"}}


def test_translations_keep_the_format_fields():
    import re

    field = re.compile(r"\{[a-z_]+\}")
    for message in _catalogue("vi"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        expected = set(field.findall(ids[0]))
        also = ALSO_PASSED.get(ids[0], set())
        for translated in strings:
            found = set(field.findall(translated))
            if also:
                assert found <= expected | also, message.id
            else:
                assert found == expected, message.id
