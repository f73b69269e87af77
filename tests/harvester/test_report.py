"""Job counts and the province overview (`ckan vndata_harvester run`: test_cli.py)."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.harvester.helpers import (
    TOO_LONG,
    catalogue,
    ckan_api_with_plans,
    ckan_record,
    ckan_source,
    remote_plan,
)
from tests.harvester.sources import (
    SOURCE_CONFIG,
    harvest_source,
    overview_row,
    turtle_catalogue,
    turtle_record,
)
from tests.helpers import run_harvest, token_headers

PLANS_ZERO = dict.fromkeys(("added", "updated", "unchanged", "withdrawn", "errors"), 0)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestReport:
    def test_job_counts_name_every_outcome(self, catalogue_server):
        handler, url = catalogue_server
        source = harvest_source(url, deletion={"grace_days": 0, "max_share": 0.5})
        handler.body = catalogue([1, 2, 3])
        run_harvest(source["id"], "vndata_dcat")
        handler.body = catalogue([1, 2, 4]).replace(
            "Mô tả 2".encode(), "Mô tả mới 2".encode()
        )
        run_harvest(source["id"], "vndata_dcat")  # 3 is marked missing
        run_harvest(source["id"], "vndata_dcat")  # ... and withdrawn

        jobs = helpers.call_action("harvest_job_list", source_id=source["id"])
        reports = [
            helpers.call_action("vndata_harvest_job_report", id=job["id"])
            for job in sorted(jobs, key=lambda j: j["gather_started"])
        ]
        assert [r["counts"] for r in reports] == [
            {**ZERO, "added": 3},
            {**ZERO, "added": 1, "updated": 1, "unchanged": 1},
            {**ZERO, "unchanged": 3, "withdrawn": 1},
        ]
        assert not any(r["failed"] for r in reports)

    def test_plans_are_counted_apart_and_shown_on_the_job_page(
        self, catalogue_server, app
    ):
        handler, url = catalogue_server
        handler.respond = ckan_api_with_plans([ckan_record(1)], [remote_plan()])
        source = ckan_source(url)
        run_harvest(source["id"], "vndata_ckan")
        (job,) = helpers.call_action("harvest_job_list", source_id=source["id"])

        report = helpers.call_action("vndata_harvest_job_report", id=job["id"])
        sysadmin = factories.Sysadmin()
        page = app.get(
            f"/harvest/{source['name']}/job/{job['id']}",
            headers=token_headers(sysadmin),
        ).body

        assert report["counts"] == {**ZERO, "added": 1}
        assert report["plan_counts"] == {**PLANS_ZERO, "added": 1}
        assert "kế hoạch: thêm mới 1, cập nhật 0, không đổi 0, rút 0" in page

    def test_overview_lists_each_source_by_province_with_its_last_success(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = catalogue([1])
        source = harvest_source(url)
        run_harvest(source["id"], "vndata_dcat")
        handler.body = b"not turtle"
        run_harvest(source["id"], "vndata_dcat")

        (row,) = helpers.call_action("vndata_harvest_overview")

        assert row["province_code"] == "48"
        assert row["datasets"] == 1
        assert row["last_job"]["failed"]
        assert row["last_successful_harvest"] is not None

    def test_report_is_for_sysadmins(self):
        user = factories.User()
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action(
                "vndata_harvest_overview",
                context={"user": user["name"], "ignore_auth": False},
            )


ZERO = dict.fromkeys(
    ("added", "updated", "unchanged", "withdrawn", "quarantined", "errors", "warnings"),
    0,
)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOverviewTellsTheTruth:
    def test_datasets_are_the_live_ones_not_the_failed_records(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = turtle_catalogue(
            {n: turtle_record(n) for n in (1, 2)} | {3: turtle_record(3, TOO_LONG)}
        )
        source = harvest_source(url)
        run_harvest(source["id"], "vndata_dcat")
        dataset = helpers.call_action("package_search", q="*:*")["results"][0]
        # An operator deletes one of the harvested datasets on the national portal.
        sysadmin = {"user": factories.Sysadmin()["name"]}
        helpers.call_action("package_delete", sysadmin, id=dataset["id"])

        row = overview_row(source["id"])
        assert row["datasets"] == 1
        # The record with a title no dataset may have is held back (harvest policy).
        assert row["last_job"]["counts"]["quarantined"] == 1
        assert row["last_job"]["outcome"] == "review"

    def test_a_job_whose_every_record_failed_is_not_a_successful_harvest(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = turtle_catalogue(
            {n: turtle_record(n, title=f"{n} {TOO_LONG}") for n in (1, 2)}
        )
        source = harvest_source(url)

        run_harvest(source["id"], "vndata_dcat")

        row = overview_row(source["id"])
        assert row["datasets"] == 0
        assert row["last_successful_harvest"] is None
        assert row["last_job"]["outcome"] == "failed"
        assert row["last_job"]["failed"]

    def test_records_imported_with_messages_make_a_job_to_review(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2])
        important = {**SOURCE_CONFIG["defaults"], "data_importance_class": "quan_trong"}
        source = harvest_source(url, defaults=important)  # kept private, with a note

        run_harvest(source["id"], "vndata_dcat")

        job = overview_row(source["id"])["last_job"]
        assert job["counts"] == {**ZERO, "added": 2, "warnings": 2}
        assert job["outcome"] == "review"
        assert [len(r["messages"]) for r in job["records"]] == [1, 1]
        assert overview_row(source["id"])["last_successful_harvest"] is not None
