"""Real catalogues of other portals (tests/data/real/) harvested by vndata_dcat from a
loopback server, through the real stages: every record arrives as a harvest object,
and what cannot be read is said on the job, never dropped silently."""

from __future__ import annotations

import json
import pathlib

import pytest

from ckanext.harvest.model import HarvestObject

from ckanext.vndata.harvester import page_cache
from tests.harvester.sources import harvest_source, newest_job_report
from tests.helpers import run_harvest

REAL = pathlib.Path(__file__).parents[1] / "data" / "real"
MANIFEST = {e["file"]: e for e in json.loads((REAL / "manifest.json").read_text())}


def serve(handler, path: str, content_type: str | None = None) -> None:
    handler.content_type = (
        MANIFEST[path]["format"] if content_type is None else content_type
    )
    handler.body = (REAL / path).read_bytes()


def gathered(source_id: str) -> tuple[list[dict], list[str]]:
    """The records the newest job gathered (as harvest objects) and its gather
    errors."""
    report = newest_job_report(source_id)
    objects = HarvestObject.filter(harvest_job_id=report["job_id"]).all()
    records = [json.loads(o.content) for o in objects if o.content]
    return sorted(records, key=lambda r: r["title"]), report["gather_errors"]


def by_title(records: list[dict]) -> dict[str, dict]:
    return {record["title"].strip(): record for record in records}


def extra(record: dict, key: str) -> str | None:
    return next((e["value"] for e in record["extras"] if e["key"] == key), None)


