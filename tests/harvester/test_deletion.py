"""A provincial portal that misbehaves never makes the national portal lose data."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.tests import helpers

from ckanext.vndata.harvester import deletion
from tests.harvester.helpers import catalogue, gather_errors
from tests.harvester.sources import harvest_source, newest_job_report
from tests.helpers import run_harvest


def _source(url: str, **deletion) -> dict:
    return harvest_source(url, deletion={"grace_days": 0, **deletion})


def _active() -> int:
    return helpers.call_action("package_search", q="*:*")["count"]


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestWithdrawal:
    def test_missing_record_is_withdrawn_under_the_threshold(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2, 3, 4, 5])
        source = _source(url, max_share=0.2)
        run_harvest(source["id"], "vndata_dcat")
        handler.body = catalogue([1, 2, 3, 4])

        run_harvest(source["id"], "vndata_dcat")  # marked missing
        run_harvest(source["id"], "vndata_dcat")  # grace 0 days: withdrawn

        assert _active() == 4

    def test_missing_record_waits_for_the_grace_period(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2, 3, 4, 5])
        source = _source(url, max_share=0.2, grace_days=7)
        run_harvest(source["id"], "vndata_dcat")
        handler.body = catalogue([1, 2, 3, 4])

        run_harvest(source["id"], "vndata_dcat")
        run_harvest(source["id"], "vndata_dcat")

        assert _active() == 5

    def test_record_back_in_the_catalogue_is_no_longer_missing(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2, 3, 4, 5])
        source = _source(url, max_share=0.2)
        run_harvest(source["id"], "vndata_dcat")
        handler.body = catalogue([1, 2, 3, 4])
        run_harvest(source["id"], "vndata_dcat")
        handler.body = catalogue([1, 2, 3, 4, 5])

        run_harvest(source["id"], "vndata_dcat")
        handler.body = catalogue([1, 2, 3, 4])
        run_harvest(source["id"], "vndata_dcat")  # missing again: a new grace period

        assert _active() == 5

    def test_too_many_missing_withdraws_nothing(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2, 3, 4, 5])
        source = _source(url, max_share=0.2)
        run_harvest(source["id"], "vndata_dcat")
        handler.body = catalogue([1, 2])

        run_harvest(source["id"], "vndata_dcat")
        run_harvest(source["id"], "vndata_dcat")

        assert _active() == 5
        missing = "3 trên 5 tập dữ liệu không còn trong danh mục"
        assert any(missing in e for e in gather_errors(source["id"]))

    def test_empty_catalogue_withdraws_nothing(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2, 3])
        source = _source(url, max_share=1.0)
        run_harvest(source["id"], "vndata_dcat")
        handler.body = catalogue([])

        run_harvest(source["id"], "vndata_dcat")
        run_harvest(source["id"], "vndata_dcat")

        assert _active() == 3
        empty = "Danh mục không liệt kê tập dữ liệu nào"
        assert any(empty in e for e in gather_errors(source["id"]))

    def test_looping_next_page_withdraws_nothing(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2, 3])
        source = _source(url, max_share=1.0)
        run_harvest(source["id"], "vndata_dcat")
        handler.body = b""
        handler.pages = {"/catalog.ttl": catalogue([1], next_page=url)}

        run_harvest(source["id"], "vndata_dcat")
        run_harvest(source["id"], "vndata_dcat")

        assert _active() == 3
        assert any(
            "lặp lại một trang trước đó" in e for e in gather_errors(source["id"])
        )

    def test_failed_page_withdraws_nothing(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2, 3])
        source = _source(url, max_share=1.0)
        run_harvest(source["id"], "vndata_dcat")
        broken = url.replace("catalog.ttl", "page2.ttl")
        handler.pages = {"/catalog.ttl": catalogue([1], next_page=broken)}

        run_harvest(source["id"], "vndata_dcat")
        run_harvest(source["id"], "vndata_dcat")

        assert _active() == 3
        assert any("Không đọc được trang" in e for e in gather_errors(source["id"]))

    def test_next_page_on_a_private_address_is_refused(self, catalogue_server):
        handler, url = catalogue_server
        handler.pages = {
            "/catalog.ttl": catalogue([1], next_page="http://10.0.0.5/catalog.ttl")
        }
        source = _source(url, max_share=1.0)

        run_harvest(source["id"], "vndata_dcat")

        assert any("10.0.0.5" in e for e in gather_errors(source["id"]))


def catalogue_with_a_bad_record(ids: list[int], bad: int) -> bytes:
    """``catalogue(ids)`` where record ``bad`` gives an IRI for a boolean literal."""
    vndata = "@prefix vndata: <https://w3id.org/vndata/ns#> .\n"
    body = vndata + catalogue(ids).decode("utf-8")
    body += f"""<http://127.0.0.1/ds/{bad}>
    dcat:distribution <http://127.0.0.1/ds/{bad}/api> .
