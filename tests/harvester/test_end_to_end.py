"""The national portal harvests three provinces through the real queues and workers.

- Đà Nẵng is a second CKAN process (tests/harvester/province.py), harvested twice: its
  /catalog.ttl with vndata_dcat and its Action API with vndata_ckan.
- Huế is a static RDF/XML file with hueod: properties on a loopback server.
- Hồ Chí Minh City is a CKAN Action API on the same loopback server, with a record that
  still carries an old province code and one that delivers an item of a national plan.

ckanext-harvest's gather consumer and two fetch consumers run as `ckan` processes.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestJob, HarvestObject

from tests.harvester.helpers import ckan_api, ckan_record
from tests.harvester.province import AGENCY_CODE, DATASETS
from tests.harvester.sources import (
    harvest_consumers,
    harvest_source,
    harvest_through_queues,
    newest_job_report,
)
from tests.helpers import run_harvest
from tests.plan.conftest import call, make_agency, plan_in

HUE_CATALOGUE = Path(__file__).parents[1] / "data" / "hue" / "catalogue.rdf"
TODAY = datetime.date.today()


def _plan_item(agency) -> dict:
    due = (TODAY + datetime.timedelta(days=30)).isoformat()
    return call("vndata_plan_item_create", agency.editor, plan_id=plan_in(agency)["id"],
                title="Danh sách trường học", target_date=due)  # fmt: skip


def _datasets(job: HarvestJob) -> dict[str, dict]:
    """The datasets a job wrote or kept, by title."""
    objects = HarvestObject.filter(harvest_job_id=job.id).all()
    shown = [
        helpers.call_action("package_show", id=package_id)
        for package_id in {o.package_id for o in objects if o.package_id}
    ]
    return {dataset["title"]: dataset for dataset in shown}


def _counts(sources: dict[str, dict]) -> dict[str, dict[str, int]]:
    return {key: newest_job_report(s["id"])["counts"] for key, s in sources.items()}


def _writes(package_ids) -> dict[str, tuple[str, int]]:
    """Each dataset's last modification and its number of activities."""
    result = {}
    for package_id in package_ids:
        modified = helpers.call_action("package_show", id=package_id)
        activities = helpers.call_action(
            "package_activity_list", id=package_id, limit=100
        )
        result[package_id] = (modified["metadata_modified"], len(activities))
    return result


