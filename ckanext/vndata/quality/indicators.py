"""The metadata quality indicators of data.europa.eu's Metadata Quality Assessment
(MQA), mapped onto the Vietnamese dataset schema, declared once.

Five dimensions, 405 points. Each indicator is judged on one kind of item, the dataset
or each of its distributions (resources); it scores its weight times the share of the
items that pass. Where each is judged, and what passes, follow data.europa.eu's
published methodology: findability, access rights, contact point, publisher and DCAT-AP
conformance on the dataset; accessibility, formats, licence, rights, size and dates on
each distribution. What passes is what MQA would find in this portal's DCAT-AP output
(``vn_dcat_ap``); the mapping onto our fields is in the README ("Metadata quality").
The score, the dataset page, the fixes, the DQV output, the aggregates and the CSV all
read these declarations.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ckanext.vndata.dcat import serialize, terms
from ckanext.vndata.lib import licences, openness
from ckanext.vndata.lib.i18n import N_

DATASET = "dataset"
IANA_HOST = "iana.org/assignments/media-types"
DISTRIBUTION = "distribution"
LINKS = "links"  # the link checker (link_schedule.py)
CONFORMANCE = "conformance"  # the DCAT-AP (SHACL) job (conformance_job.py)


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
    # What a background check must judge first (LINKS, CONFORMANCE): until it has, a
    # miss is no fault of the publisher's and is not offered as a fix.
    waits_for: str | None = None


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict | list | tuple | set):
        return any(_filled(v) for v in value)
    return value is not None and value is not False


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _field(dataset: dict[str, Any], key: str) -> Any:
    """A dataset's field, or the extra of that name a harvest kept (ckanext-dcat
    serializes those extras back: a source's dcat:theme or dct:accessRights count)."""
    if _filled(dataset.get(key)):
        return dataset[key]
    extras = dataset.get("extras")
    for extra in extras if isinstance(extras, list) else []:
        if isinstance(extra, dict) and extra.get("key") == key:
            return extra.get("value")
    return None


def _dated(*fields: str) -> Callable[..., bool]:
    """A DISTRIBUTION test: the resource, or else its dataset, gives the date."""
    return lambda d, r, f: any(
        _filled(r.get(name)) or _filled(_field(d, name)) for name in fields
    )


def _dataset_has(*fields: str) -> Callable[..., bool]:
    """A DATASET test: one of ``fields`` of the dataset or its kept extras is set."""
    return lambda d, r, f: any(_filled(_field(d, name)) for name in fields)


def _resource_has(*fields: str) -> Callable[..., bool]:
    """A DISTRIBUTION test: one of ``fields`` of the resource is filled."""
    return lambda d, r, f: any(_filled(r.get(name)) for name in fields)


def _written(resource: dict[str, Any]) -> tuple[str, str]:
    """(dct:format, dcat:mediaType) as ckanext-dcat writes them: a format that is a
    media type, with no other media type given, is written as the media type."""
    fmt, media = _text(resource.get("format")), _text(resource.get("mimetype"))
    if (
        fmt
        and media in ("", fmt)
        and (IANA_HOST in fmt or (not fmt.startswith("http") and "/" in fmt))
    ):
        return "", fmt
    return fmt, media


def _format(resource: dict[str, Any]) -> str:
    """The resource's format in CKAN's spelling; an EU file-type IRI (as a source may
    send it) is read as the format it names."""
    fmt = _written(resource)[0]
    if fmt.startswith(str(terms.EU_FILE_TYPE)):
        code = fmt[len(str(terms.EU_FILE_TYPE)) :]
        return terms.FORMATS_BY_FILE_TYPE.get(code, code.upper())
    return openness.normalise_format(fmt)


def _media_type(resource: dict[str, Any]) -> str:
    media = _written(resource)[1].lower()
    if media.startswith(terms.IANA_MEDIA_TYPE):
        media = media[len(terms.IANA_MEDIA_TYPE) :]
    return media.split(";")[0].strip()


def _formats(resource: dict[str, Any]) -> set[str]:
    """What the media type and the format say the file is: MQA checks its lists
    against the media type first, then the format; either may pass."""
    by_media = terms.MEDIA_TYPE_FORMATS.get(_media_type(resource), "")
    return {by_media, _format(resource)} - {""}


