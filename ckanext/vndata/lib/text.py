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
from collections.abc import Callable

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


def url_name(given: str, title: str, taken: Callable[[str], bool]) -> str:
    """The URL name of a dataset, organization or harvest source.

    A name given in Vietnamese (or percent-encoded) is transliterated; none given,
    the title's is used, with "-2", "-3"... while ``taken`` says it is in use. The
    browser's slug preview does the same as the user types (slug.js)."""
    if given:
        return slugify(nfc(given))
    slug = base = slugify(nfc(title))
    n = 1
    while slug and taken(slug):
        n += 1
        slug = f"{base[: NAME_MAX_LENGTH - len(str(n)) - 1]}-{n}"
    return slug


# PostgreSQL text cannot hold NUL; other C0 controls but tab and newlines are never
# meant, and lone surrogates cannot be encoded as UTF-8 at all.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` with what PostgreSQL cannot hold replaced (U+FFFD): for values kept
    as another portal gave them and for messages that quote them."""
    return UNSTORABLE.sub("\ufffd", text)


def can_store(value: object) -> bool:
    """Whether PostgreSQL can store the value as text at all: a string without NUL and
    without lone surrogates (which JSON may carry but UTF-8 cannot)."""
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# What a person types into a search box is cut here: longer text names no title and
# would only cost folding and search time.
QUERY_MAX = 200
_WORD = re.compile(r"\w+")


def search_words(value: object) -> str:
    """Typed text as a search: its first ``QUERY_MAX`` characters, words only, in
    lower case ("" for what cannot be stored). Solr syntax in it ("(", ":", "\\")
    is no query, and in lower case Solr reads no AND, OR or NOT as operators (a
    title ending in "OR" was a syntax error, a 500); the index folds case anyway."""
    if not can_store(value):
        return ""
    return " ".join(_WORD.findall(value[:QUERY_MAX].lower()))
