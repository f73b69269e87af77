"""Job counts, the province overview and `ckan vndata-harvest run`."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from tests.harvester.test_deletion import catalogue
from tests.harvester.test_records import _source
from tests.helpers import run_harvest


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestReport:
    def test_job_counts_name_every_outcome(self, catalogue_server):
        handler, url = catalogue_server
        source = _source(url, deletion={"grace_days": 0, "max_share": 0.5})
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

    def test_overview_lists_each_source_by_province_with_its_last_success(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = catalogue([1])
        source = _source(url)
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
    ("added", "updated", "unchanged", "withdrawn", "quarantined", "errors"), 0
)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestRunCommand:
    def test_run_imports_with_progress_and_exits_zero(self, catalogue_server, cli):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2])
        source = _source(url)

        result = cli.invoke(ckan, ["vndata-harvest", "run", source["name"]])

        assert result.exit_code == 0, result.output
        assert "thêm mới 2, cập nhật 0" in result.output
        assert helpers.call_action("package_search")["count"] == 2

    def test_run_of_a_failing_source_exits_non_zero_and_says_why(
        self, catalogue_server, cli
    ):
        handler, url = catalogue_server
        handler.pages = {"/khac": b""}  # 404 for the catalogue
        source = _source(url)

        result = cli.invoke(ckan, ["vndata-harvest", "run", source["id"]])

        assert result.exit_code == 1
        assert "404" in result.output

    def test_run_of_an_unknown_source_is_refused(self, cli):
        result = cli.invoke(ckan, ["vndata-harvest", "run", "khong-co"])

        assert result.exit_code != 0
        assert "khong-co" in result.output
