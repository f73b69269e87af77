"""A private dataset linked to a plan item shows only to those who may read it.

The probe's case: an editor of agency A linked an item of A's published plan to a
private dataset of agency B; visitors then saw its title on the plan page, its id in
the .csv and .json, and who linked it. Linking now needs read access to the dataset
and a dataset of the item's agency (or of an agency cooperating on the item); and a
linked dataset the reader may not see is "a dataset not yet public", without title or
id, on every page and export.
"""

from __future__ import annotations

import json

import pytest

from ckan import model
from ckan.tests import factories, helpers

from tests.factories import Item, VnDataset, walk
from tests.helpers import token_headers
from tests.plan.conftest import call, plan_in

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SECRET_TITLE = "Hồ sơ nội bộ chưa công bố"


@pytest.fixture
def published_item(agency):
    plan = plan_in(agency)
    item = Item(
        plan_id=plan["id"], cooperating_agencies=["Sở Khoa học và Công nghệ Huế"]
    )
    walk(plan, "published", agency)
    return item


def _private_dataset(owner: dict) -> dict:
    return VnDataset(owner_org=owner["id"], private=True, title=SECRET_TITLE)


class TestLinking:
    def test_a_dataset_the_editor_may_not_read_is_refused(
        self, app, agency, published_item
    ):
        third = factories.Organization()
        dataset = _private_dataset(third)

        response = app.post(
            "/api/3/action/vndata_plan_item_link",
            json={"id": published_item["id"], "package_id": dataset["id"]},
            headers=token_headers(agency.editor),
            status=409,
        )

        assert "package_id" in response.json["error"]
        shown = call("vndata_plan_item_show", agency.editor, id=published_item["id"])
        assert shown["datasets"] == []

    def test_a_dataset_of_an_agency_outside_the_item_is_refused(
        self, app, agency, published_item
    ):
        # The linking user may read it (a sysadmin), but it is a third agency's.
        dataset = VnDataset(owner_org=factories.Organization()["id"])

        response = app.post(
            "/api/3/action/vndata_plan_item_link",
            json={"id": published_item["id"], "package_id": dataset["id"]},
            headers=token_headers(factories.Sysadmin()),
            status=409,
        )

        assert "package_id" in response.json["error"]

    def test_a_dataset_of_a_cooperating_agency_may_deliver(
        self, agency, other_agency, published_item
    ):
        dataset = VnDataset(owner_org=other_agency.org["id"])

        linked = call(
            "vndata_plan_item_link",
            factories.Sysadmin(),
            id=published_item["id"],
            package_id=dataset["id"],
        )

        assert [d["package_id"] for d in linked["datasets"]] == [dataset["id"]]


@pytest.fixture
def linked_private(agency, published_item):
    """A private dataset of the agency, linked by its editor (who may read it)."""
    dataset = _private_dataset(agency.org)
    call(
        "vndata_plan_item_link",
        agency.editor,
        id=published_item["id"],
        package_id=dataset["id"],
    )
    return dataset


class TestWhatVisitorsSee:
    def test_plan_page_shows_a_dataset_not_yet_public(
        self, app, published_item, linked_private
    ):
        page = app.get(f"/ke-hoach/{published_item['plan_id']}").body

        assert SECRET_TITLE not in page
        assert linked_private["id"] not in page
        assert linked_private["name"] not in page
        assert "tập dữ liệu chưa công khai" in page

    @pytest.mark.parametrize("fmt", ["csv", "json", "ttl"])
    def test_exports_hold_neither_its_id_nor_usernames(
        self, app, agency, published_item, linked_private, fmt
    ):
        body = app.get(f"/ke-hoach/{published_item['plan_id']}.{fmt}").body

        assert linked_private["id"] not in body
        assert linked_private["name"] not in body
        assert agency.editor["name"] not in body
        assert agency.admin["name"] not in body

    def test_json_export_marks_the_link_hidden(
        self, app, published_item, linked_private
    ):
        plan = json.loads(app.get(f"/ke-hoach/{published_item['plan_id']}.json").body)

        (link,) = plan["items"][0]["datasets"]
        assert link["hidden"] is True
        assert link["package_id"] is None
        assert "linked_by" not in link
        assert all(event["user_id"] is None for event in plan["history"])

    def test_the_agency_still_sees_it(self, agency, published_item, linked_private):
        shown = call("vndata_plan_item_show", agency.member, id=published_item["id"])

        (link,) = shown["datasets"]
        assert (link["package_id"], link["linked_by"]) == (
            linked_private["id"],
            agency.editor["name"],
        )

    def test_a_public_dataset_shows_to_visitors(self, app, agency, published_item):
        dataset = VnDataset(owner_org=agency.org["id"], plan_item=published_item["key"])

        body = app.get(f"/ke-hoach/{published_item['plan_id']}.csv").body

        assert dataset["id"] in body

    def test_a_dataset_made_private_in_bulk_disappears(
        self, app, agency, published_item
    ):
        """CKAN's bulk_update_private changes rows without the hooks that refresh the
        link's snapshot: the reader's access decides, not the snapshot."""
        dataset = VnDataset(
            owner_org=agency.org["id"], plan_item=published_item["key"],
            title=SECRET_TITLE,
        )  # fmt: skip
        helpers.call_action(
            "bulk_update_private", context={"user": agency.admin["name"]},
            datasets=[dataset["id"]], org_id=agency.org["id"],
        )  # fmt: skip
        model.Session.remove()  # a later request: its own session, not this one's rows

        page = app.get(f"/ke-hoach/{published_item['plan_id']}").body
        body = app.get(f"/ke-hoach/{published_item['plan_id']}.csv").body

        assert SECRET_TITLE not in page
        assert dataset["id"] not in body

    def test_compliance_report_names_no_dataset(
        self, app, published_item, linked_private
    ):
        report = helpers.call_action("vndata_compliance_report", context={"user": ""})

        assert linked_private["id"] not in json.dumps(report)
