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
