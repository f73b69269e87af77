"""The metadata quality indicators of data.europa.eu's Metadata Quality Assessment
(MQA), mapped onto the Vietnamese dataset schema, declared once.

Five dimensions, 405 points. Each indicator is judged on one kind of item, the dataset
or each of its distributions (resources); it scores its weight times the share of the
items that pass. The mapping onto this portal's fields is in the README ("Metadata
quality"). The score, the dataset page, the fixes, the DQV output, the aggregates and
the CSV all read these declarations.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ckanext.vndata.dcat import terms
from ckanext.vndata.lib import openness
from ckanext.vndata.lib.i18n import N_

DATASET = "dataset"
DISTRIBUTION = "distribution"


@dataclasses.dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    maximum: int


DIMENSIONS = (
    Dimension("findability", N_("Findability"), 100),
    Dimension("accessibility", N_("Accessibility"), 100),
    Dimension("interoperability", N_("Interoperability"), 110),
    Dimension("reusability", N_("Reusability"), 75),
    Dimension("contextuality", N_("Contextuality"), 20),
)
MAXIMUM = sum(d.maximum for d in DIMENSIONS)

# (rating, lowest points, label), best first: MQA's bands.
RATINGS = (
    ("excellent", 351, N_("Excellent")),
    ("good", 221, N_("Good")),
    ("sufficient", 121, N_("Sufficient")),
    ("bad", 0, N_("Bad")),
)
RATING_KEYS = tuple(r[0] for r in RATINGS)


@dataclasses.dataclass(frozen=True)
class Facts:
    """What an indicator may read besides the dataset: the link checker's verdict per
    resource id (True reachable, False not, None or absent: not checked yet) and the
    dataset's DCAT-AP (SHACL) conformance (None: not validated yet)."""

    reachable: dict[str, bool | None] = dataclasses.field(default_factory=dict)
    conformant: bool | None = None


@dataclasses.dataclass(frozen=True)
class Indicator:
    key: str
    dimension: str
    weight: int
    label: str  # what is measured (N_)
    # The action a publisher takes to earn it (N_), shared by the indicators it fixes.
    fix: str
    item: str  # DATASET or DISTRIBUTION
    # (dataset, resource or None, facts) -> passes. A DATASET indicator gets None as
    # the resource; a DISTRIBUTION indicator gets each resource in turn.
    test: Callable[[dict[str, Any], dict[str, Any] | None, Facts], bool]
    # Only resources for which ``applies`` is true count for a DISTRIBUTION indicator
    # (the downloadURL's reachability counts over resources with a downloadURL).
    applies: Callable[[dict[str, Any]], bool] | None = None


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def _has_download_url(resource: dict[str, Any]) -> bool:
    # An uploaded file, or a link declared as a download (access type "tai_ve"), is a
    # dcat:downloadURL; other links are only a dcat:accessURL.
    return (
        resource.get("url_type") == "upload" or resource.get("access_type") == "tai_ve"
    )


def _dataset_has(*fields: str) -> Callable[..., bool]:
    """A DATASET test: one of ``fields`` of the dataset is filled."""
    return lambda dataset, resource, facts: any(_filled(dataset.get(f)) for f in fields)


def _format(resource: dict[str, Any]) -> str:
    return openness.normalise_format(resource.get("format"))


def _dated(field: str) -> Callable[..., bool]:
    """A DISTRIBUTION test: the resource, or else its dataset, gives the date."""
    return lambda d, r, f: _filled(r.get(field)) or _filled(d.get(field))


def _reachable(resource: dict[str, Any], facts: Facts) -> bool:
    return facts.reachable.get(resource.get("id") or "") is True