<http://127.0.0.1/ds/{bad}/api> a dcat:Distribution ;
    dcat:accessURL <http://127.0.0.1/api/{bad}> ;
    vndata:authRequired <http://127.0.0.1/dang-nhap> .
"""
    return body.encode("utf-8")


def _pages_remembered(source_id: str) -> list[list[str]]:
    rows = model.Session.execute(
        sa.text("SELECT guids FROM vndata_harvester_page WHERE source_id = :id"),
        {"id": source_id},
    )
    return sorted(json.loads(guids) for (guids,) in rows)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestMalformedRecord:
    def test_a_malformed_record_is_quarantined_and_withdraws_nothing(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        ids = list(range(1, 11))
        handler.body = catalogue(ids)
        source = _source(url, max_share=1.0)
        first = run_harvest(source["id"], "vndata_dcat")
        assert [o.state for o in first] == ["COMPLETE"] * 10
        remembered = _pages_remembered(source["id"])
        handler.body = catalogue_with_a_bad_record(ids, bad=5)

        reports = []
        for _run in range(3):  # runs 2, 3 and 4
            run_harvest(source["id"], "vndata_dcat")
            reports.append(newest_job_report(source["id"]))

        assert _active() == 10  # nothing withdrawn, dataset 5 kept as it was
        for report in reports:
            assert report["counts"]["quarantined"] == 1
            assert report["counts"]["withdrawn"] == 0
            assert report["counts"]["added"] + report["counts"]["updated"] == 0
            assert report["counts"]["unchanged"] == 9
            (held,) = report["records"]
            assert held["guid"].endswith("/ds/5")
            assert held["status"] == "quarantined"
            assert "vndata:authRequired" in held["messages"][0]
        assert _pages_remembered(source["id"]) == remembered  # the page is not


@pytest.mark.usefixtures("with_plugins")
class TestPlanRefusal:
    def test_plans_are_refused_in_words_of_plans(self):
        empty = deletion.refusal(2, 2, 0, 0.2, plans=True)
        too_many = deletion.refusal(4, 2, 2, 0.2, plans=True)

        assert "no published plan" in empty
        assert "2 of 4 plans are missing" in too_many

    def test_under_the_limit_plans_may_be_withdrawn(self):
        assert deletion.refusal(4, 1, 3, 0.5, plans=True) is None

    def test_a_source_with_few_plan_series_may_withdraw_one_a_run(self):
        # 1 of 3 is over 20%, yet a source of fewer than 5 series could otherwise
        # never have one withdrawn (review finding 11)
        assert deletion.refusal(3, 1, 2, 0.2, plans=True) is None
        assert deletion.refusal(1, 1, 1, 0.2, plans=True) is None  # replaced
        assert "2 of 3 plans" in deletion.refusal(3, 2, 1, 0.2, plans=True)

    def test_datasets_keep_the_share_alone(self):
        assert deletion.refusal(3, 1, 2, 0.2) is not None
