"""Template helpers of the harvest pages: a Vietnamese source's job in the overview's
words, nothing for other jobs, and record statuses as the operator reads them.

The job page that shows them is tested in test_views.py
(test_job_page_agrees_with_the_overview_and_names_records_by_title).
"""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckanext.harvest.model import HarvestJob, HarvestSource

from tests.harvester.helpers import TOO_LONG
from tests.harvester.sources import harvest_source, turtle_catalogue, turtle_record
from tests.helpers import run_harvest


def helper(name: str):
    return tk.h[name]


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures(
    "with_plugins", "clean_db", "clean_index", "with_request_context"
)
class TestJobReport:
    def test_a_vietnamese_job_is_reported_in_the_overviews_words(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = turtle_catalogue(
            {1: turtle_record(1), 2: turtle_record(2, title=TOO_LONG)}
        )
        source = harvest_source(url)
        run_harvest(source["id"], "vndata_dcat")
        job = HarvestJob.filter(source_id=source["id"]).one()

        report = helper("vndata_harvest_job_report")(job.id)

        assert report["job_id"] == job.id
        assert (report["counts"]["added"], report["counts"]["quarantined"]) == (1, 1)
        (held,) = report["records"]
        assert held["title"].startswith("Tập dữ liệu có tên quá dài")

    def test_jobs_of_other_harvesters_and_unknown_jobs_get_no_report(self):
        # ckanext-harvest's own CKAN harvester: its job page stays as it is.
        other = HarvestSource(url="http://127.0.0.1/api", type="ckan")
        other.save()
        job = HarvestJob(source=other)
        job.save()

        assert helper("vndata_harvest_job_report")(job.id) is None
        assert helper("vndata_harvest_job_report")("khong-co") is None
        assert helper("vndata_harvest_job_report")("' OR 1=1 --") is None


@pytest.mark.usefixtures("with_plugins", "with_request_context")
class TestStatusLabel:
    @pytest.mark.parametrize(
        ("status", "label"),
        [
            ("added", "thêm mới"),
            ("quarantined", "chờ xem xét"),
            ("errors", "không nhập được"),
            (None, "không nhập được"),
            ("", "không nhập được"),
        ],
    )
    def test_a_records_status_reads_as_the_operators_word(self, status, label):
        assert helper("vndata_harvest_status_label")(status) == label

    def test_an_unknown_status_is_shown_as_it_is(self):
        assert helper("vndata_harvest_status_label")("<b>la</b>") == "<b>la</b>"


@pytest.mark.usefixtures("with_plugins", "with_request_context")
class TestSourceFormHelpers:
    def test_config_errors_come_under_their_keys_the_whole_config_first(self):
        errors = helper("vndata_harvest_config_errors")(
            "vndata_dcat", '{"timeout": 0, "validation": "x"}'
        )
        whole = helper("vndata_harvest_config_errors")("vndata_ckan", "{oops")

        assert [key for key, _messages in errors] == ["timeout", "validation"]
        assert [key for key, _messages in whole] == [""]

    @pytest.mark.parametrize(
        ("source_type", "config"),
        [("csw", "{oops"), ("vndata_dcat", '{"timeout": 30}'), ("vndata_dcat", 5),
         (None, None), ("vndata_dcat", ["x"])],
    )  # fmt: skip
    def test_no_errors_for_a_good_config_another_type_or_no_text(
        self, source_type, config
    ):
        assert helper("vndata_harvest_config_errors")(source_type, config) == []

    def test_help_is_offered_for_our_types_only(self):
        helps = helper("vndata_harvest_config_help")(
            [{"name": "vndata_ckan"}, {"name": "csw"}, {"name": "vndata_dcat"}]
        )

        assert [h["type"] for h in helps] == ["vndata_ckan", "vndata_dcat"]
        assert "province_code" in helps[0]["example"]
        assert helps[1]["fields"][0]["name"] == "province_code"

    @pytest.mark.parametrize(
        ("config", "anchor"),
        [('{"province_code": "48"}', "tinh-48"), ("{oops", "tinh-khac"),
         (None, "tinh-khac"), ('{"province_code": "Quảng Nam"}', "tinh-48")],
    )  # fmt: skip
    def test_the_overview_anchor_is_the_source_s_province(self, config, anchor):
        assert helper("vndata_harvest_overview_anchor")({"config": config}) == anchor
