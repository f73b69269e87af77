"""The national report's evaluation is reused only while nothing it reads changed
(plan/report_cache.py)."""

from __future__ import annotations

import datetime
import time

import pytest

from ckan.model import meta
from ckan.tests import factories, helpers

from ckanext.vndata.plan import report_cache
from ckanext.vndata.plan.model import Item, Phase
from tests.factories import VnDataset
from tests.plan.conftest import call, make_agency
from tests.plan.helpers import published_plan_with_items

AS_OF = "2025-07-01"


def _shown(plan: dict) -> dict:
    return helpers.call_action("vndata_plan_show", id=plan["id"])


def _report() -> dict:
    return call("vndata_compliance_report", None, as_of=AS_OF)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestReportCache:
    def test_an_unchanged_portal_is_evaluated_once(self, agency, evaluations):
        published_plan_with_items(agency)

        first, second = _report(), _report()

        assert first == second
        assert len(evaluations) == 1

    def test_each_date_and_reader_kind_has_its_own(self, agency, evaluations):
        published_plan_with_items(agency)

        _report()
        call("vndata_compliance_report", None, as_of="2025-12-31")

        assert len(evaluations) == 2

    def test_a_copy_changed_by_its_caller_leaves_the_next_report_alone(self, agency):
        published_plan_with_items(agency)
        first = _report()
        first["rows"][0]["planned"] = 999
        first["bodies"].clear()

        second = _report()

        assert second["rows"][0]["planned"] == 3
        assert second["bodies"]

    def test_a_dataset_delivering_an_item_shows_at_once(self, agency):
        plan = _shown(published_plan_with_items(agency))
        before = _report()["rows"][0]["published"]
        waiting = next(i for i in plan["items"] if not i["datasets"])

        VnDataset(
            owner_org=agency.org["id"], plan_item=waiting["key"], issued="2025-06-15"
        )

        assert _report()["rows"][0]["published"] == before + 1

    @pytest.mark.ckan_config("ckanext.vndata.plan.report_reuse_seconds", 30)
    def test_a_visitor_may_read_an_answer_younger_than_the_setting(
        self, agency, evaluations, monkeypatch
    ):
        plan = _shown(published_plan_with_items(agency))
        before = _report()["rows"][0]["published"]
        waiting = next(i for i in plan["items"] if not i["datasets"])
        VnDataset(
            owner_org=agency.org["id"], plan_item=waiting["key"], issued="2025-06-15"
        )

        # A visitor, within the 30 s: the answer kept, not evaluated again.
        assert _report()["rows"][0]["published"] == before
        # Signed in: always the current one.
        officer = call("vndata_compliance_report", agency.admin, as_of=AS_OF)
        assert officer["rows"][0]["published"] == before + 1
        # 31 s later the visitor has it too.
        later = time.monotonic() + 31
        monkeypatch.setattr(report_cache.time, "monotonic", lambda: later)
        assert _report()["rows"][0]["published"] == before + 1
        # The first, and the officer's, which the visitor then shares (same key,
        # nothing changed since).
        assert len(evaluations) == 2

    def test_an_item_changed_moves_the_stamp(self, agency):
        plan = _shown(published_plan_with_items(agency))
        stamp = report_cache.stamp()

        item = Item.get(plan["items"][0]["id"])
        item.target_date = datetime.date(2025, 12, 31)
        meta.Session.commit()

        assert report_cache.stamp() != stamp

    def test_a_phase_level_changed_moves_the_stamp(self, agency):
        plan = _shown(published_plan_with_items(agency))
        stamp = report_cache.stamp()

        phase = Phase.get(plan["phases"][0]["id"])
        phase.min_datasets = 3
        meta.Session.commit()

        assert report_cache.stamp() != stamp

    def test_an_organization_moved_to_another_province_shows_at_once(self, agency):
        published_plan_with_items(agency)
        before = _report()
        assert any(b["code"] == "48" and b["plans"] for b in before["bodies"])

        call(
            "organization_patch",
            factories.Sysadmin(),
            id=agency.org["id"],
            province_code="46",
        )

        after = _report()
        assert any(b["code"] == "46" and b["plans"] for b in after["bodies"])
        assert not any(b["code"] == "48" and b["plans"] for b in after["bodies"])

    def test_a_roster_edit_shows_at_once(self, agency, evaluations):
        published_plan_with_items(agency)
        make_agency("Bộ Y tế", "01", agency_code="G18", agency_level="trung_uong")
        _report()

        helpers.call_action(
            "vndata_roster_body_update", code="G18", title="Bộ Y tế (đổi tên)"
        )

        titles = {b["code"]: b["title"] for b in _report()["bodies"]}
        assert titles["G18"] == "Bộ Y tế (đổi tên)"
        assert len(evaluations) == 2

    @pytest.mark.parametrize("action", ["bulk_update_private", "bulk_update_delete"])
    def test_a_bulk_change_on_the_organization_page_shows_at_once(self, agency, action):
        # CKAN's bulk actions write the package table alone: no hook, no new
        # metadata_modified, no rescore; the public datasets counted must follow.
        published_plan_with_items(agency)
        VnDataset(owner_org=agency.org["id"])
        hidden = VnDataset(owner_org=agency.org["id"])
        before = _report()["headline"]["quality"]["datasets"]
        stamp = report_cache.stamp()

        call(action, agency.admin, datasets=[hidden["id"]], org_id=agency.org["id"])

        assert report_cache.stamp() != stamp
        assert _report()["headline"]["quality"]["datasets"] == before - 1