INDICATORS: tuple[Indicator, ...] = (
    # Findability
    Indicator(
        "keywords", "findability", 30, N_("Keywords"), N_("Add keywords"), DATASET,
        lambda d, r, f: bool(d.get("tags") or _filled(d.get("tag_string"))),
    ),
    Indicator(
        "themes", "findability", 30, N_("Themes (sectors)"), N_("Choose its sectors"),
        DATASET, lambda d, r, f: _filled(d.get("sectors")),
    ),
    Indicator(
        "spatial", "findability", 20, N_("Spatial coverage"),
        N_("Name the province or commune it covers"), DATASET,
        _dataset_has("province_code", "commune_code"),
    ),
    Indicator(
        "temporal", "findability", 20, N_("Temporal coverage"),
        N_("Give the period it covers"), DATASET,
        _dataset_has("temporal_start", "temporal_end"),
    ),
    # Accessibility
    Indicator(
        "access_url_reachable", "accessibility", 50, N_("Access address reachable"),
        N_("Fix the broken links"), DISTRIBUTION,
        lambda d, r, f: _reachable(r, f),
    ),
    Indicator(
        "download_url", "accessibility", 20, N_("Download address given"),
        N_("Give a direct download address"), DISTRIBUTION,
        lambda d, r, f: _has_download_url(r),
    ),
    Indicator(
        "download_url_reachable", "accessibility", 30, N_("Download address reachable"),
        N_("Fix the broken links"), DISTRIBUTION,
        lambda d, r, f: _reachable(r, f), applies=_has_download_url,
    ),
    # Interoperability
    Indicator(
        "format", "interoperability", 20, N_("Format"), N_("Give each file's format"),
        DISTRIBUTION, lambda d, r, f: _filled(r.get("format")),
    ),
    Indicator(
        "media_type", "interoperability", 10, N_("Media type"),
        N_("Give each file's media type"), DISTRIBUTION,
        lambda d, r, f: _filled(r.get("mimetype")),
    ),
    Indicator(
        "format_vocabulary", "interoperability", 10,
        N_("Format or media type from a vocabulary"), N_("Give each file's format"),
        DISTRIBUTION,
        lambda d, r, f: _format(r) in terms.FILE_TYPES
        or bool(terms.MEDIA_TYPE.fullmatch(r.get("mimetype") or "")),
    ),
    Indicator(
        "non_proprietary", "interoperability", 20, N_("Non-proprietary format"),
        N_("Offer an open format (CSV, JSON, XML…)"), DISTRIBUTION,
        lambda d, r, f: _format(r) in openness.NON_PROPRIETARY,
    ),
    Indicator(
        "machine_readable", "interoperability", 20, N_("Machine-readable format"),
        N_("Offer an open format (CSV, JSON, XML…)"), DISTRIBUTION,
        lambda d, r, f: openness.is_machine_readable(r.get("format")),
    ),
    Indicator(
        "dcat_ap", "interoperability", 30, N_("Conforms to DCAT-AP"),
        N_("Complete what DCAT-AP requires"), DATASET,
        lambda d, r, f: f.conformant is True,
    ),
    # Reusability
    Indicator(
        "licence", "reusability", 20, N_("Licence"), N_("Choose a licence"), DATASET,
        lambda d, r, f: _filled(d.get("license_id"))
        and d.get("license_id") not in openness.CLOSED_LICENCES,
    ),
    Indicator(
        "licence_vocabulary", "reusability", 10, N_("Licence from a vocabulary"),
        N_("Choose a licence"), DATASET,
        lambda d, r, f: _filled(d.get("license_url")),
    ),
    Indicator(
        "access_rights", "reusability", 10, N_("Access rights"),
        N_("Choose its data-sharing class"), DATASET,
        lambda d, r, f: _filled(d.get("data_sharing_class")),
    ),
    Indicator(
        "access_rights_vocabulary", "reusability", 5,
        N_("Access rights from a vocabulary"), N_("Choose its data-sharing class"),
        DATASET, lambda d, r, f: _filled(d.get("data_sharing_class")),
    ),
    Indicator(
        "contact_point", "reusability", 20, N_("Contact point"),
        N_("Give a contact e-mail"), DATASET,
        _dataset_has("contact_email", "contact_name"),
    ),
    Indicator(
        "publisher", "reusability", 10, N_("Publisher"),
        N_("Give the publisher's code"), DATASET,
        _dataset_has("publisher_code", "source_catalog_publisher"),
    ),
    # Contextuality
    Indicator(
        "rights", "contextuality", 5, N_("Rights"), N_("State the rights of use"),
        DISTRIBUTION, lambda d, r, f: _filled(r.get("rights")),
    ),
    Indicator(
        "byte_size", "contextuality", 5, N_("File size"), N_("Give each file's size"),
        DISTRIBUTION, lambda d, r, f: _filled(r.get("size")),
    ),
    Indicator(
        "issued", "contextuality", 5, N_("Date issued"), N_("Give the dates"),
        DISTRIBUTION, _dated("issued"),
    ),
    Indicator(
        "modified", "contextuality", 5, N_("Date modified"), N_("Give the dates"),
        DISTRIBUTION,
        _dated("modified"),
    ),
)  # fmt: skip

INDICATOR_KEYS = tuple(i.key for i in INDICATORS)
assert {
    d.key: sum(i.weight for i in INDICATORS if i.dimension == d.key) for d in DIMENSIONS
} == {
    d.key: d.maximum for d in DIMENSIONS
}, "the indicators' weights add up to each dimension's maximum"
