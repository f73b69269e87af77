"""Reading a catalogue page into RDF within limits, and its records one by one.

A page is refused before rdflib sees it when what it declares could keep the parser
busy for minutes or make it fetch other addresses: an XML document type (internal
entities expand exponentially: "billion laughs"; external ones read other files or
hosts), JSON-LD nested deeper than any catalogue needs, or a JSON-LD context that
rdflib would download itself (outside the source's network limits). The download
itself is already capped in size (ckanext.dcat.max_file_size).

Each record of a page is parsed on its own: a record that a profile cannot parse, or
that cannot become a dataset, is handed on as a stand-in carrying its reasons
(REJECTION_KEY), and is quarantined at import; the other records of the page go on.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import rdflib
import rdflib.parser
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.plugins.parsers.jsonld import JsonLDParser
from rdflib.plugins.parsers.rdfxml import RDFXMLParser
from rdflib.plugins.parsers.trix import TriXParser

import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import RDFParser
from ckanext.dcat.utils import url_to_rdflib_format

from ckanext.vndata.dcat.parse import REJECTION_KEY, rejection_reasons
from ckanext.vndata.harvester import csw

log = logging.getLogger(__name__)

# DCAT JSON-LD nests a few levels (graph, dataset, distribution, agent, literal):
# ckanext-dcat's own output stays under 8. rdflib's JSON-LD processing recurses per
# level, so depth is what bounds its stack and time.
MAX_JSON_DEPTH = 32
# A DTD, and with it any entity declaration, starts with <!DOCTYPE; <!ENTITY is
# matched too in case the document is cut or malformed before it.
_XML_DECLARATIONS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# A document of each parser's format that holds no triple (see empty_document).
_EMPTY = {
    RDFXMLParser: '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
    TriXParser: '<TriX xmlns="http://www.w3.org/2004/03/trix/trix-1/"/>',
    JsonLDParser: "[]",
}
STAND_IN_NAME = "ban-ghi-bi-giu-lai"  # never stored: the record is quarantined


class UnreadablePage(Exception):
    """The page is refused or does not parse; the message is for the job's report."""


def rdflib_format(kind: str | None) -> str:
    """The rdflib format ckanext-dcat's RDFParser.parse would use for ``kind``."""
    name = url_to_rdflib_format(kind)
    return "xml" if not name or name == "pretty-xml" else name


def parser_class(name: str):
    try:
        return rdflib.plugin.get(name, rdflib.parser.Parser)
    except rdflib.plugin.PluginException:
        return None


def describe(error: BaseException) -> str:
    """One short line about an exception: no traceback, no long remote text."""
    text = " ".join(str(error).split())
    text = text if len(text) <= 160 else text[:157] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def check_limits(content: str, name: str) -> None:
    """Refuse what would make parsing unbounded, before anything is parsed."""
    parser = parser_class(name)
    if parser is None:
        raise UnreadablePage(
            tk._("The format {format} is not an RDF format this portal reads.").format(
                format=name
            )
        )
    if issubclass(parser, (RDFXMLParser, TriXParser)):
        if _XML_DECLARATIONS.search(content):
            raise UnreadablePage(
                tk._(
                    "The page declares an XML document type or entities "
                    "(<!DOCTYPE, <!ENTITY); they are refused, as they can make "
                    "reading it endless."
                )
            )
    elif issubclass(parser, JsonLDParser):
        _check_json_ld(content)


