"""Administrative units of Decision 19/2025/QĐ-TTg, and the 63 provinces before it.

Today's 34 provinces and 3,321 communes come from ``vietnam-provinces``; the old units
(Decision 124/2004: 63 provinces, about 10,000 communes) and the crosswalk from old to
new come from ``vietnamadminunits``. Every kept province kept its code, so a code of
today's list is read as today's unit and only other codes as legacy ones.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools

from vietnam_provinces import Province, Ward

from ckanext.vndata.lib.text import fold


@dataclasses.dataclass(frozen=True)
class Resolved:
    """A unit of today's list, and the legacy code it was given as (if any)."""

    code: str
    name: str
    legacy_code: str | None = None


class UnknownUnit(ValueError):
    def __init__(self, given: str, suggestions: list[str]):
        super().__init__(given)
        self.given = given
        self.suggestions = suggestions


@functools.cache
def provinces() -> dict[str, str]:
    """Code -> name of the 34 provinces and centrally-run cities."""
    return {
        f"{p.code.value:02d}": _full_province_name(p)
        for p in sorted(Province.iter_all(), key=lambda p: p.code.value)
    }


@functools.cache
def communes() -> dict[str, tuple[str, str]]:
    """Code -> (name, province code) of the 3,321 communes, wards and special zones."""
    return {
        f"{w.code.value:05d}": (w.name, f"{w.province_code.value:02d}")
        for w in Ward.iter_all()
    }


def _full_province_name(province: Province) -> str:
    if province.name.startswith(("Thành phố", "Tỉnh")):
        return province.name
    return f"Tỉnh {province.name}"


@functools.cache
def _legacy_provinces() -> dict[str, str]:
    from vietnamadminunits.database.main import query

    rows = query("SELECT DISTINCT provinceCode, province FROM admin_units_legacy")
    return {row["provinceCode"]: row["province"] for row in rows}


@functools.cache
def _legacy_communes() -> dict[str, str]:
    """Old commune code -> its full old address (commune, district, province)."""
    from vietnamadminunits.database.main import query

    rows = query(
        "SELECT DISTINCT wardCode, ward, district, province FROM admin_units_legacy"
    )
    return {
        row["wardCode"]: f"{row['ward']}, {row['district']}, {row['province']}"
        for row in rows
    }


def legacy_unit_name(code: str) -> str | None:
    """The name of a pre-2025 province (2 digits) or commune (5 digits)."""
    if len(code) == 2:
        return _legacy_provinces().get(code)
    address = _legacy_communes().get(code)
    return address.split(", ")[0] if address else None


def _convert(old_address: str):
    from vietnamadminunits import convert_address

    try:
        return convert_address(old_address)
    except Exception:  # the library raises bare ValueErrors and KeyErrors alike
        return None


def _nearest(given: str, names: dict[str, str], limit: int = 3) -> list[str]:
    """Closest ``code - name`` pairs, by code digits and by folded name."""
    labels = {code: f"{code} - {name}" for code, name in names.items()}
    # ASCII digits and a code's length only: int() refuses "²" and more than 4300
    # digits with a ValueError (a 500 on a form's hostile value).
    if given.isascii() and given.isdigit() and len(given) <= 6:
        target = int(given)
        closest = sorted(names, key=lambda code: (abs(int(code) - target), code))
        return [labels[code] for code in closest[:limit]]
    folded = {fold(name): code for code, name in names.items()}
    matches = difflib.get_close_matches(fold(given), list(folded), n=limit, cutoff=0.4)
    return [labels[folded[match]] for match in matches]


def resolve_province(given: str) -> Resolved:
    """A province by today's code or name, or by an old (pre-2025) code or name."""
    value = given.strip()
    current = provinces()
    if value.isdigit() and len(value) <= 2:
        code = value.zfill(2)
        if code in current:
            return Resolved(code, current[code])
        if code in _legacy_provinces():
            converted = _convert(_legacy_provinces()[code])
            if converted and converted.province_code in current:
                return Resolved(
                    converted.province_code, current[converted.province_code], code
                )
        raise UnknownUnit(value, _nearest(code, current))

    for code, name in current.items():
        if fold(name) in (
            fold(value),
            fold(f"Tỉnh {value}"),
            fold(f"Thành phố {value}"),
        ):
            return Resolved(code, name)
    converted = _convert(value)
    if converted and converted.province_code in current:
        legacy = _legacy_province_code_for(value)
        return Resolved(
            converted.province_code, current[converted.province_code], legacy
        )
    raise UnknownUnit(value, _nearest(value, current))


def _legacy_province_code_for(name: str) -> str | None:
    wanted = fold(name)
    for code, old_name in _legacy_provinces().items():
        if wanted in (fold(old_name), fold(old_name.split(" ", 1)[-1])):
            return code if code not in provinces() else None
    return None


def resolve_commune(given: str, province_code: str | None = None) -> Resolved:
    """A commune by today's 5-digit code, or by an old commune code (before 07/2025)."""
    value = given.strip()
    if not (value.isdigit() and len(value) <= 5):
        raise UnknownUnit(value, [])
    code = value.zfill(5)
    current = communes()
    if code in current:
        return Resolved(code, current[code][0])
    old_address = _legacy_communes().get(code)
    converted = _convert(old_address) if old_address else None
    if converted and converted.ward_code and converted.ward_code in current:
        return Resolved(converted.ward_code, current[converted.ward_code][0], code)
    in_province = {
        c: name for c, (name, p) in current.items() if province_code in (None, p)
    }
    raise UnknownUnit(value, _nearest(code, in_province))


def commune_province(code: str) -> str:
    """The province code of one of today's communes."""
    return communes()[code][1]
