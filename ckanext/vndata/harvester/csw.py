"""DCAT records inside an OGC CSW GetRecords response (GeoNetwork, pycsw).

A CSW server asked for DCAT (GeoNetwork's GeoDCAT-AP output schema, pycsw's
``outputSchema=http://www.w3.org/ns/dcat#``) answers with a ``csw:GetRecordsResponse``
whose ``csw:SearchResults`` holds one ``rdf:RDF`` (or one DCAT node element) per
record. The envelope is not RDF/XML, so rdflib refuses the whole page; here each
record is taken out of it and parsed on its own:

- the page has passed rdf_reading.check_limits first (no DTD, no entity declaration:
  with neither, the XML parser expands nothing and reads no other file), and its size
  was capped when it was downloaded;
- relative ``rdf:about`` values (GeoNetwork writes record ids and paths) are resolved
  against the page's address, as RDF/XML's base is the document's address;
- a record that does not parse, or that holds no dcat:Dataset, is reported by its
  position, never dropped silently; the other records of the page go on;
- paging: ``nextRecord`` (0 when there is no more) and ``numberOfRecordsMatched`` say
  whether the server has more. When the source address is a GetRecords request in
  key-value form, the next page is the same request with ``startPosition`` set to
  ``nextRecord``, read through the same page machinery (its limits on page count and
  repeated pages included); otherwise the records left on the server are reported.
"""

from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from rdflib import RDF, Graph
from rdflib.namespace import DCAT

import ckan.plugins.toolkit as tk

_CSW = re.compile(r"^\{http://www\.opengis\.net/cat/csw/[0-9.]+\}")
_RDF_NS = str(RDF)
# The root element of a GetRecords response, after the XML declaration, comments and
# processing instructions (which the check reads past without parsing anything).
_ROOT = re.compile(
    r"^\ufeff?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<(?:[\w.-]+:)?GetRecordsResponse[\s>/]",
    re.S,
)
# What a record is when it is harvested as a dataset: here (a CSW record without one is
# reported) and in rdf_reading.VndataRDFParser._datasets (for every page).
RECORD_TYPES = (DCAT.Dataset, DCAT.DatasetSeries)


class EnvelopeError(Exception):
    """The page looks like a CSW response but is not one that can be read."""


@dataclass
class Envelope:
    graph: Graph = field(default_factory=Graph)
    next_url: str | None = None
    problems: list[str] = field(default_factory=list)  # for the job's report


def is_envelope(content: str) -> bool:
    return bool(_ROOT.match(content[:4096]))


def read(content: str, url: str | None, describe) -> Envelope:
    """The records of the response at ``url``, its next page and what was not read.

    ``describe`` turns a parse error into a short line (rdf_reading.describe).
    """
    try:
        root = ET.fromstring(content.lstrip("\ufeff"))
    except ET.ParseError as error:
        raise EnvelopeError(describe(error)) from None
    results = next((e for e in root if _local(e.tag) == "SearchResults"), None)
    if not _CSW.match(root.tag) or results is None:
        raise EnvelopeError(tk._("the CSW response has no csw:SearchResults."))
    envelope = Envelope()
    for position, element in enumerate(results, 1):
        record = Graph()
        try:
            record.parse(data=_as_rdf_xml(element), format="xml", publicID=url)
        except Exception as error:  # rdflib's parsers raise many kinds
            envelope.problems.append(
                tk._("Record {n} of the CSW page was not read: {error}").format(
                    n=position, error=describe(error)
                )
            )
            continue
        if not any((None, RDF.type, kind) in record for kind in RECORD_TYPES):
            envelope.problems.append(
                tk._(
                    "Record {n} of the CSW page is not a DCAT record ({element}); "
                    "ask the server for the DCAT output schema."
                ).format(n=position, element=_local(element.tag))
            )
            continue
        envelope.graph += record
    _paging(envelope, results, url)
    return envelope


def _paging(envelope: Envelope, results: ET.Element, url: str | None) -> None:
    following = _number(results.get("nextRecord"))
    matched = _number(results.get("numberOfRecordsMatched"))
    if not following or (matched is not None and following > matched):
        return
    envelope.next_url = next_page_url(url, following) if url else None
    if envelope.next_url is None:
        envelope.problems.append(
            tk._(
                "The CSW server has more records ({matched} found; the next starts at "
                "record {next}), but the source address is not a GetRecords request "
                "with startPosition, so they were not read."
            ).format(matched=matched if matched is not None else "?", next=following)
        )


def next_page_url(url: str, start: int) -> str | None:
    """``url`` (a GetRecords request in key-value form) from record ``start`` on."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    keys = {key.lower(): value for key, value in query}
    if keys.get("request", "").lower() != "getrecords":
        return None
    query = [(k, v) for k, v in query if k.lower() != "startposition"]
    query.append(("startPosition", str(start)))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _as_rdf_xml(element: ET.Element) -> str:
    """A record as an RDF/XML document: itself if it is rdf:RDF, else wrapped in one."""
    if element.tag != f"{{{_RDF_NS}}}RDF":
        wrapper = ET.Element(f"{{{_RDF_NS}}}RDF")
        wrapper.append(element)
        element = wrapper
    return ET.tostring(element, encoding="unicode")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
