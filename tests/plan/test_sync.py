"""An item's status follows its datasets: created, updated, made private, deleted."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.vndata.lib import harvesting
from ckanext.vndata.plan import harvested, sync
from tests.factories import Item, VnDataset, walk
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import import_as, item_due_in_90_days, plan_record

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def item(agency):
    return item_due_in_90_days(agency)


def _status(agency, item):
    return call("vndata_plan_item_show", agency.editor, id=item["id"])["status"]


def test_dataset_naming_the_item_delivers_it(agency, item):
    VnDataset(owner_org=agency.org["id"], plan_item=item["key"])

    shown = call("vndata_plan_item_show", agency.editor, id=item["id"])

    assert shown["status"] == "published_on_time"
    assert shown["datasets"][0]["source"] == "field"


def test_dataset_may_name_the_item_by_its_id(agency, item):
    VnDataset(owner_org=agency.org["id"], plan_item=item["id"])

    assert _status(agency, item) == "published_on_time"


def test_making_the_dataset_private_takes_the_delivery_back(agency, item):
    dataset = VnDataset(owner_org=agency.org["id"], plan_item=item["key"])

    helpers.call_action(
        "package_patch",
        context={"user": factories.Sysadmin()["name"]},
        id=dataset["id"],
        private=True,
    )

    assert _status(agency, item) == "not_due"


def test_deleting_the_dataset_takes_the_delivery_back(agency, item):
    dataset = VnDataset(owner_org=agency.org["id"], plan_item=item["key"])

    helpers.call_action(
        "package_delete",
        context={"user": factories.Sysadmin()["name"]},
        id=dataset["id"],
    )

    assert _status(agency, item) == "not_due"


def test_changing_the_field_moves_the_link(agency, item):
    other = Item(plan_id=item["plan_id"], title="Điểm wifi")
    dataset = VnDataset(owner_org=agency.org["id"], plan_item=item["key"])

    helpers.call_action(
        "package_patch",
        context={"user": factories.Sysadmin()["name"]},
        id=dataset["id"],
        plan_item=other["key"],
    )

    assert _status(agency, item) == "not_due"
    assert _status(agency, other) == "published_on_time"


def test_snapshot_follows_a_new_resource(agency, item):
    dataset = VnDataset(
        owner_org=agency.org["id"],
        plan_item=item["key"],
        resources=[{"url": "http://x/a.pdf", "format": "PDF"}],
    )
    helpers.call_action(
        "resource_create",
        context={"user": factories.Sysadmin()["name"]},
        package_id=dataset["id"],
        url="http://x/api",
        format="JSON",
        access_type="api",
    )

    (link,) = call("vndata_plan_item_show", agency.editor, id=item["id"])["datasets"]

    assert (link["openness_stars"], link["machine_readable"], link["has_api"]) == (
        3,
        True,
        True,
    )


def test_links_survive_a_revision(agency, item, reviewer):
    VnDataset(owner_org=agency.org["id"], plan_item=item["key"])
    walk({"id": item["plan_id"]}, "published", agency)

    revision = call("vndata_plan_revise", agency.editor, id=item["plan_id"])

    assert revision["items"][0]["status"] == "published_on_time"


class TestDeliveryStaysWithinTheAgency:
    """A dataset delivers only its own agency's items, or items its agency cooperates
    on; the probe's editor of agency B delivered agency A's item with plan_item."""

    def _create(self, user: dict, **fields) -> dict:
        return VnDataset(user=user, **fields)

    def test_an_item_of_another_agency_is_refused(self, agency, other_agency, item):
        with pytest.raises(tk.ValidationError) as refused:
            self._create(
                other_agency.editor,
                owner_org=other_agency.org["id"],
                plan_item=item["key"],
            )

        assert "plan_item" in refused.value.error_dict
        assert _status(agency, item) == "not_due"

    def test_an_unknown_item_is_refused(self, other_agency):
        with pytest.raises(tk.ValidationError) as refused:
            self._create(
                other_agency.editor,
                owner_org=other_agency.org["id"],
                plan_item="khong-co-muc-nay",
            )

        assert "plan_item" in refused.value.error_dict

    def test_an_item_the_agency_cooperates_on_may_be_delivered(
        self, agency, other_agency
    ):
        plan = plan_in(agency)
        shared = Item(
            plan_id=plan["id"],
            title="Giá đất",
            cooperating_agencies=[other_agency.org["name"]],
        )

        self._create(
            other_agency.editor,
            owner_org=other_agency.org["id"],
            plan_item=shared["key"],
        )

        assert _status(agency, shared) == "published_on_time"

    def test_a_harvested_dataset_naming_a_foreign_item_is_kept_unlinked(
        self, agency, other_agency, item
    ):
        # A harvested record cannot be corrected by the portal: it is imported, and
        # only its own agency's items are delivered.
        with harvesting.importing_harvested_record():
            dataset = self._create(
                factories.Sysadmin(),
                owner_org=other_agency.org["id"],
                plan_item=item["key"],
                source_catalog_uri="http://127.0.0.1/catalog",
            )

        assert dataset["plan_item"] == item["key"]
        assert _status(agency, item) == "not_due"

    def test_an_api_user_naming_a_source_catalogue_is_still_refused(
        self, agency, other_agency, item
    ):
        # Only a harvester's import may store another agency's item as its portal
        # wrote it; a source_catalog_uri sent through the API does not make one.
        with pytest.raises(tk.ValidationError) as refused:
            self._create(
                other_agency.editor,
                owner_org=other_agency.org["id"],
                plan_item=item["key"],
                source_catalog_uri="https://example.org/catalog",
            )

        assert "plan_item" in refused.value.error_dict


class TestHarvestedItemsAreDeliveredOnlyByTheHarvest:
    """An item of a harvested plan is delivered only by the links its source portal's
    record lists; no dataset's plan_item field delivers it, whoever writes it (the
    reviewer's national sysadmin patched a dataset onto a Đà Nẵng item, and a record
    of a hostile source named a cooperating agency by title)."""

    def _harvested_item(self, source, agency, **item) -> dict:
        record = plan_record()
        record["items"][1].update(item)
        import_as(record, source, agency)
        (plan_id,) = harvested.series_of_source(source["id"]).values()
        return helpers.call_action("vndata_plan_show", id=plan_id)["items"][1]

    def test_a_sysadmin_patching_plan_item_is_refused_and_delivers_nothing(
        self, source, agency
    ):
        item = self._harvested_item(source, agency)
        dataset = VnDataset(owner_org=agency.org["id"])

        with pytest.raises(tk.ValidationError) as refused:
            helpers.call_action(
                "package_patch",
                {"user": factories.Sysadmin()["name"], "ignore_auth": False},
                id=dataset["id"],
                plan_item=item["key"],
            )

        assert (
            "harvested from another portal" in refused.value.error_dict["plan_item"][0]
        )
        assert not sync.has_links(dataset["id"])

    def test_a_harvested_record_naming_a_cooperating_agency_delivers_nothing(
        self, source, agency, other_agency
    ):
        item = self._harvested_item(
            source, agency, cooperating_agencies=[other_agency.org["title"]]
        )

        with harvesting.importing_harvested_record():
            dataset = VnDataset(
                user=factories.Sysadmin(),
                owner_org=other_agency.org["id"],
                plan_item=item["key"],
                source_catalog_uri="http://127.0.0.1/catalog",
            )
        with harvesting.importing_harvested_record():
            own = VnDataset(
                user=factories.Sysadmin(),
                owner_org=agency.org["id"],
                plan_item=item["key"],
                source_catalog_uri="http://127.0.0.1/catalog",
            )

        assert not sync.has_links(dataset["id"])
        assert not sync.has_links(own["id"])
        assert sync.resolve_item_key(item["key"], agency.org["id"]) is None


def test_field_names_says_whether_the_datasets_own_field_names_the_item(agency, item):
    named = VnDataset(owner_org=agency.org["id"], plan_item=item["key"])
    other = VnDataset(owner_org=agency.org["id"])

    assert sync.field_names(named["id"], item["key"])
    assert not sync.field_names(other["id"], item["key"])
    assert not sync.field_names("khong-co", item["key"])
