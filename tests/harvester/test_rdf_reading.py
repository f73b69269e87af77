"""Reading catalogue pages within limits, and their records one by one, through the
real vndata_dcat stages on a loopback catalogue."""

from __future__ import annotations

import datetime
import json

import pytest
import rdflib

from ckan.tests import factories, helpers

from tests.harvester.sources import (
    active_datasets,
    harvest_source,
    newest_job_report,
    turtle_catalogue,
    turtle_record,
)
from tests.helpers import run_harvest

ENTITIES = "\n".join(
    ['<!ENTITY a "lol">']
    + [f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)]
)
BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE r [
{ENTITIES}
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:dct="http://purl.org/dc/terms/">
<rdf:Description rdf:about="http://127.0.0.1/ds/1"><dct:title>&i;</dct:title>
</rdf:Description></rdf:RDF>
""".encode("utf-8")


def _gather_seconds(source_id: str) -> float:
    (job,) = helpers.call_action(
        "harvest_job_list",
        context={"user": factories.Sysadmin()["name"]},
        source_id=source_id,
    )
    started, finished = (
        datetime.datetime.fromisoformat(job[key])
        for key in ("gather_started", "gather_finished")
    )
    return (finished - started).total_seconds()


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestPageLimits:
    def test_billion_laughs_is_refused_in_under_a_second(self, catalogue_server):
        assert len(BILLION_LAUGHS) < 800
        handler, url = catalogue_server
        handler.content_type, handler.body = "application/rdf+xml", BILLION_LAUGHS
        source = harvest_source(url)

        objects = run_harvest(source["id"], "vndata_dcat")

        assert objects == []
        assert _gather_seconds(source["id"]) < 1
        (error,) = newest_job_report(source["id"])["gather_errors"]
        assert "<!DOCTYPE" in error and url in error


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestRecordByRecord:
    def _harvest(self, catalogue_server, records: dict[int, str]):
        handler, url = catalogue_server
        handler.body = turtle_catalogue(records)
        source = harvest_source(url)
        objects = run_harvest(source["id"], "vndata_dcat")
        return {o.guid.rsplit("/", 1)[1]: o for o in objects}, newest_job_report(
            source["id"]
        )

    def test_a_record_without_a_title_is_quarantined_and_the_others_go_on(
        self, catalogue_server
    ):
        records = {n: turtle_record(n) for n in (1, 2, 3)}
        records[2] = turtle_record(2, title="")

        objects, report = self._harvest(catalogue_server, records)

        assert report["gather_errors"] == []
        assert (report["counts"]["added"], report["counts"]["quarantined"]) == (2, 1)
        (held,) = report["records"]
        assert held["guid"].endswith("/ds/2") and held["status"] == "quarantined"
        assert "không có tiêu đề (dct:title)" in held["messages"][0]
        assert objects["2"].package_id is None and not objects["2"].current
        assert active_datasets() == 2

    def test_a_record_a_profile_cannot_parse_is_quarantined_alone(
        self, catalogue_server
    ):
        # ckanext-dcat 2.4.4 raises OverflowError on this byte size (int(inf)).
        records = {n: turtle_record(n) for n in (1, 2, 3)}
        records[3] = turtle_record(3, dcat__byteSize='"1e999"')

        objects, report = self._harvest(catalogue_server, records)

        assert report["gather_errors"] == []
        assert (report["counts"]["added"], report["counts"]["quarantined"]) == (2, 1)
        (held,) = report["records"]
        assert held["guid"].endswith("/ds/3")
        assert "OverflowError" in held["messages"][0]
        assert "Traceback" not in held["messages"][0]
        assert active_datasets() == 2


@pytest.mark.ckan_config("ckanext.dcat.expose_subcatalogs", "true")
@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSubcatalogues:
    @pytest.mark.parametrize(
        "catalog",
        [None, ""],
        ids=["catalogue-without-publisher", "no-catalogue-node"],
    )
    def test_the_datasets_are_imported(self, catalogue_server, catalog):
        handler, url = catalogue_server
        handler.body = turtle_catalogue(
            {n: turtle_record(n) for n in (1, 2)}, catalog=catalog
        )
        source = harvest_source(url)

        objects = run_harvest(source["id"], "vndata_dcat")

        report = newest_job_report(source["id"])
        assert report["gather_errors"] == []
        assert [o.state for o in objects] == ["COMPLETE", "COMPLETE"]
        assert active_datasets() == 2

    def test_a_catalogue_with_a_publisher_still_names_itself(self, catalogue_server):
        handler, url = catalogue_server
        catalog = """<http://127.0.0.1/catalog> a dcat:Catalog ;
    dct:title "Cổng dữ liệu Đà Nẵng"@vi ;
    dct:publisher [ a foaf:Agent ; foaf:name "UBND thành phố Đà Nẵng"@vi ] ;
    dcat:dataset <http://127.0.0.1/ds/1> .
"""
        handler.body = turtle_catalogue({1: turtle_record(1)}, catalog=catalog)
        source = harvest_source(url)

        (harvested,) = run_harvest(source["id"], "vndata_dcat")

        assert harvested.state == "COMPLETE"
        record = json.loads(harvested.content)
        assert record["source_catalog_title"] == "Cổng dữ liệu Đà Nẵng"
        publisher = json.loads(record["source_catalog_publisher"])
        assert publisher["name"] == "UBND thành phố Đà Nẵng"


EU_THEMES = "http://publications.europa.eu/resource/authority/data-theme/"
JSON_LD = {
    "@context": {
        "dcat": "http://www.w3.org/ns/dcat#",
        "dct": "http://purl.org/dc/terms/",
    },
    "@graph": [
        {
            "@id": "http://127.0.0.1/ds/1",
            "@type": "dcat:Dataset",
            "dct:title": {"@value": "Tập dữ liệu số 1", "@language": "vi"},
            "dct:description": {"@value": "Mô tả 1", "@language": "vi"},
            "dcat:theme": {"@id": f"{EU_THEMES}EDUC"},
        }
    ],
}
RDF_XML = f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="http://127.0.0.1/ds/1">
    <dct:title xml:lang="vi">Tập dữ liệu số 1</dct:title>
    <dct:description xml:lang="vi">Mô tả 1</dct:description>
    <dcat:theme rdf:resource="{EU_THEMES}EDUC"/>
  </dcat:Dataset>
</rdf:RDF>
"""


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestFormats:
    @pytest.mark.parametrize(
        ("content_type", "body"),
        [
            ("application/ld+json", json.dumps(JSON_LD).encode("utf-8")),
            ("application/rdf+xml", RDF_XML.encode("utf-8")),
            ("application/n-triples", None),
        ],
        ids=["json-ld", "rdf-xml", "n-triples"],
    )
    def test_a_page_in_each_format_is_read_once_and_imported(
        self, catalogue_server, content_type, body
    ):
        if body is None:  # the same record in N-Triples
            graph = rdflib.Graph().parse(data=RDF_XML, format="xml")
            body = graph.serialize(format="nt").encode("utf-8")
        handler, url = catalogue_server
        handler.content_type, handler.body = content_type, body
        source = harvest_source(url)

        (harvested,) = run_harvest(source["id"], "vndata_dcat")

        assert newest_job_report(source["id"])["gather_errors"] == []
        assert harvested.state == "COMPLETE"
        dataset = helpers.call_action("package_show", id=harvested.package_id)
        assert dataset["title"] == "Tập dữ liệu số 1"
