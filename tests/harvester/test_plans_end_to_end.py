"""Plans published at a provincial portal reach the national portal with the harvest.

Đà Nẵng is a second CKAN process running vndata_plan (tests/harvester/province.py);
its plans are entered through its Action API and walked through its workflow. The
national portal harvests it through ckanext-harvest's real queues and consumers, with
vndata_ckan (its Action API) and with vndata_dcat (its /catalog.ttl, which advertises
its plans index).
"""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.harvester.province import (
    AGENCY_CODE,
    DATASETS,
    plan_at_province,
    remove_series_at_province,
    walk_at_province,
)
from tests.harvester.sources import (
    harvest_consumers,
    harvest_source,
    harvest_through_queues,
    newest_job_report,
)

ISSUED = "Kế hoạch cung cấp dữ liệu mở 2026-2027"
KEPT = "Kế hoạch dữ liệu mở về hạ tầng số"
REVISED = "Kế hoạch cung cấp dữ liệu mở 2026-2027 (sửa đổi)"


def _plans(**data) -> dict[str, dict]:
    plans = helpers.call_action("vndata_plan_list", **data)
    return {(p["title"], p["version"]): p for p in plans}


def _harvest(source_id: str, tmp_path) -> dict:
    harvest_through_queues([source_id])
    report = newest_job_report(source_id)
    log = (tmp_path / "consumers.log").read_text()[-3000:]
    assert report["plan_counts"]["errors"] == 0, (report, log)
    return report


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("source_type", ["vndata_ckan", "vndata_dcat"])
def test_plans_published_at_the_province_travel_with_the_harvest(
    source_type, provincial_portal, tmp_path
):
    da_nang, call = provincial_portal
    at_province = {d["title"]: d["id"] for d in call("package_search")["results"]}
    issued = plan_at_province(call, ISSUED, links=(at_province[DATASETS[0][0]],))
    kept = plan_at_province(call, KEPT)
    plan_at_province(call, "Kế hoạch đang soạn thảo", status="draft")
    plan_at_province(call, "Kế hoạch chờ phê duyệt", status="submitted")
    national = factories.Organization(name="so-khcn-da-nang", province_code="48")
    source = harvest_source(
        da_nang + ("/catalog.ttl" if source_type == "vndata_dcat" else ""),
        source_type=source_type,
        publisher_rules=[
            {"agency_code": AGENCY_CODE, "organization": national["name"]}
        ],
        deletion={"grace_days": 0, "max_share": 0.5},
    )

    with harvest_consumers(tmp_path):
        # The two published plans arrive; the draft and the submitted one do not.
        report = _harvest(source["id"], tmp_path)
        assert report["plan_counts"]["added"] == 2, report
        plans = _plans()
        assert set(plans) == {(ISSUED, 1), (KEPT, 1)}
        assert {p["organization_id"] for p in plans.values()} == {national["id"]}
        shown = helpers.call_action("vndata_plan_show", id=plans[ISSUED, 1]["id"])
        copies = {d["title"]: d["id"] for d in
                  helpers.call_action("package_search")["results"]}  # fmt: skip
        assert [d["package_id"] for d in shown["items"][0]["datasets"]] == [
            copies[DATASETS[0][0]]
        ]
        assert shown["items"][1]["datasets"] == []
        remote = call("vndata_plan_show", id=issued["id"])
        assert [i["remote_key"] for i in shown["items"]] == [
            i["key"] for i in remote["items"]
        ]  # the key here is derived from the source and the source's key
        assert shown["phases"][0]["min_datasets"] == 1
        assert shown["phases"][0]["min_percent_machine_readable"] == 50

        # Nothing changed at the province: nothing is written.
        before = _plans(all_versions=True)
        report = _harvest(source["id"], tmp_path)
        assert report["plan_counts"]["unchanged"] == 2, report
        assert _plans(all_versions=True) == before

        # A revision published at the province supersedes the national version.
        revision = call("vndata_plan_revise", id=issued["id"])
        call("vndata_plan_update", id=revision["id"], title=REVISED)
        walk_at_province(call, revision, "published")
        report = _harvest(source["id"], tmp_path)
        counts = report["plan_counts"]
        assert (counts["updated"], counts["unchanged"]) == (1, 1), report
        history = _plans(all_versions=True)
        assert history[ISSUED, 1]["status"] == "superseded"
        assert history[REVISED, 2]["status"] == "published"
        current = helpers.call_action("vndata_plan_show", id=history[REVISED, 2]["id"])
        assert [d["package_id"] for d in current["items"][0]["datasets"]] == [
            copies[DATASETS[0][0]]
        ]  # the link carried over by the item's key

        # A plan that leaves the province: missing first, withdrawn past the grace.
        remove_series_at_province(kept["series_id"])
        _harvest(source["id"], tmp_path)
        assert _plans()[KEPT, 1]["status"] == "published"
        report = _harvest(source["id"], tmp_path)
        assert report["plan_counts"]["withdrawn"] == 1, report
        assert _plans(all_versions=True)[KEPT, 1]["status"] == "withdrawn"
