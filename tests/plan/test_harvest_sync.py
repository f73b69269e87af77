"""A harvested dataset that names a plan item, or is titled as one, delivers it.

The catalogue is served by a real HTTP server on loopback and harvested by
ckanext-dcat's DCAT RDF harvester with the Vietnamese profiles, through
ckanext-harvest's real gather, fetch and import stages.
"""

from __future__ import annotations

import datetime

import pytest

from ckan.tests import factories, helpers

from tests.factories import Item, VnDataset
from tests.helpers import run_harvest
from tests.plan.conftest import call, plan_in

TODAY = datetime.date.today()
PLUGINS = (
    "activity vndata_metadata scheming_datasets scheming_organizations vndata_plan "
    "dcat vndata_dcat vndata_quality harvest dcat_rdf_harvester"
)
CATALOGUE = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix vndata: <https://w3id.org/vndata/ns#> .
@prefix freq: <http://publications.europa.eu/resource/authority/frequency/> .

<http://127.0.0.1/catalog> a dcat:Catalog ; dcat:dataset <http://127.0.0.1/ds/1> .
<http://127.0.0.1/ds/1> a dcat:Dataset ;
    dct:identifier "dn-truong-hoc" ;
    dct:title "Danh sách trường học Đà Nẵng"@vi ;
    dct:description "Các trường trên địa bàn thành phố."@vi ;
    dct:issued "{issued}"^^xsd:date ;
    dct:accrualPeriodicity freq:ANNUAL ;
    dcat:theme vndata:sector-giao-duc-dao-tao ;
    vndata:dataSharingClass vndata:sharing-mo ;
    vndata:dataImportanceClass vndata:importance-khac ;
    vndata:personalDataAssessed true ;
    vndata:planItem "{item_key}" ;
    dcat:distribution <http://127.0.0.1/ds/1/csv> .
<http://127.0.0.1/ds/1/csv> a dcat:Distribution ;
    dcat:accessURL <http://127.0.0.1/files/truong-hoc.csv> ;
    dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> .
"""


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_harvested_dataset_delivers_the_plan_item(agency, catalogue_server):
    handler, url = catalogue_server
    item = _item(agency, "Danh sách trường học")
    issued = (TODAY - datetime.timedelta(days=10)).isoformat()
    handler.body = (
        CATALOGUE.replace("{item_key}", item["key"]).replace("{issued}", issued)
    ).encode("utf-8")
    source = helpers.call_action(
        "harvest_source_create",
        context={"user": factories.Sysadmin()["name"]},
        name="cong-du-lieu-da-nang",
        url=url,
        source_type="dcat_rdf",
        owner_org=agency.org["id"],
    )

    (harvested,) = run_harvest(source["id"], "dcat_rdf")

    assert harvested.state == "COMPLETE", [e.message for e in harvested.errors]
    dataset = helpers.call_action("package_show", id=harvested.package_id)
    assert dataset["plan_item"] == item["key"]
    shown = call("vndata_plan_item_show", agency.editor, id=item["id"])
    assert shown["status"] == "published_on_time"
    assert shown["datasets"][0]["package_id"] == dataset["id"]


def _vndata_source(url: str, org: dict) -> dict:
    from tests.harvester.sources import harvest_source

    return harvest_source(url, owner_org=org["id"], province_code="48")


def _item(agency, title: str) -> dict:
    return Item(
        plan_id=plan_in(agency)["id"],
        title=title,
        target_date=(TODAY + datetime.timedelta(days=30)).isoformat(),
    )


def _catalogue_titled(title: str) -> bytes:
    issued = (TODAY - datetime.timedelta(days=10)).isoformat()
    body = CATALOGUE.replace("{issued}", issued).replace(
        '    vndata:planItem "{item_key}" ;\n', ""
    )
    return body.replace("Danh sách trường học Đà Nẵng", title).encode("utf-8")


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestMatchingByTitle:
    def test_harvested_dataset_titled_as_an_item_delivers_it(
        self, agency, catalogue_server
    ):
        handler, url = catalogue_server
        item = _item(agency, "Danh sách trường học Đà Nẵng")
        handler.body = _catalogue_titled("Danh sách  trường học ĐÀ NẴNG")

        (harvested,) = run_harvest(_vndata_source(url, agency.org)["id"], "vndata_dcat")

        shown = call("vndata_plan_item_show", agency.editor, id=item["id"])
        assert shown["status"] == "published_on_time"
        assert [(d["package_id"], d["source"]) for d in shown["datasets"]] == [
            (harvested.package_id, "match")
        ]

    @pytest.mark.parametrize(
        "titles, harvested",
        [
            (["Danh sách trường học Đà Nẵng"], "Danh sach truong hoc Da Nang"),
            (["Điểm wifi công cộng", "Điểm wifi công cộng"], "Điểm wifi công cộng"),
        ],
        ids=["other-tone-marks", "two-candidates"],
    )
    def test_no_single_item_with_the_same_title_means_no_link(
        self, agency, catalogue_server, titles, harvested
    ):
        handler, url = catalogue_server
        items = [_item(agency, title) for title in titles]
        handler.body = _catalogue_titled(harvested)

        run_harvest(_vndata_source(url, agency.org)["id"], "vndata_dcat")

        for item in items:
            shown = call("vndata_plan_item_show", agency.editor, id=item["id"])
            assert shown["datasets"] == []

    def test_dataset_made_here_is_not_matched(self, agency):
        item = _item(agency, "Danh sách trường học Đà Nẵng")

        VnDataset(owner_org=agency.org["id"], title="Danh sách trường học Đà Nẵng")

        shown = call("vndata_plan_item_show", agency.editor, id=item["id"])
        assert shown["datasets"] == []
