"""The dataset links of harvested plans: resolved now, waiting, removed."""

from __future__ import annotations

import pytest

from ckan.tests import helpers

from ckanext.vndata.plan import harvested
from tests.harvester.sources import harvest_source
from tests.plan.helpers import TRUONG_HOC, import_as, plan_record

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _shown(plan_id: str) -> dict:
    return helpers.call_action("vndata_plan_show", id=plan_id)


class _Shows:
    """What link_waiting is given to show the dataset, counting its calls."""

    def __init__(self, package_id: str):
        self.package_id = package_id
        self.calls = 0

    def __call__(self) -> dict:
        self.calls += 1
        return helpers.call_action("package_show", id=self.package_id)


class TestLinks:
    def test_a_resolved_dataset_delivers_its_item(self, source, agency, national_copy):
        import_as(
            plan_record(), source, agency, {TRUONG_HOC["uri"]: national_copy["id"]}
        )

        (plan_id,) = harvested.series_of_source(source["id"]).values()
        item = _shown(plan_id)["items"][0]
        assert [d["package_id"] for d in item["datasets"]] == [national_copy["id"]]
        assert item["datasets"][0]["source"] == "harvest"
        assert item["datasets"][0]["is_public"] is True

    def test_a_dataset_harvested_later_is_linked_then(
        self, source, agency, national_copy
    ):
        import_as(plan_record(), source, agency)
        (plan_id,) = harvested.series_of_source(source["id"]).values()
        assert _shown(plan_id)["items"][0]["datasets"] == []

        shows = _Shows(national_copy["id"])
        harvested.link_waiting(source["id"], ["other", TRUONG_HOC["uri"]], shows)

        assert shows.calls == 1
        item = _shown(plan_id)["items"][0]
        assert [d["package_id"] for d in item["datasets"]] == [national_copy["id"]]
        # and the next harvest of the same record finds nothing to change
        known = {TRUONG_HOC["uri"]: national_copy["id"]}
        assert import_as(plan_record(), source, agency, known) == "unchanged"

    def test_a_link_of_another_source_is_not_taken(self, source, agency, national_copy):
        import_as(plan_record(), source, agency)
        other = harvest_source("https://dulieu.hue.gov.vn/catalog.ttl", name="hue")
        shows = _Shows(national_copy["id"])

        harvested.link_waiting(other["id"], [TRUONG_HOC["uri"]], shows)

        (plan_id,) = harvested.series_of_source(source["id"]).values()
        assert _shown(plan_id)["items"][0]["datasets"] == []
        assert shows.calls == 0, "the dataset was shown with no item waiting for it"

    def test_a_link_gone_at_the_source_is_removed(self, source, agency, national_copy):
        known = {TRUONG_HOC["uri"]: national_copy["id"]}
        import_as(plan_record(), source, agency, known)
        record = plan_record()
        record["items"][0]["datasets"] = []

        assert import_as(record, source, agency, known) == "updated"

        (plan_id,) = harvested.series_of_source(source["id"]).values()
        assert _shown(plan_id)["items"][0]["datasets"] == []

    def test_links_carry_over_to_a_new_version(self, source, agency, national_copy):
        known = {TRUONG_HOC["uri"]: national_copy["id"]}
        import_as(plan_record(), source, agency, known)

        import_as(plan_record(version=2), source, agency, known)

        (plan_id,) = harvested.series_of_source(source["id"]).values()
        item = _shown(plan_id)["items"][0]
        assert [d["package_id"] for d in item["datasets"]] == [national_copy["id"]]
