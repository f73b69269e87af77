"""One Vietnamese term per concept (i18n/GLOSSARY.md) in everything the portal shows.

What CKAN serves in Vietnamese is core's catalogue with ours merged over it
(i18n/upstream/vi.po, then our own catalogue). Each message, as served, must use the
glossary's term and no variant of it, nor the machine-like phrases core's catalogue
has; where core's wording is wrong, i18n/upstream/vi.po overrides it (a "glossary
correction").
"""

from __future__ import annotations

import pathlib
import re

import pytest
from babel.messages.pofile import read_po

import ckan

from tests.helpers import REPO_ROOT

CATALOGUES = (  # in the order CKAN merges them: a later one wins
    pathlib.Path(ckan.__file__).parent / "i18n" / "vi" / "LC_MESSAGES" / "ckan.po",
    REPO_ROOT / "i18n" / "upstream" / "vi.po",
    REPO_ROOT / "i18n" / "vi" / "LC_MESSAGES" / "ckanext-vndata.po",
)
# variant (a regular expression) -> the glossary's term
VARIANTS = {
    r"(?<!toàn )\bbộ dữ liệu": "tập dữ liệu",
    r"lượt thu thập": "phiên thu thập",
    r"\bxoá": "xóa",
    r"Giá trị bị mất": "Bắt buộc nhập",
    r"vô hiệu(?! hóa)": "không hợp lệ",
    r"Mẫu gồm": "Biểu mẫu có",
    r"Hiệu đính": "Sửa",
    r"\bQ[1-4]/": "Quý I/…, Quý IV/…",
    r"mm/dd/yyyy|%m/%d/%Y": "dd/mm/yyyy",
}
# A resource is "tài nguyên"; core's "nguồn" reads as a harvest source.
RESOURCE = re.compile(r"\bresources?\b", re.IGNORECASE)


def _served() -> dict[str, str]:
    """Each message id and the Vietnamese CKAN serves for it."""
    served = {}
    for path in CATALOGUES:
        with path.open("rb") as po_file:
            for message in read_po(po_file, locale="vi"):
                strings = message.string
                if isinstance(strings, str):
                    strings = (strings,)
                if message.id and all(strings) and not message.fuzzy:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    served[key] = " | ".join(strings)
    return served


def problems(served: dict[str, str]) -> list[str]:
    found = []
    for key, string in served.items():
        for variant, term in VARIANTS.items():
            if re.search(variant, string, re.IGNORECASE):
                found.append(f"{key!r}: {string!r} (say {term!r})")
        resource = RESOURCE.search(key) and "tài nguyên" not in string.lower()
        if resource and re.search(r"\bnguồn\b", string, re.IGNORECASE):
            found.append(f"{key!r}: {string!r} (a resource is 'tài nguyên')")
    return found


def test_every_message_uses_the_glossary_terms():
    assert problems(_served()) == []


@pytest.mark.parametrize(
    ("key", "string"),
    [
        ("Create Dataset", "Tạo bộ dữ liệu"),
        ("Add resource", "Thêm nguồn"),
        ("Missing value", "Giá trị bị mất"),
        ("The form contains invalid entries:", "Mẫu gồm các đầu vào vô hiệu"),
        ("Schedule", "Q4/2026"),
    ],
)
def test_a_variant_is_found(key, string):
    assert problems({key: string})


def test_words_that_only_look_like_a_variant_pass():
    assert problems({
        "Delete all data": "Xóa toàn bộ dữ liệu",
        "Account deactivated": "Tài khoản đã bị vô hiệu hóa",
        "Harvest source": "Nguồn thu thập",
        "Add resource": "Thêm tài nguyên từ nguồn khác",
    }) == []  # fmt: skip


def test_the_glossary_names_the_variants_it_replaces():
    glossary = (REPO_ROOT / "i18n" / "GLOSSARY.md").read_text("utf-8")
    for term in ("tập dữ liệu", "tài nguyên", "phiên thu thập", "Quý IV/2026"):
        assert term in glossary