def check_json_depth(content: str) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH before anything else reads it
    (jsonld.py inlines contexts first); text that is not JSON is left to the reader."""
    try:
        _check_json_ld(content, refuse_remote=False)
    except _NotJson:
        pass


class _NotJson(UnreadablePage):
    pass


def _check_json_ld(content: str, refuse_remote: bool = True) -> None:
    try:
        document = json.loads(content.lstrip("\ufeff"))
    except RecursionError:
        document = None
        depth_exceeded = True
    except ValueError as error:
        raise _NotJson(
            tk._("The page is not valid JSON-LD: {error}").format(error=describe(error))
        ) from None
    else:
        depth_exceeded = False
    stack = [(document, 1)]
    while stack and not depth_exceeded:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            depth_exceeded = True
        elif isinstance(value, dict):
            for key, item in value.items():
                remote = key in ("@context", "@import") and _names_remote(item)
                if refuse_remote and remote:
                    raise UnreadablePage(
                        tk._(
                            "The page refers to a remote JSON-LD context ({key}); "
                            "give the context in the page itself."
                        ).format(key=key)
                    )
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    if depth_exceeded:
        raise UnreadablePage(
            tk._("The JSON-LD page is nested deeper than {max} levels.").format(
                max=MAX_JSON_DEPTH
            )
        )


def _names_remote(context: Any) -> bool:
    if isinstance(context, str):
        return True
    if isinstance(context, list):
        return any(isinstance(item, str) for item in context)
    return isinstance(context, dict) and "@import" in context


def read_page(
    content: str, kind: str | None, profiles: list[str], url: str | None = None
) -> VndataRDFParser:
    """The page at ``url`` parsed with ``profiles``, or UnreadablePage saying why not.

    The records of a CSW response are read out of it (csw.py); what of them could not
    be read is in the parser's ``problems``, and the next page in its ``next_url``.
    """
    name = rdflib_format(kind)
    check_limits(content, name)
    parser = VndataRDFParser(profiles=profiles)
    if issubclass(parser_class(name), RDFXMLParser) and csw.is_envelope(content):
        try:
            envelope = csw.read(content, url, describe)
        except csw.EnvelopeError as error:
            raise UnreadablePage(
                tk._("The CSW response could not be read: {error}").format(error=error)
            ) from None
        parser.g += envelope.graph
        parser.next_url, parser.problems = envelope.next_url, envelope.problems
        return parser
    try:
        parser.g.parse(data=content, format=name)
    except Exception as error:  # rdflib's parsers raise many kinds; all mean the same
        raise UnreadablePage(
            tk._("The page could not be read as {format}: {error}").format(
                format=name, error=describe(error)
            )
        ) from None
    return parser


def reading_kind(content: str, kind: str | None) -> str | None:
    """The format to read a page in: an XML page served under a generic XML media
    type (application/xml, text/xml: CSW servers and GeoNetwork's DCAT output) is
    read as RDF/XML, as is a CSW response whatever it was served as."""
    if csw.is_envelope(content):
        return "application/rdf+xml"
    media = (kind or "").lower()
    generic_xml = media in ("application/xml", "text/xml") or media.endswith("+xml")
    if generic_xml and parser_class(rdflib_format(kind)) is None:
        return "application/rdf+xml"
    return kind


def empty_document(kind: str | None) -> str | None:
    """A document in the page's format that holds no triple (None if not known).

    ckanext-dcat's gather (2.4.4) parses each page itself right after the
    after_download hook, without limits and letting most parse errors out; the page
    was read here already, so it is given this instead and after_parsing hands it
    the graph read here: every page is parsed once, within limits.
    """
    parser = parser_class(rdflib_format(kind))
    if parser is None:
        return None
    for cls, document in _EMPTY.items():
        if issubclass(parser, cls):
            return document
    return "\n"  # the line-based and Turtle-family formats


class VndataRDFParser(RDFParser):
    next_url: str | None = None  # the next page when the page is no hydra collection
    problems: tuple[str, ...] | list[str] = ()  # what of the page was not read

    def _datasets(self):
        """Each dcat:Dataset and dcat:DatasetSeries of the page, once.

        ckanext-dcat (2.4.4) reads dcat:Dataset only. DCAT 3 makes a series a kind
        of dataset (dcat:DatasetSeries is a subclass of dcat:Dataset) and catalogues
        type it so alone (GeoNetwork's GeoDCAT-AP output for ISO series): such a
        record is harvested as a dataset, not dropped without a word.
        """
        seen = set()
        for kind in csw.RECORD_TYPES:
            for ref in self.g.subjects(RDF.type, kind):
                if ref not in seen:
                    seen.add(ref)
                    yield ref

    def next_page(self):
        return self.next_url or super().next_page()

    def datasets(self):
        """Like RDFParser.datasets, but one record's failure stays that record's.

        In ckanext-dcat (2.4.4) one profile exception ends the generator, and its
        harvester then drops the whole page; here the record becomes a stand-in
        with its reason, quarantined at import.
        """
        for ref in self._datasets():
            dataset: dict[str, Any] = {}
            try:
                for profile_class in self._profiles:
                    profile = profile_class(
                        self.g,
                        dataset_type=self.dataset_type,
                        compatibility_mode=self.compatibility_mode,
                    )
                    profile.parse_dataset(dataset, ref)
            except Exception as error:  # any profile, ours or ckanext-dcat's
                log.warning("Record %s not parsed", ref, exc_info=True)
                dataset = _stand_in(self.g, ref, error)
            if not dataset.get(REJECTION_KEY):  # whichever profiles the portal runs
                dataset.pop(REJECTION_KEY, None)
                reasons = rejection_reasons(dataset)
                if reasons:
                    dataset[REJECTION_KEY] = reasons
            if dataset.get(REJECTION_KEY):
                dataset.setdefault("extras", [])
                if not dataset.get("name"):  # ckanext-dcat makes one from the title
                    dataset["name"] = STAND_IN_NAME
            yield dataset


def _stand_in(g, ref, error: Exception) -> dict[str, Any]:
    """What is known of a record no profile could parse: enough to track it."""
    extras = []
    if isinstance(ref, URIRef):
        extras.append({"key": "uri", "value": str(ref)})
    identifier = next(
        (o for o in g.objects(ref, DCTERMS.identifier) if isinstance(o, Literal)), None
    )
    if identifier is not None:
        extras.append({"key": "identifier", "value": str(identifier)})
    title = next(
        (o for o in g.objects(ref, DCTERMS.title) if isinstance(o, Literal)), None
    )
    return {
        "title": str(title) if title is not None else "",
        "name": STAND_IN_NAME,
        "extras": extras,
        REJECTION_KEY: [
            tk._("The record could not be read ({error}).").format(
                error=describe(error)
            )
        ],
    }
