"""Which licence of this portal's register a licence named elsewhere is.

Other portals name the same licence in many ways: CKAN's legacy ids (``cc-by``,
``odc-odbl``), SPDX ids, the EU authority table's IRIs, the licence's own address
with or without ``https``, ``www`` or ``legalcode``, or its title. A harvested record
keeps its licence only if it is recognised here; otherwise the harvest policy keeps
what the source said and leaves the licence unset rather than putting this portal's
default on foreign data.
"""

from __future__ import annotations

import functools
import re

from ckan.model.license import LicenseRegister

EU_LICENCE = "http://publications.europa.eu/resource/authority/licence/"

# Other names of the register's licences (compared after normalise()). CKAN's own
# legacy ids name a licence without its version; the current version is meant.
ALIASES: dict[str, tuple[str, ...]] = {
    "CC-BY-4.0": (
        "cc-by",
        "cc-by-4.0",
        "CC_BY_4_0",
        "CC_BY",
        "creativecommons.org/licenses/by/4.0",
        "creativecommons.org/licenses/by/4.0/legalcode",
        "creativecommons.org/licenses/by/4.0/deed.en",
        "opendefinition.org/licenses/cc-by",
        "Creative Commons Attribution",
        "Creative Commons Attribution 4.0 International",
        "CC BY 4.0",
        "CC-BY 4.0",
    ),
    "CC0-1.0": (
        "cc-zero",
        "cc0",
        "CC0",
        "CC0_1_0",
        "creativecommons.org/publicdomain/zero/1.0",
        "creativecommons.org/publicdomain/zero/1.0/legalcode",
        "opendefinition.org/licenses/cc-zero",
        "Creative Commons CCZero",
    ),
    "CC-BY-SA-4.0": (
        "cc-by-sa",
        "CC_BYSA_4_0",
        "CC_BY_SA_4_0",
        "creativecommons.org/licenses/by-sa/4.0",
        "creativecommons.org/licenses/by-sa/4.0/legalcode",
        "opendefinition.org/licenses/cc-by-sa",
        "Creative Commons Attribution Share-Alike",
    ),
    "ODC-BY-1.0": (
        "odc-by",
        "ODC-By-1.0",
        "ODC_BY_1_0",
        "ODC_BY",
        "opendatacommons.org/licenses/by",
        "opendatacommons.org/licenses/by/1.0",
        "opendatacommons.org/licenses/by/summary",
        "Open Data Commons Attribution License",
    ),
    "ODbL-1.0": (
        "odc-odbl",
        "ODC_ODBL",
        "ODC_ODBL_1_0",
        "opendatacommons.org/licenses/odbl",
        "opendatacommons.org/licenses/odbl/1.0",
        "opendatacommons.org/licenses/odbl/summary",
        "Open Data Commons Open Database License (ODbL)",
    ),
    "PDDL-1.0": (
        "odc-pddl",
        "ODC_PDDL",
        "ODC_PDDL_1_0",
        "opendatacommons.org/licenses/pddl",
        "opendatacommons.org/licenses/pddl/1.0",
        "Open Data Commons Public Domain Dedication and License (PDDL)",
    ),
}


def normalise(name: str) -> str:
    """A licence name without what varies between spellings of the same address."""
    name = name.strip().lower()
    if name.startswith(EU_LICENCE.lower()):
        name = name[len(EU_LICENCE) :]
    name = re.sub(r"^https?://(www\.)?", "", name)
    name = re.sub(r"[/#]+$", "", name)
    name = name.replace("/1-0", "/1.0")  # opendatacommons.org spells versions so
    return re.sub(r"[\s_]+", "-", name)


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    names: dict[str, str] = {}
    for licence_id, licence in LicenseRegister().items():
        for name in (licence_id, licence.url, licence.title):
            if name:
                names[normalise(name)] = licence_id
    for licence_id, aliases in ALIASES.items():
        if licence_id in dict(LicenseRegister().items()):
            for name in aliases:
                names.setdefault(normalise(name), licence_id)
    return names


def resolve(*names: str | None) -> str | None:
    """The register's id for the first of ``names`` (id, address or title) it knows."""
    index = _index()
    for name in names:
        if isinstance(name, str) and name.strip():
            found = index.get(normalise(name))
            if found:
                return found
    return None