def _static_portals(handler, url: str, hcm_records: list[dict]) -> str:
    """Huế's RDF file and Hồ Chí Minh City's Action API on one loopback server."""
    api = ckan_api(hcm_records)

    def respond(path: str) -> bytes | None:
        if path == "/hue/catalog.rdf":
            return HUE_CATALOGUE.read_bytes()
        return api(path)

    handler.respond = respond
    return url.removesuffix("/catalog.ttl")


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_national_portal_harvests_three_provinces_through_the_queues(
    provincial_portal, catalogue_server, tmp_path
):
    da_nang, call_province = provincial_portal
    handler, url = catalogue_server
    factories.Organization(name="so-khcn-da-nang", province_code="48")
    education = make_agency("Sở Giáo dục và Đào tạo TP.HCM", "79")
    item = _plan_item(education)
    issued = (TODAY - datetime.timedelta(days=10)).isoformat()
    hcm_records = [
        ckan_record(1, province_code="74", issued=issued),  # Bình Dương's old code
        ckan_record(2, province_code="79", issued=issued, plan_item=item["key"]),
    ]
    static = _static_portals(handler, url, hcm_records)
    province = factories.Organization(name="tinh-da-nang")["id"]
    rules = [{"agency_code": AGENCY_CODE, "organization": "so-khcn-da-nang"}]
    hcm_rules = [
        {"name": "Sở Giáo dục và Đào tạo", "organization": education.org["name"]}
    ]
    deletion = {"max_share": 0.5, "grace_days": 0}
    sources = {
        "dcat": harvest_source(da_nang + "/catalog.ttl", name="da-nang-dcat",
                               owner_org=province, publisher_rules=rules),
        "api": harvest_source(da_nang, name="da-nang-api", source_type="vndata_ckan",
                              owner_org=province, publisher_rules=rules,
                              deletion=deletion),
        "hue": harvest_source(static + "/hue/catalog.rdf", name="hue",
                              province_code="46", rdf_format="xml",
                              extra_profiles=["vn_hue_od"],
                              unknown_publishers="create"),
        "hcm": harvest_source(static, name="ho-chi-minh", source_type="vndata_ckan",
                              province_code="79", province_map={"74": "79"},
                              publisher_rules=hcm_rules),
    }  # fmt: skip
    ids = [source["id"] for source in sources.values()]

    with harvest_consumers(tmp_path):
        first = harvest_through_queues(ids)
        counts = _counts(sources)
        log = (tmp_path / "consumers.log").read_text()[-3000:]
        assert {key: c["added"] for key, c in counts.items()} == {
            "dcat": 2, "api": 2, "hue": 1, "hcm": 2
        }, (counts, log)  # fmt: skip
        assert all(c["errors"] == 0 for c in counts.values()), counts

        # Organizations by the publisher rules, codes mapped, Huế's own properties.
        for key in ("dcat", "api"):
            datasets = _datasets(first[sources[key]["id"]])
            assert set(datasets) == {title for title, _, _ in DATASETS}
            assert {d["organization"]["name"] for d in datasets.values()} == {
                "so-khcn-da-nang"
            }
            assert {d["province_code"] for d in datasets.values()} == {"48"}
        (hue,) = _datasets(first[sources["hue"]["id"]]).values()
        assert hue["organization"]["title"] == "Sở Văn hóa và Thể thao"
        assert hue["province_code"] == "46"
        assert {r.get("declared_stars") for r in hue["resources"]} == {1, 3}
        hcm = _datasets(first[sources["hcm"]["id"]])
        assert {d["province_code"] for d in hcm.values()} == {"79"}
        assert {d["owner_org"] for d in hcm.values()} == {education.org["id"]}

        # The plan item the record names is delivered, with no manual step.
        shown = helpers.call_action("vndata_plan_item_show", id=item["id"])
        assert shown["status"] == "published_on_time"
        assert [d["package_id"] for d in shown["datasets"]] == [
            hcm[ckan_record(2)["title"]]["id"]
        ]

        # The same two datasets from two sources are reported, not merged.
        assert len(helpers.call_action("vndata_harvest_duplicates")) == 2

        # Nothing changed anywhere: the second round writes nothing.
        package_ids = {
            d["id"] for job in first.values() for d in _datasets(job).values()
        }
        before = _writes(package_ids)
        harvest_through_queues(ids)
        again = _counts(sources)
        assert {key: c["unchanged"] for key, c in again.items()} == {
            "dcat": 2, "api": 2, "hue": 1, "hcm": 2
        }, again  # fmt: skip
        assert all(
            c["added"] + c["updated"] + c["withdrawn"] == 0 for c in again.values()
        )
        assert _writes(package_ids) == before
        assert helpers.call_action("package_search", rows=0)["count"] == 7

        # A dataset deleted at the province: missing first, withdrawn past the grace.
        gone = _datasets(first[sources["api"]["id"]])[DATASETS[0][0]]
        remote_id = json.loads(
            HarvestObject.filter(package_id=gone["id"]).first().content
        )["id"]
        call_province("package_delete", id=remote_id)
        harvest_through_queues([sources["api"]["id"]])
        assert helpers.call_action("package_show", id=gone["id"])["state"] == "active"
        harvest_through_queues([sources["api"]["id"]])
        assert helpers.call_action("package_show", id=gone["id"])["state"] == "deleted"
        assert newest_job_report(sources["api"]["id"])["counts"]["withdrawn"] == 1


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_ckan_api_source_on_loopback_is_refused_unless_allowed(catalogue_server):
    _handler, url = catalogue_server
    source = harvest_source(url.replace("/catalog.ttl", ""), source_type="vndata_ckan")

    objects = run_harvest(source["id"], "vndata_ckan")

    report = newest_job_report(source["id"])
    assert objects == []
    assert any("loopback" in message for message in report["gather_errors"])
