"""Kinds of body the law obliges to issue an open-data plan, and their labels.

Decree 47/2020/NĐ-CP art. 17(2) (since replaced by Decree 194/2025/NĐ-CP) names
them: ministers, heads of ministerial-level and Government agencies, and chairpersons of
provincial People's Committees issue the open-data list.
"""

from __future__ import annotations

import enum

from ckanext.vndata.lib.i18n import N_


class BodyKind(enum.StrEnum):
    PROVINCE = "province"
    MINISTRY = "ministry"
    MINISTERIAL_AGENCY = "ministerial_agency"
    GOVERNMENT_AGENCY = "government_agency"


# The central bodies: their organizations are found by agency code, a province's by
# province code.
CENTRAL = frozenset(
    {BodyKind.MINISTRY, BodyKind.MINISTERIAL_AGENCY, BodyKind.GOVERNMENT_AGENCY}
)

KIND_LABELS: dict[str, str] = {
    BodyKind.PROVINCE: N_("province or centrally-run city"),
    BodyKind.MINISTRY: N_("ministry"),
    BodyKind.MINISTERIAL_AGENCY: N_("ministerial-level agency"),
    BodyKind.GOVERNMENT_AGENCY: N_("Government agency"),
}
