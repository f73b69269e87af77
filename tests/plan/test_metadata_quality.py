"""The plans' "% complete metadata" level counts the datasets rated at least
``ckanext.vndata.quality.complete_rating`` (plan/metadata_quality.py), read when the
plan is evaluated: a rescore that writes no dataset moves the level too."""

from __future__ import annotations

import datetime
import re

import pytest

from ckan.tests import factories

from ckanext.vndata.plan import metadata_quality
from ckanext.vndata.quality.tally import Tally
from tests.factories import Item, Phase, VnDataset, walk
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import clear_score, store_score, store_snapshot, tally_rated

LEVEL = "min_percent_complete_metadata"


def _plan_of_two_items(agency) -> tuple[dict, dict, dict]:
    """A published plan whose 2025 phase (ended) asks 100% complete metadata, its two
    items each delivered by a public dataset."""
    plan = plan_in(agency)
    phase = Phase(plan_id=plan["id"], label="Giai đoạn 2025", **{LEVEL: 100})
    datasets = []
    for title in ("Danh sách trường học", "Giá đất"):
        item = Item(
            plan_id=plan["id"], title=title, target_date="2025-06-30",
            phase_id=phase["id"],
        )  # fmt: skip
        datasets.append(
            VnDataset(
                owner_org=agency.org["id"], plan_item=item["key"], issued="2025-06-01"
            )
        )
    walk(plan, "published", agency)
    return plan, datasets[0], datasets[1]


def _level(plan: dict) -> dict:
    result = call("vndata_plan_compliance", None, id=plan["id"], as_of="2026-01-15")
    (phase,) = result["phases"]
    return next(level for level in phase["levels"] if level["level"] == LEVEL)


def _report_level(agency) -> bool | None:
    report = call("vndata_compliance_report", None, as_of="2026-01-15")
    (row,) = [r for r in report["rows"] if r["organization_id"] == agency.org["id"]]
    return row["levels"][LEVEL]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCompleteMetadataLevel:
    def test_the_level_follows_the_ratings_and_a_rescore_alone(self, agency):
        plan, first, second = _plan_of_two_items(agency)
        store_score(first, "good")
        store_score(second, "sufficient")

        level = _level(plan)
        assert (level["measured"], level["verdict"]) == (50.0, "fail")
        assert level["items"] == ["2"]
        assert _report_level(agency) is False

        # A link check or a SHACL job rescores the dataset: the score row changes,
        # the dataset and its plan link are not written.
        store_score(second, "excellent")

        level = _level(plan)
        assert (level["measured"], level["verdict"]) == (100.0, "pass")
        assert _report_level(agency) is True, "the report's cache must follow"

        store_score(first, "bad")
        assert _level(plan)["verdict"] == "fail"
        assert _report_level(agency) is False

    def test_a_dataset_never_scored_is_not_complete(self, agency):
        plan, first, second = _plan_of_two_items(agency)
        store_score(first, "excellent")
        clear_score(second)

        assert _level(plan)["measured"] == 50.0

    @pytest.mark.ckan_config("ckanext.vndata.quality.complete_rating", "sufficient")
    def test_the_configured_rating_is_the_bar(self, agency):
        plan, first, second = _plan_of_two_items(agency)
        store_score(first, "sufficient")
        store_score(second, "good")

        assert _level(plan)["verdict"] == "pass"
        assert metadata_quality.complete_ratings()[-1] == "sufficient"

    def test_the_plan_page_names_the_bar_and_shows_each_datasets_rating(
        self, app, agency
    ):
        plan, first, second = _plan_of_two_items(agency)
        store_score(first, "good")
        store_score(second, "bad")

        page = app.get(f"/ke-hoach/{plan['id']}").body
        english = app.get(f"/en/ke-hoach/{plan['id']}").body

        assert "% tập dữ liệu có siêu dữ liệu đạt mức Tốt trở lên" in page
        assert "đạt mức Tốt trở lên (từ 221 điểm)" in page
        assert re.search(r'vndata-quality-good"[^>]*>Tốt</span>', page)
        assert re.search(r'vndata-quality-bad"[^>]*>Kém</span>', page)
        assert "% of datasets whose metadata is rated Good or better" in english
        assert "min_percent_complete_metadata" not in page

    def test_the_api_gives_each_link_its_rating_now(self, agency):
        plan, first, second = _plan_of_two_items(agency)
        store_score(first, "sufficient")
        store_score(first, "good")
        store_score(second, "bad")

        shown = call("vndata_plan_show", agency.editor, id=plan["id"])
        links = [link for item in shown["items"] for link in item["datasets"]]
        by_id = {link["package_id"]: link for link in links}
        assert by_id[first["id"]]["quality_rating"] == "good"
        assert by_id[first["id"]]["metadata_complete"] is True
        assert by_id[second["id"]]["quality_rating"] == "bad"
        assert by_id[second["id"]]["metadata_complete"] is False

        clear_score(second)
        shown = call("vndata_plan_show", agency.editor, id=plan["id"])
        links = [link for item in shown["items"] for link in item["datasets"]]
        unscored = next(link for link in links if link["package_id"] == second["id"])
        assert (unscored["quality_rating"], unscored["metadata_complete"]) == (
            None,
            False,
        )

    @pytest.mark.parametrize("setting", ["Good", " good ", "tốt", "", None, "nonsense"])
    def test_a_setting_that_is_no_rating_falls_back_to_good_not_a_500(
        self, app, agency, ckan_config, monkeypatch, setting
    ):
        monkeypatch.setitem(ckan_config, metadata_quality.COMPLETE_RATING, setting)
        plan, first, second = _plan_of_two_items(agency)
        store_score(first, "good")
        store_score(second, "sufficient")

        assert metadata_quality.complete_ratings() == ("excellent", "good")
        assert _level(plan)["measured"] == 50.0
        assert app.get(f"/ke-hoach/{plan['id']}").status_code == 200
        assert app.get("/ke-hoach/tong-hop").status_code == 200
        shown = call("vndata_plan_show", agency.editor, id=plan["id"])
        assert shown["id"] == plan["id"]


class TestSummaries:
    def test_a_group_without_a_scored_dataset_has_no_rating(self):
        assert metadata_quality.summary(Tally())["rating"] is None
        assert metadata_quality.labelled(metadata_quality.summary(Tally()))["text"] == (
            "—"
        )

    def test_bodies_add_up_their_organizations(self):
        good, bad = tally_rated("good"), tally_rated("bad")
        total = metadata_quality.summed([good, bad])
        assert total.datasets == 2
        summary = metadata_quality.summary(total)
        assert summary["points"] == round((good.total() + bad.total()) / 2)


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestTrend:
    def test_the_trend_reads_the_daily_snapshots(self):
        org = factories.Organization()
        today = datetime.date(2026, 11, 30)
        store_snapshot(org["id"], today - datetime.timedelta(days=1), "bad")
        store_snapshot(org["id"], today, "good")
        store_snapshot(org["id"], today - datetime.timedelta(days=400), "excellent")

        trend = metadata_quality.trend([org["id"]], today)

        assert trend["days"] == ["2026-11-29", "2026-11-30"]
        assert trend["points"] == [
            tally_rated("bad").total(),
            tally_rated("good").total(),
        ]
        assert metadata_quality.trend(["someone-else"], today)["points"] == []
