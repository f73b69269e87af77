"""A harvested record that fails the publication gate lands private, with a note.

A portal's record says public (DCAT has no flag; CKAN's API says ``private: false``);
the national portal keeps it private for its agency to classify (issue 14, item 4).
"""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.harvester.helpers import ckan_api
from tests.harvester.sources import SOURCE_CONFIG, harvest_source, newest_job_report
from tests.helpers import run_harvest

CATALOGUE = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .

<http://127.0.0.1/catalog> a dcat:Catalog ; dcat:dataset <http://127.0.0.1/ds/1> .
<http://127.0.0.1/ds/1> a dcat:Dataset ;
    dct:identifier "dn-ho-so-dat-dai" ;
    dct:title "Hồ sơ địa chính Đà Nẵng"@vi ;
    dct:description "Thửa đất và chủ sử dụng."@vi ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
    dcat:distribution <http://127.0.0.1/ds/1/csv> .
<http://127.0.0.1/ds/1/csv> a dcat:Distribution ;
    dcat:accessURL <http://127.0.0.1/files/dia-chinh.csv> ; dct:format "CSV" .
"""

# The source does not say the personal-data risk was assessed.
UNASSESSED = {**SOURCE_CONFIG, "personal_data_assessed": False}


def _anonymous_sees(app, dataset_id: str) -> bool:
    found = app.get("/api/3/action/package_search?q=*:*").json["result"]["results"]
    return dataset_id in {d["id"] for d in found} or (
        app.get(f"/dataset/{dataset_id}.rdf").status_code == 200
        or dataset_id in app.get("/catalog.ttl").body
    )


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHarvestedRecordsMeetTheGate:
    def test_dcat_record_failing_the_gate_lands_private_with_a_note(
        self, app, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = CATALOGUE.encode("utf-8")
        source = harvest_source(
            url, owner_org=factories.Organization()["id"], **UNASSESSED
        )

        (harvested,) = run_harvest(source["id"], "vndata_dcat")

        assert harvested.package_id, [e.message for e in harvested.errors]
        dataset = helpers.call_action("package_show", id=harvested.package_id)
        assert dataset["private"] is True
        assert not _anonymous_sees(app, dataset["id"])
        (record,) = newest_job_report(source["id"])["records"]
        assert any("43" in message for message in record["messages"])

    def test_ckan_record_saying_public_lands_private(self, app, catalogue_server):
        handler, url = catalogue_server
        remote = {
            "id": "remote-1",  # a CKAN portal's record, as its API lists it
            "name": "ho-so-dia-chinh",
            "title": "Hồ sơ địa chính",
            "notes": "Thửa đất và chủ sử dụng.",
            "private": False,
            "type": "dataset",
            "sectors": ["moi-truong"],
            "data_sharing_class": "dung_rieng",
            "resources": [{"url": "http://127.0.0.1/a.csv", "format": "CSV"}],
        }

        handler.respond = ckan_api([remote])
        source = harvest_source(
            url.replace("/catalog.ttl", ""),
            source_type="vndata_ckan",
            owner_org=factories.Organization()["id"],
        )

        (harvested,) = run_harvest(source["id"], "vndata_ckan")

        assert harvested.package_id, [e.message for e in harvested.errors]
        dataset = helpers.call_action("package_show", id=harvested.package_id)
        assert dataset["private"] is True
        assert dataset["data_sharing_class"] == "dung_rieng"
        assert not _anonymous_sees(app, dataset["id"])
