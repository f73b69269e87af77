"""Vietnamese text: Unicode NFC, accent folding and URL names.

Vietnamese arrives both precomposed (NFC) and decomposed (NFD, from macOS and some
keyboards); the two look identical but compare, index and sort differently, so all text
is stored as NFC. CKAN's munge drops accented letters ("trường" -> "tr-ng"); URL names
are made by removing the accents instead ("trường" -> "truong").
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse

# Letters that NFD does not decompose into a base letter plus accents.
_BASE_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})
_NOT_SLUG = re.compile(r"[^a-z0-9_-]+")
_DASHES = re.compile(r"-{2,}")
NAME_MAX_LENGTH = 100


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_accents(text: str) -> str:
    """ "Đà Nẵng" -> "Da Nang"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_BASE_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Accent- and case-insensitive form for comparing names."""
    return " ".join(strip_accents(text).lower().split())


def slugify(text: str, max_length: int = NAME_MAX_LENGTH) -> str:
    """A CKAN URL name from Vietnamese text (also percent-encoded text).

    "Danh sách trường học Đà Nẵng" -> "danh-sach-truong-hoc-da-nang"
    """
    if "%" in text:
        text = urllib.parse.unquote(text)
    slug = _NOT_SLUG.sub("-", strip_accents(text).lower())
    slug = _DASHES.sub("-", slug).strip("-_")
    return slug[:max_length].rstrip("-_")