def _format_from_vocabulary(d: dict, r: dict, f: Facts) -> bool:
    # MQA: dct:format from the EU file-type table or dcat:mediaType from IANA's list;
    # vn_dcat_ap writes a known format as its EU file-type IRI and a well-formed
    # media type as its IANA IRI.
    return _format(r) in terms.FILE_TYPES or bool(
        terms.MEDIA_TYPE.fullmatch(_media_type(r))
    )


def _licence(dataset: dict[str, Any], resource: dict[str, Any]) -> str:
    """The distribution's dct:license: its own (harvested), else the dataset's, which
    vn_dcat_ap writes on every distribution (only when the licence has an address)."""
    return _text(resource.get("license")) or _text(dataset.get("license_url"))


def _known_licence(d: dict, r: dict, f: Facts) -> bool:
    # MQA: the licence IRI is on its list of known licences (the EU licence table and
    # the well-known licences), so the national open-data terms are not: only the
    # register's international licences count, by address, id or EU table IRI.
    licence = _licence(d, r)
    return bool(licence) and licences.resolve(licence) in licences.ALIASES


def _access_rights(dataset: dict[str, Any]) -> str:
    mapped = terms.ACCESS_RIGHTS.get(_text(dataset.get("data_sharing_class")))
    return mapped or _text(_field(dataset, "access_rights"))


def _reachable(resource: dict[str, Any], facts: Facts) -> bool:
    verdicts = facts.reachable if isinstance(facts.reachable, dict) else {}
    return verdicts.get(_text(resource.get("id"))) is True


def _download_url(resource: dict[str, Any]) -> bool:
    return serialize.download_url(resource) is not None


