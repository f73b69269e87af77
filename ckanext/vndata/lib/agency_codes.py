"""Electronic identifier codes of agencies.

Two forms are in use:

- Decision 20/2020/QĐ-TTg (current): groups growing left to right, level-1 code first,
  e.g. ``H46.14``; at most 35 characters of ``A-Z``, ``0-9`` and ``.``.
- QCVN 102:2016/BTTTT (legacy, still in Huế's data): ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` read
  right to left, zeros for unused levels, e.g. ``000.00.14.H57`` (unit 14 under H57).

Other organisations (Decision 20/2020 Art. 6) use ``Zxy`` plus up to 32 characters, and
enterprises (Art. 5) their 10- or 13-digit tax code.
"""

from __future__ import annotations

import dataclasses
import re

MAX_LENGTH = 35
CURRENT = re.compile(r"^[A-Y][0-9]{2}(\.[0-9A-Z]+)*$")
LEGACY = re.compile(r"^([0-9]{3})\.([0-9]{2})\.([0-9]{2})\.([A-Z][0-9]{2})$")
OTHER_ORGANISATION = re.compile(r"^Z[0-9]{2}[0-9A-Z]{1,32}$")
TAX_CODE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")


class InvalidAgencyCode(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class AgencyCode:
    code: str
    legacy: str | None = None


def normalise(raw: str) -> str:
    """Upper case, no spaces, full stops for the separators people type instead."""
    return re.sub(r"\s+", "", raw).upper().replace(",", ".").replace("_", ".")


def legacy_to_current(legacy: str) -> str:
    """``000.00.14.H57`` -> ``H57.14``; ``001.02.14.H57`` -> ``H57.14.02.001``."""
    level4, level3, level2, level1 = LEGACY.match(legacy).groups()
    groups = [level1]
    for group in (level2, level3, level4):
        if int(group) == 0:
            break
        groups.append(group)
    return ".".join(groups)


def parse(raw: str) -> AgencyCode:
    """Validate and normalise a code; a legacy code also yields its current form."""
    code = normalise(raw)
    if not code:
        raise InvalidAgencyCode(raw)
    if LEGACY.match(code):
        return AgencyCode(legacy_to_current(code), code)
    if len(code) > MAX_LENGTH:
        raise InvalidAgencyCode(raw)
    if CURRENT.match(code) or OTHER_ORGANISATION.match(code) or TAX_CODE.match(code):
        return AgencyCode(code)
    raise InvalidAgencyCode(raw)


def parse_legacy(raw: str) -> str:
    code = normalise(raw)
    if not LEGACY.match(code):
        raise InvalidAgencyCode(raw)
    return code
