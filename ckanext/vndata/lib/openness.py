"""Five-star openness (Berners-Lee), as the Huế portal publishes it per distribution.

1 on the web under an open licence (PDF, images, documents) ... 2 structured but
proprietary (Excel) ... 3 open machine-readable formats (CSV, JSON, XML) ... 4 RDF with
URIs ... 5 linked data served from a query endpoint. Open data must not require
identification (Law on E-Transactions 2023 Art. 43), so a resource behind a login or a
dataset under a closed licence has no star.

A resource with a DataStore table (``datastore_active``, loaded by ckanext-xloader)
is served as JSON by the Data API (``datastore_search``): it counts as an API, so as
at least three stars, whatever the format of its file.
"""

from __future__ import annotations

ONE_STAR = {
    "PDF",
    "DOC",
    "DOCX",
    "JPEG",
    "JPG",
    "PNG",
    "TIFF",
    "GIF",
    "HTML",
    "PPT",
    "PPTX",
}
TWO_STARS = {"XLS", "XLSX", "SHP", "MDB", "DBF"}
THREE_STARS = {
    "CSV", "TSV", "JSON", "XML", "GEOJSON", "KML", "GML", "ODS", "TXT", "GPKG",
    "PARQUET",
}  # fmt: skip
FOUR_STARS = {
    "RDF",
    "RDF/XML",
    "TTL",
    "TURTLE",
    "N3",
    "NT",
    "N-TRIPLES",
    "JSON-LD",
    "JSONLD",
}
LINKED_DATA_ENDPOINTS = {"SPARQL"}
MACHINE_READABLE = TWO_STARS | THREE_STARS | FOUR_STARS | LINKED_DATA_ENDPOINTS

CLOSED_LICENCES = {"", "notspecified", "other-closed"}


def normalise_format(fmt: str | None) -> str:
    return (fmt or "").strip().lstrip(".").upper()


def resource_stars(
    fmt: str | None,
    access_type: str | None,
    auth_required: bool,
    datastore_active: bool = False,
) -> int:
    """Stars of one resource from its format, its access type, its DataStore table and
    its openness."""
    if auth_required:
        return 0
    fmt = normalise_format(fmt)
    if fmt in LINKED_DATA_ENDPOINTS:
        return 5
    if fmt in FOUR_STARS:
        return 4
    if (
        fmt in THREE_STARS
        or (access_type == "api" and fmt in {"", "API"})
        or datastore_active
    ):
        return 3
    if fmt in TWO_STARS:
        return 2
    return 1


def dataset_stars(resource_star_counts: list[int], license_id: str | None) -> int:
    """A dataset is as open as its best resource, and not open at all when closed."""
    if (license_id or "") in CLOSED_LICENCES or not resource_star_counts:
        return 0
    return max(resource_star_counts)


def is_machine_readable(fmt: str | None) -> bool:
    return normalise_format(fmt) in MACHINE_READABLE


def offers_api(resource: dict) -> bool:
    """Whether a resource (as package_show gives it) is offered through an API: its
    access type says so, or it has a DataStore table (the Data API)."""
    active = resource.get("datastore_active")
    if isinstance(active, str):
        active = active.strip().lower() == "true"
    return resource.get("access_type") == "api" or active is True


# Formats whose specification is open (no vendor controls it): MQA's non-proprietary
# indicator. Excel, Shapefile, Access and dBase files are not.
NON_PROPRIETARY = (
    THREE_STARS | FOUR_STARS | LINKED_DATA_ENDPOINTS | {"PDF", "HTML", "PNG"}
)