INDICATORS: tuple[Indicator, ...] = (
    # Findability: each judged on the dataset (MQA).
    Indicator(
        "keywords", "findability", 30, N_("Keywords"), N_("Add keywords"), DATASET,
        _dataset_has("tags", "tag_string"),
    ),
    Indicator(
        # dcat:theme: the national sectors (each also written as its EU data theme),
        # or the themes a harvested record kept.
        "themes", "findability", 30, N_("Themes (sectors)"), N_("Choose its sectors"),
        DATASET, _dataset_has("sectors", "theme"),
    ),
    Indicator(
        # dct:spatial: the province or commune, or the area a harvested record kept.
        "spatial", "findability", 20, N_("Spatial coverage"),
        N_("Name the province or commune it covers"), DATASET,
        _dataset_has("province_code", "commune_code", "spatial_uri", "spatial_text",
                     "spatial", "spatial_bbox", "spatial_centroid"),
    ),
    Indicator(
        "temporal", "findability", 20, N_("Temporal coverage"),
        N_("Give the period it covers"), DATASET,
        _dataset_has("temporal_start", "temporal_end"),
    ),
    # Accessibility: each judged on every distribution (MQA).
    Indicator(
        # MQA: an HTTP status below 400 for the dcat:accessURL (the link checker's).
        "access_url_reachable", "accessibility", 50, N_("Access address reachable"),
        N_("Fix the broken links"), DISTRIBUTION,
        lambda d, r, f: _reachable(r, f), waits_for=LINKS,
    ),
    Indicator(
        "download_url", "accessibility", 20, N_("Download address given"),
        N_("Give a direct download address"), DISTRIBUTION,
        lambda d, r, f: _download_url(r),
    ),
    Indicator(
        # MQA judges the reachability only of the distributions with a downloadURL.
        "download_url_reachable", "accessibility", 30, N_("Download address reachable"),
        N_("Fix the broken links"), DISTRIBUTION,
        lambda d, r, f: _reachable(r, f), applies=_download_url, waits_for=LINKS,
    ),
    # Interoperability: on every distribution, except DCAT-AP conformance (dataset).
    Indicator(
        "format", "interoperability", 20, N_("Format"), N_("Give each file's format"),
        DISTRIBUTION, lambda d, r, f: bool(_written(r)[0]),
    ),
    Indicator(
        "media_type", "interoperability", 10, N_("Media type"),
        N_("Give each file's media type"), DISTRIBUTION,
        lambda d, r, f: bool(_written(r)[1]),
    ),
    Indicator(
        "format_vocabulary", "interoperability", 10,
        N_("Format or media type from a vocabulary"), N_("Give each file's format"),
        DISTRIBUTION, _format_from_vocabulary,
    ),
    Indicator(
        "non_proprietary", "interoperability", 20, N_("Non-proprietary format"),
        N_("Offer an open format (CSV, JSON, XML…)"), DISTRIBUTION,
        lambda d, r, f: bool(_formats(r) & openness.NON_PROPRIETARY),
    ),
    Indicator(
        "machine_readable", "interoperability", 20, N_("Machine-readable format"),
        N_("Offer an open format (CSV, JSON, XML…)"), DISTRIBUTION,
        lambda d, r, f: bool(_formats(r) & openness.MACHINE_READABLE),
    ),
    Indicator(
        "dcat_ap", "interoperability", 30, N_("Conforms to DCAT-AP"),
        N_("Complete what DCAT-AP requires"), DATASET,
        lambda d, r, f: f.conformant is True, waits_for=CONFORMANCE,
    ),
    # Reusability
    Indicator(
        # MQA reads dct:license on each distribution, and only asks that one is given.
        "licence", "reusability", 20, N_("Licence"), N_("Choose a licence"),
        DISTRIBUTION, lambda d, r, f: bool(_licence(d, r)),
    ),
    Indicator(
        "licence_vocabulary", "reusability", 10, N_("Licence from a vocabulary"),
        N_("Choose a licence"), DISTRIBUTION, _known_licence,
    ),
    Indicator(
        # dct:accessRights: the sharing class (Law on Data 2024) as the EU access
        # right vn_dcat_ap writes, or the access rights a harvested record kept.
        "access_rights", "reusability", 10, N_("Access rights"),
        N_("Choose its data-sharing class"), DATASET,
        lambda d, r, f: bool(_access_rights(d)),
    ),
    Indicator(
        # MQA: the IRI is from the EU access-right table.
        "access_rights_vocabulary", "reusability", 5,
        N_("Access rights from a vocabulary"), N_("Choose its data-sharing class"),
        DATASET,
        lambda d, r, f: _access_rights(d).startswith(str(terms.EU_ACCESS_RIGHT)),
    ),
    Indicator(
        # dcat:contactPoint: ours, or the one DCAT-AP derives from maintainer/author
        # or a harvested record kept.
        "contact_point", "reusability", 20, N_("Contact point"),
        N_("Give a contact e-mail"), DATASET,
        _dataset_has("contact_email", "contact_name", "contact_phone", "contact_uri",
                     "contact", "maintainer", "maintainer_email", "author",
                     "author_email"),
    ),
    Indicator(
        # dct:publisher: vn_dcat_ap writes the owning organization of every dataset.
        "publisher", "reusability", 10, N_("Publisher"),
        N_("Give the publisher's code"), DATASET,
        _dataset_has("owner_org", "organization", "publisher_code", "publisher",
                     "vndata_publisher", "publisher_name", "publisher_uri",
                     "source_catalog_publisher"),
    ),
    # Contextuality: on every distribution.
    Indicator(
        "rights", "contextuality", 5, N_("Rights"), N_("State the rights of use"),
        DISTRIBUTION, _resource_has("rights"),
    ),
    Indicator(
        "byte_size", "contextuality", 5, N_("File size"), N_("Give each file's size"),
        DISTRIBUTION, _resource_has("size"),
    ),
    Indicator(
        # MQA reads the dates on the dataset and on the distribution; ckanext-dcat
        # dates a distribution from its own date, else from when it was created here.
        "issued", "contextuality", 5, N_("Date issued"), N_("Give the dates"),
        DISTRIBUTION, _dated("issued", "created"),
    ),
    Indicator(
        # ... and from its last change, else the metadata's.
        "modified", "contextuality", 5, N_("Date modified"), N_("Give the dates"),
        DISTRIBUTION, _dated("modified", "metadata_modified"),
    ),
)  # fmt: skip

INDICATOR_KEYS = tuple(i.key for i in INDICATORS)
assert {
    d.key: sum(i.weight for i in INDICATORS if i.dimension == d.key) for d in DIMENSIONS
} == {
    d.key: d.maximum for d in DIMENSIONS
}, "the indicators' weights add up to each dimension's maximum"
