"""RDF terms of the Vietnamese DCAT-AP profile: namespaces, IRIs and their mappings.

Properties with no DCAT-AP term live in one namespace for the suite (``vndata:``), whose
base IRI is ``ckanext.vndata.dcat.namespace``. Units, sectors and classes get
stable IRIs inside that namespace, e.g. ``vndata:province-48`` (Thành phố Đà Nẵng).
"""

from __future__ import annotations

import re

from rdflib import Namespace

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib import vocabularies

EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
EU_ACCESS_RIGHT = Namespace(
    "http://publications.europa.eu/resource/authority/access-right/"
)
# The sharing classes of the Law on Data 2024 (Art. 13) as the EU access rights
# dct:accessRights takes: open data is public, shared data goes to other agencies only.
ACCESS_RIGHTS = {
    "mo": str(EU_ACCESS_RIGHT.PUBLIC),
    "dung_chung": str(EU_ACCESS_RIGHT.RESTRICTED),
    "dung_rieng": str(EU_ACCESS_RIGHT.NON_PUBLIC),
}
# A media type as RFC 6838 spells one (type/subtype, restricted ASCII): only these are
# made into an IANA IRI.
MEDIA_TYPE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
)
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

# CKAN formats -> EU file types (the ones Vietnamese portals publish).
FILE_TYPES = {
    "CSV": "CSV",
    "TSV": "TSV",
    "JSON": "JSON",
    "GEOJSON": "GEOJSON",
    "XML": "XML",
    "XLS": "XLS",
    "XLSX": "XLSX",
    "ODS": "ODS",
    "PDF": "PDF",
    "DOC": "DOC",
    "DOCX": "DOCX",
    "RDF": "RDF",
    "RDF/XML": "RDF_XML",
    "TTL": "RDF_TURTLE",
    "TURTLE": "RDF_TURTLE",
    "JSON-LD": "JSON_LD",
    "JSONLD": "JSON_LD",
    "N-TRIPLES": "RDF_N_TRIPLES",
    "NT": "RDF_N_TRIPLES",
    "KML": "KML",
    "GML": "GML",
    "SHP": "SHP",
    "ZIP": "ZIP",
    "HTML": "HTML",
    "TXT": "TXT",
    "JPEG": "JPEG",
    "JPG": "JPEG",
    "PNG": "PNG",
    "GPKG": "GPKG",
    "PARQUET": "PARQUET",
    "SPARQL": "SPARQLQ",
}
# IANA media types -> CKAN formats (the quality score reads the media type first, as
# MQA does).
MEDIA_TYPE_FORMATS = {
    "text/csv": "CSV", "text/tab-separated-values": "TSV", "application/json": "JSON",
    "application/geo+json": "GEOJSON", "application/xml": "XML", "text/xml": "XML",
    "application/rdf+xml": "RDF/XML", "text/turtle": "TTL", "application/n-triples":
    "NT", "application/ld+json": "JSON-LD", "application/pdf": "PDF", "text/html":
    "HTML", "image/png": "PNG", "application/vnd.google-earth.kml+xml": "KML",
    "application/gml+xml": "GML", "text/plain": "TXT", "application/zip": "ZIP",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/vnd.ms-excel": "XLS", "application/vnd.openxmlformats-officedocument"
    ".spreadsheetml.sheet": "XLSX", "application/geopackage+sqlite3": "GPKG",
    "application/vnd.apache.parquet": "PARQUET",
}  # fmt: skip
FORMATS_BY_FILE_TYPE = {v: k for k, v in FILE_TYPES.items()}
FORMATS_BY_FILE_TYPE.update({"RDF_TURTLE": "TTL", "JSON_LD": "JSON-LD", "JPEG": "JPEG"})

LANGUAGE_URIS = {t.value: t.uri for t in vocabularies.LANGUAGES}
FREQUENCY_URIS = {t.value: t.uri for t in vocabularies.UPDATE_FREQUENCIES}
EU_THEMES = {t.value: t.uri for t in vocabularies.SECTORS}


def vndata() -> Namespace:
    """The suite's namespace, as configured for this deployment."""
    return Namespace(tk.config.get("ckanext.vndata.dcat.namespace"))


def term_iri(kind: str, value: str) -> str:
    """``vndata:<kind>-<value>``: a stable IRI for a unit, sector or class."""
    return f"{vndata()}{kind}-{value}"


def value_of(iri: str, kind: str) -> str | None:
    """The value of a ``vndata:<kind>-<value>`` IRI, or None if it is not one."""
    prefix = f"{vndata()}{kind}-"
    return iri[len(prefix) :] if iri.startswith(prefix) else None


# Vietnamese fields with no DCAT-AP term: coded (vndata: concepts) and free text (@vi).
CLASS_FIELDS = (
    ("data_sharing_class", "sharing"),
    ("data_importance_class", "importance"),
    ("source_database_type", "source-db"),
)
TEXT_FIELDS = (
    "managing_agency",
    "source_database",
    "legal_basis",
    "personal_data_note",
)


def property_name(field: str) -> str:
    """The vndata: property of a field: data_sharing_class -> dataSharingClass."""
    head, *rest = field.split("_")
    return head + "".join(part.title() for part in rest)


def by_uri(mapping: dict[str, str], uri: str) -> str | None:
    return next((value for value, known in mapping.items() if known == uri), None)


# English labels of the EU data themes the sectors map to (EU authority table).
EU_THEME_LABELS = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}

# ADMS licence types (http://purl.org/adms/licencetype/) by their names, as ADMS
# labels them: ckanext-dcat gives every licence the first.
ADMS_LICENCE_TYPES = {
    "UnknownIPR": "Unknown IPR",
    "PublicDomain": "Public domain",
    "Attribution": "Attribution",
}
