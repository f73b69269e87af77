"""DCAT records taken out of an OGC CSW GetRecords response, one by one, and the
response's next page.

Whole harvests of real CSW pages (GeoNetwork's GeoDCAT-AP output, paging through a
loopback server, a DOCTYPE in the envelope) are in test_real_catalogues.py
(TestCswGetRecordsResponse); here the module's own functions, on pages written here.
"""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from ckanext.vndata.harvester import csw
from ckanext.vndata.harvester.rdf_reading import describe

PAGE = "https://geo.example.vn/csw?service=CSW&request=GetRecords&startPosition=1"
RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
DCAT_NS = (
    'xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/"'
)


def dataset(about: str, title: str) -> str:
    """A record as a CSW server's DCAT output holds it: an rdf:RDF document."""
    return f"""<rdf:RDF {RDF_NS} {DCAT_NS}>
  <dcat:Dataset rdf:about="{about}"><dct:title>{title}</dct:title></dcat:Dataset>
</rdf:RDF>"""


def response(
    records: str, matched: int = 1, next_record: int = 0, head: str = ""
) -> str:
    return f"""{head}<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/3.0">
  <csw:SearchStatus timestamp="2026-01-01T00:00:00Z"/>
  <csw:SearchResults numberOfRecordsMatched="{matched}" nextRecord="{next_record}">
{records}
  </csw:SearchResults>
</csw:GetRecordsResponse>"""


def titles(envelope: csw.Envelope) -> set[str]:
    return {str(title) for title in envelope.graph.objects(None, DCTERMS.title)}


class TestIsEnvelope:
    @pytest.mark.parametrize(
        "head",
        [
            "",
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            "\ufeff<?xml version='1.0'?><!-- GeoNetwork -->\n<?xml-stylesheet x?>",
        ],
    )
    def test_a_getrecords_response_is_recognised_behind_its_prologue(self, head):
        assert csw.is_envelope(response(dataset("a", "A"), head=head))

    @pytest.mark.parametrize(
        "content",
        [
            dataset("http://x/1", "RDF/XML"),
            "<html><body>GetRecordsResponse</body></html>",
            "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
            # The root must come within the first 4 KB: a page is not read past it.
            "<!--" + "x" * 5000 + "-->" + response(""),
        ],
    )
    def test_other_pages_are_not_envelopes(self, content):
        assert not csw.is_envelope(content)


class TestRead:
    def test_each_record_is_read_with_relative_addresses_resolved(self):
        records = dataset("ds/1", "Một") + dataset("https://other.vn/ds/2", "Hai")

        envelope = csw.read(response(records, matched=2), PAGE, describe)

        assert titles(envelope) == {"Một", "Hai"}
        datasets = set(envelope.graph.subjects(RDF.type, DCAT.Dataset))
        assert datasets == {
            URIRef("https://geo.example.vn/ds/1"),
            URIRef("https://other.vn/ds/2"),
        }
        assert (envelope.problems, envelope.next_url) == ([], None)

    def test_a_dataset_element_without_rdf_wrapper_is_read(self):
        bare = (
            f'<dcat:Dataset {RDF_NS} {DCAT_NS} rdf:about="http://x/3">'
            "<dct:title>Ba</dct:title></dcat:Dataset>"
        )

        envelope = csw.read(response(bare), PAGE, describe)

        assert titles(envelope) == {"Ba"}

    def test_a_record_that_is_not_dcat_is_reported_by_position_and_others_go_on(
        self,
    ):
        dublin_core = (
            '<csw:Record xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>Bản ghi</dc:title></csw:Record>"
        )
        records = dataset("http://x/1", "Một") + dublin_core

        envelope = csw.read(response(records, matched=2), PAGE, describe)

        assert titles(envelope) == {"Một"}
        (problem,) = envelope.problems
        assert "2" in problem and "Record" in problem

    def test_a_record_that_does_not_parse_is_reported_and_others_go_on(self):
        # Well-formed XML, but no RDF/XML: a node has both rdf:about and rdf:nodeID.
        broken = (
            f'<rdf:RDF {RDF_NS} {DCAT_NS}><dcat:Dataset rdf:about="http://x/9" '
            'rdf:nodeID="n"><dct:title>Chín</dct:title></dcat:Dataset></rdf:RDF>'
        )
        records = broken + dataset("http://x/2", "Hai")

        envelope = csw.read(response(records, matched=2), PAGE, describe)

        assert titles(envelope) == {"Hai"}
        (problem,) = envelope.problems
        assert "1" in problem
        assert "Traceback" not in problem

    @pytest.mark.parametrize(
        "content",
        [
            response(dataset("a", "A")).replace("</csw:GetRecordsResponse>", ""),
            # No csw namespace on the root.
            "<GetRecordsResponse><SearchResults/></GetRecordsResponse>",
            # A CSW root without SearchResults.
            '<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2">'
            "<csw:SearchStatus/></csw:GetRecordsResponse>",
        ],
    )
    def test_a_page_that_is_no_readable_response_is_refused(self, content):
        with pytest.raises(csw.EnvelopeError):
            csw.read(content, PAGE, describe)


class TestPaging:
    def test_a_getrecords_address_gets_its_next_page(self):
        envelope = csw.read(
            response(dataset("a", "A"), matched=5, next_record=2), PAGE, describe
        )

        assert envelope.next_url == (
            "https://geo.example.vn/csw?service=CSW&request=GetRecords&startPosition=2"
        )
        assert envelope.problems == []

    @pytest.mark.parametrize(("matched", "next_record"), [(5, 0), (5, 6), (5, "x")])
    def test_no_next_page_when_the_server_has_no_more(self, matched, next_record):
        envelope = csw.read(
            response(dataset("a", "A"), matched, next_record), PAGE, describe
        )

        assert (envelope.next_url, envelope.problems) == (None, [])

    def test_records_left_on_a_server_that_cannot_be_paged_are_reported(self):
        envelope = csw.read(
            response(dataset("a", "A"), matched=7, next_record=2),
            "https://geo.example.vn/dcat/catalog.xml",
            describe,
        )

        assert envelope.next_url is None
        (problem,) = envelope.problems
        assert "7" in problem and "2" in problem and "GetRecords" in problem


class TestNextPageUrl:
    def test_start_position_is_replaced_whatever_its_case(self):
        url = "http://g.vn/csw?REQUEST=GetRecords&STARTPOSITION=1&elementSetName=full"

        assert csw.next_page_url(url, 11) == (
            "http://g.vn/csw?REQUEST=GetRecords&elementSetName=full&startPosition=11"
        )

    @pytest.mark.parametrize(
        "url",
        [
            "http://g.vn/csw?request=GetCapabilities",
            "http://g.vn/catalog.rdf",
            "http://g.vn/csw?q=request%3DGetRecords",
        ],
    )
    def test_an_address_that_is_no_getrecords_request_has_no_next_page(self, url):
        assert csw.next_page_url(url, 2) is None
