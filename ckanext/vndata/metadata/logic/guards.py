"""Validators that turn hostile input into a validation error instead of a 500.

navl goes on to a key's next validator after one records an error, with the raw value
still in place, so a later ``int()``, ``asbool()`` or database query meets the garbage
the earlier one refused. Each guard here therefore records its error and stops the
key's chain (StopOnError), and ``vndata_safe_input`` runs before every field: it finds
what PostgreSQL and Solr cannot store (NUL, lone surrogates, values bigger than a Solr
term) anywhere in the dataset and replaces it with something harmless once the error is
recorded, so that no later validator of any field (CKAN's, scheming's or ours) sees it.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.vndata.lib.text import UNSTORABLE

missing = tk.missing

# Solr refuses a string-field term over 32,766 UTF-8 bytes (CKAN indexes every schema
# field as one); 8,000 characters stay under it even at 4 bytes a character.
TEXT_MAX = 8000
# Descriptions (notes) are indexed as tokenised text only, so they may be longer.
LONG_TEXT_MAX = 100_000
TITLE_MAX = 1000
# Characters that take no room: a title made only of these (and spaces) looks empty.
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060-\u2064\u00ad\u034f\ufeff\u180e]+")
BIGINT_MAX = 2**63 - 1  # resource.size and any integer column


TRUE_WORDS = {"true", "yes", "t", "y", "1", "on"}
FALSE_WORDS = {"false", "no", "f", "n", "0", "off", ""}


def parse_bool(value: Any) -> bool | None:
    """True or False for what a form or an API client means by it, else None."""
    if value is missing or value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


def _refuse(key: FlattenKey, errors: FlattenErrorDict, message: str) -> None:
    errors.setdefault(key, []).append(message)
    raise StopOnError


def _check_text(value: Any, maximum: int) -> str | None:
    """Why ``value`` is not acceptable text (None when it is)."""
    if not isinstance(value, str):
        return tk._("Must be text, not a list, a number or an object.")
    if UNSTORABLE.search(value):
        return tk._("Contains control characters or invalid Unicode.")
    if len(value) > maximum:
        return tk._("Must be at most {max} characters long.").format(max=maximum)
    return None


def _text_validator(maximum: int, name: str, doc: str) -> Callable:
    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, ctx: Context
    ) -> None:
        value = data.get(key)
        if value is missing or value is None:
            return
        problem = _check_text(value, maximum)
        if problem:
            _refuse(key, errors, problem)

    validator.__name__ = name
    validator.__doc__ = doc
    return validator


vndata_text = _text_validator(
    TEXT_MAX, "vndata_text", "A string that PostgreSQL and Solr can store."
)
vndata_long_text = _text_validator(
    LONG_TEXT_MAX, "vndata_long_text", "A long description (tokenised, not a term)."
)


def vndata_title(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A title: text with something visible in it, at most TITLE_MAX characters."""
    value = data.get(key)
    if value is missing or value is None:
        return  # scheming_required reports it
    problem = _check_text(value, TITLE_MAX)
    if problem:
        _refuse(key, errors, problem)
    if not _INVISIBLE.sub("", value):
        _refuse(key, errors, tk._("Missing value"))


def vndata_boolean(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Yes or no; CKAN's boolean_validator takes any other word for no."""
    parsed = parse_bool(data.get(key))
    if parsed is None:
        _refuse(key, errors, tk._("Must be true or false."))
    data[key] = parsed


def vndata_integer(low: Any, high: Any) -> Callable:
    """A whole number from ``low`` to ``high`` (``max`` for what a bigint holds)."""
    low_bound = int(low)
    high_bound = BIGINT_MAX if str(high).strip() == "max" else int(high)

    def vndata_integer_in_range(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, ctx: Context
    ) -> None:
        value = data.get(key)
        if value is missing or value is None:
            return
        if isinstance(value, str) and not value.strip():
            data[key] = None  # an empty form field, stored as no value
            return
        number = _whole_number(value)
        if number is None:
            _refuse(key, errors, tk._("Must be a whole number."))
        if not low_bound <= number <= high_bound:
            _refuse(
                key,
                errors,
                tk._("Must be a whole number from {low} to {high}.").format(
                    low=low_bound, high=high_bound
                ),
            )
        data[key] = number

    return vndata_integer_in_range


def vndata_empty_as_none(value: Any, context: Context) -> Any:
    """An empty form field stored as no value (resource columns, which a form clears).

    A form sends every field, empty or not; stored as "", a field the officer never
    filled in would appear in the dataset after each save.
    """
    return None if value == "" else value


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        raw = value.strip()
        if len(raw) <= 20 and re.fullmatch(r"[+-]?\d+", raw):
            return int(raw)
    return None


def _unsafe(value: Any) -> str | None:
    if isinstance(value, str):
        if UNSTORABLE.search(value):
            return tk._("Contains control characters or invalid Unicode.")
        if len(value) > LONG_TEXT_MAX:
            return tk._("Must be at most {max} characters long.").format(
                max=LONG_TEXT_MAX
            )
    elif isinstance(value, (list, tuple, dict)):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for inner_key, inner in items:
            problem = _unsafe(inner_key) or _unsafe(inner)
            if problem:
                return problem
    elif isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > BIGINT_MAX:
            return tk._("Number out of range.")
    elif isinstance(value, float) and not math.isfinite(value):
        return tk._("Number out of range.")  # NaN and infinity: JSON cannot carry them
    return None


def _read_early(key: FlattenKey) -> bool:
    """Read by another field's validators before its own run: a resource's URL
    (``if_empty_guess_format`` of its format, validated first, guesses from it)."""
    return len(key) == 3 and key[0] == "resources" and key[2] == "url"


def vndata_safe_input(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Before every field: refuse values no column or index can hold, then blank them.

    The value is replaced by an empty string so that the other validators run on
    something harmless; the recorded error makes the whole call fail.
    """
    for data_key in list(data):
        problem = _unsafe(data_key[-1]) if isinstance(data_key[-1], str) else None
        problem = problem or _unsafe(data[data_key])
        value = data[data_key]
        if _read_early(data_key) and not isinstance(value, (str, type(None))):
            problem = tk._("Must be text, not a list, a number or an object.")
        if problem:
            errors.setdefault(data_key, []).append(problem)
            data[data_key] = ""