pytestmark = [
    pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


class TestDcatUsDataJson:
    @pytest.mark.parametrize(
        "path",
        [
            "arcgis-hub/evian.json",
            "dkan/data.json",
            "data.gov/collections2.data.json",
            "data.gov/dcatus3_0.json",
        ],
    )
    def test_every_dataset_of_the_catalogue_is_gathered(self, catalogue_server, path):
        handler, url = catalogue_server
        serve(handler, path)  # as their portals serve it: application/json
        source = harvest_source(url)

        run_harvest(source["id"], "vndata_dcat")

        records, errors = gathered(source["id"])
        assert errors == []
        assert len(records) == MANIFEST[path]["records"]
        assert all(record["title"].strip() for record in records)
        # The 1.1 context is the shipped copy: nothing but the page was requested.
        assert len(handler.headers_seen) == 1

    @pytest.mark.parametrize("content_type", ["", "text/plain"])
    def test_data_json_without_a_json_media_type_is_read(
        self, catalogue_server, content_type
    ):
        """Static hosts serve data.json as text/plain, or with no media type."""
        handler, url = catalogue_server
        serve(handler, "dkan/data.json", content_type)
        source = harvest_source(url)

        run_harvest(source["id"], "vndata_dcat")

        records, errors = gathered(source["id"])
        assert (len(records), errors) == (2, [])

    def test_arcgis_hub_records_keep_their_fields_and_lose_their_html(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        serve(handler, "arcgis-hub/evian.json")
        source = harvest_source(url)

        run_harvest(source["id"], "vndata_dcat")

        records, _errors = gathered(source["id"])
        velos = by_title(records)["stationnement velos"]
        assert velos["notes"] == (
            "Emplacement et description des stationnement vélos à Evian-les-Bains"
        )
        assert velos["tags"] == [{"name": "mobilite"}]
        assert velos["publisher_name"] == "Ville d'Evian-les-Bains"
        assert velos["contact_email"] == "sig@evian.fr"  # ArcGIS writes "email"
        assert velos["modified"].startswith("2022-07-29")
        assert extra(velos, "identifier").startswith("https://www.arcgis.com/home/")
        csv = next(r for r in velos["resources"] if r["name"] == "CSV")
        assert csv["mimetype"] == "text/csv"
        assert csv["url"].endswith("/csv?layers=5")
        assert len(velos["resources"]) == 6
        assert not any("<" in (r.get("notes") or "") for r in records)

    def test_dkan_html_becomes_text_with_its_links(self, catalogue_server):
        handler, url = catalogue_server
        serve(handler, "dkan/data.json")
        source = harvest_source(url)

        run_harvest(source["id"], "vndata_dcat")

        records, _errors = gathered(source["id"])
        london = by_title(records)["London Deprivation Index"]
        assert "<p>" not in london["notes"]
        assert london["notes"].startswith("Deprivation is measured across seven")
        assert (
            "Source (https://www.theguardian.com/uk/datablog/2012/apr/12/"
            "deprivation-poverty-london)" in london["notes"]
        )
        assert london["publisher_name"] == (
            "State Economic Council, Committee on International Affairs"
        )
        assert london["resources"][0]["mimetype"] == "application/zip"

    def test_dcat_us_3_without_a_context_keeps_publisher_and_contact(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        serve(handler, "data.gov/dcatus3_0.json")
        source = harvest_source(url)

        run_harvest(source["id"], "vndata_dcat")

        records, _errors = gathered(source["id"])
        one = by_title(records)["Test Dataset One"]
        assert one["notes"] == "First test dataset in the DCAT-US 3.0 catalog."
        assert one["publisher_name"] == "Test Agency"
        assert one["contact_email"] == "one@example.gov"
        assert extra(one, "identifier") == "https://example.gov/datasets/one"

    def test_a_dataset_entry_without_type_is_still_a_dataset(self, catalogue_server):
        """data.json makes @type optional: an entry without it is not dropped."""
        handler, url = catalogue_server
        catalogue = json.loads((REAL / "dkan/data.json").read_text())
        for record in catalogue["dataset"]:
            del record["@type"]
        handler.content_type = "application/json"
        handler.body = json.dumps(catalogue).encode()
        source = harvest_source(url)

        run_harvest(source["id"], "vndata_dcat")

        records, errors = gathered(source["id"])
        assert (len(records), errors) == (2, [])

    def test_json_that_is_no_catalogue_is_refused_saying_so(self, catalogue_server):
        handler, url = catalogue_server
        handler.content_type, handler.body = "application/json", b'{"items": []}'
        source = harvest_source(url)

        objects = run_harvest(source["id"], "vndata_dcat")

        records, errors = gathered(source["id"])
        assert objects == [] and records == []
        assert len(errors) == 1
        assert "không phải danh mục mà cổng này đọc được" in errors[0]
        assert "DCAT-US" in errors[0]


CSW_PAGE = "geonetwork/geonetwork-geodcatap-page-1.xml"


def csw_response(records: str, matched: int, next_record: int) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2">
  <csw:SearchResults numberOfRecordsMatched="{matched}" numberOfRecordsReturned="1"
      nextRecord="{next_record}">
{records}
  </csw:SearchResults>
</csw:GetRecordsResponse>
""".encode()


THIRD_RECORD = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="fr-200053742/2020/ban">
    <dct:identifier>ban-2020</dct:identifier>
    <dct:title xml:lang="fre">Base adresse 2020</dct:title>
  </dcat:Dataset>
</rdf:RDF>"""


class TestCswGetRecordsResponse:
    @pytest.mark.parametrize("content_type", ["application/xml", "text/xml"])
    def test_the_records_inside_the_envelope_are_gathered(
        self, catalogue_server, content_type
    ):
        handler, url = catalogue_server
        serve(handler, CSW_PAGE, content_type)  # as CSW servers answer
        source = harvest_source(url)

        run_harvest(source["id"], "vndata_dcat")

        records, errors = gathered(source["id"])
        assert len(records) == MANIFEST[CSW_PAGE]["records"]
        uris = {extra(record, "uri") for record in records}
        # A relative rdf:about is resolved against the page's address.
        assert url.replace("catalog.ttl", "fr-200053742/2019/limite/bud") in uris
        assert "https://www.geo2france.fr/insee/partmenage5ans" in uris
        # The server has more (nextRecord 3 of 6) that this address cannot page to.
        assert len(errors) == 1
        assert "6" in errors[0] and "3" in errors[0] and "GetRecords" in errors[0]

    def test_a_getrecords_address_is_paged_with_start_position(self, catalogue_server):
        handler, url = catalogue_server
        base = "/csw?service=CSW&version=2.0.2&request=GetRecords&startPosition="
        handler.pages = {
            base + "1": (REAL / CSW_PAGE).read_bytes(),
            base + "3": csw_response(THIRD_RECORD, matched=6, next_record=0),
        }
        handler.content_type = "application/xml"
        source = harvest_source(url.replace("/catalog.ttl", base + "1"))

        run_harvest(source["id"], "vndata_dcat")

        records, errors = gathered(source["id"])
        assert errors == []
        assert "Base adresse 2020" in [r["title"] for r in records]
        assert len(records) == 3

    def test_a_next_record_that_points_back_stops_the_harvest(self, catalogue_server):
        handler, url = catalogue_server
        base = "/csw?request=GetRecords&startPosition="
        handler.pages = {base + "1": csw_response(THIRD_RECORD, 5, next_record=1)}
        handler.content_type = "application/xml"
        source = harvest_source(url.replace("/catalog.ttl", base + "1"))

        run_harvest(source["id"], "vndata_dcat")

        _records, errors = gathered(source["id"])
        assert len(errors) == 1 and "lặp lại một trang trước đó" in errors[0]

    def test_a_record_that_is_not_dcat_is_reported(self, catalogue_server):
        handler, url = catalogue_server
        dublin_core = (
            '<csw:Record xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:identifier>x-1</dc:identifier><dc:title>Bản ghi</dc:title>"
            "</csw:Record>"
        )
        handler.content_type = "application/xml"
        handler.body = csw_response(THIRD_RECORD + dublin_core, 2, 0)
        source = harvest_source(url)

        run_harvest(source["id"], "vndata_dcat")

        records, errors = gathered(source["id"])
        assert [r["title"] for r in records] == ["Base adresse 2020"]
        assert len(errors) == 1
        assert "Bản ghi thứ 2" in errors[0] and "(Record)" in errors[0]

    def test_a_document_type_in_the_envelope_is_refused(self, catalogue_server):
        handler, url = catalogue_server
        handler.content_type = "application/xml"
        handler.body = (
            (REAL / CSW_PAGE)
            .read_bytes()
            .replace(
                b"<csw:GetRecordsResponse",
                b'<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<csw:GetRecordsResponse',
                1,
            )
        )
        source = harvest_source(url)

        objects = run_harvest(source["id"], "vndata_dcat")

        _records, errors = gathered(source["id"])
        assert objects == []
        assert len(errors) == 1 and "<!DOCTYPE" in errors[0]


class TestOtherShapes:
    def test_a_dataset_series_alone_is_harvested_as_a_dataset(self, catalogue_server):
        handler, url = catalogue_server
        serve(handler, "udata/series.xml")
        source = harvest_source(url)

        run_harvest(source["id"], "vndata_dcat")

        records, errors = gathered(source["id"])
        assert errors == []
        assert [r["title"] for r in records] == [
            "DCE – Bassin Artois-Picardie - Etat global"
        ]

    def test_rdf_xml_served_as_application_xml_is_read(self, catalogue_server):
        handler, url = catalogue_server
        serve(handler, "geonetwork/sig.oreme.rdf", "application/xml")
        source = harvest_source(url)

        run_harvest(source["id"], "vndata_dcat")

        records, errors = gathered(source["id"])
        assert (len(records), errors) == (1, [])

    @pytest.mark.parametrize("series", ["paged-collection", "partial-collection"])
    def test_a_hydra_series_with_literal_links_is_followed_to_the_end(
        self, catalogue_server, series
    ):
        """udata's old hydra:nextPage and PartialCollectionView hydra:next, both as
        literals; published at data.test.org, served here at the loopback address."""
        handler, url = catalogue_server
        pages = [e for e in MANIFEST.values() if e.get("series") == f"udata-{series}"]
        origin = url.removesuffix("/catalog.ttl")
        moved = {
            e["url"]: e["url"].replace("http://data.test.org", origin) for e in pages
        }
        handler.pages = {}
        for entry in pages:
            body = (REAL / entry["file"]).read_text()
            for published, here in moved.items():
                body = body.replace(published, here)
            handler.pages[moved[entry["url"]].removeprefix(origin)] = body.encode()
        handler.content_type = "application/ld+json"
        source = harvest_source(moved[pages[0]["url"]])

        run_harvest(source["id"], "vndata_dcat")

        records, errors = gathered(source["id"])
        assert errors == []
        assert len(records) == sum(e["records"] for e in pages) == 4


def vietnamese_record(n: int) -> str:
    """Record ``n`` as a CSW server's DCAT output would hold it; it imports."""
    return f"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="http://127.0.0.1/ds/{n}">
    <dct:title xml:lang="vi">Tập dữ liệu số {n}</dct:title>
    <dct:description xml:lang="vi">Mô tả {n}</dct:description>
    <dcat:theme rdf:resource="{EU_THEME}EDUC"/>
    <dcat:distribution>
      <dcat:Distribution rdf:about="http://127.0.0.1/ds/{n}/csv">
        <dcat:accessURL rdf:resource="http://127.0.0.1/files/{n}.csv"/>
      </dcat:Distribution>
    </dcat:distribution>
  </dcat:Dataset>
</rdf:RDF>"""


EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"


def test_an_unchanged_csw_page_still_leads_to_the_next(catalogue_server):
    """A page whose records are all imported is not parsed again (page_cache.py); its
    CSW next page must still be read, or the second page's records would count
    as gone from the catalogue."""
    handler, url = catalogue_server
    base = "/csw?request=GetRecords&startPosition="
    handler.pages = {
        base + "1": csw_response(vietnamese_record(1), matched=2, next_record=2),
        base + "2": csw_response(vietnamese_record(2), matched=2, next_record=0),
    }
    handler.content_type = "application/xml"
    source = harvest_source(url.replace("/catalog.ttl", base + "1"))
    first = run_harvest(source["id"], "vndata_dcat")
    assert [o.state for o in first] == ["COMPLETE", "COMPLETE"]

    run_harvest(source["id"], "vndata_dcat")

    report = newest_job_report(source["id"])
    assert report["gather_errors"] == []
    assert (
        page_cache.skipped_records(report["job_id"]) == 2
    )  # both pages read, unchanged
