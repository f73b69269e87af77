"""Every field of the Vietnamese schemas survives create -> show."""

from __future__ import annotations

import pathlib

import pytest
import yaml

from ckan.tests import helpers

from tests.factories import Item, Plan
from tests.helpers import REPO_ROOT
from tests.metadata.helpers import (
    FULL_DATASET,
    FULL_RESOURCE,
    HARVESTED,
    SCHEMA,
    vn_dataset,
)

COMPUTED = {"next_update_due", "openness_stars", "private", "owner_org"}
EXPECTED_STORED = {
    "tag_string": None,
    "contact_phone": "02363822111",
}


def test_round_trip_data_covers_every_schema_field():
    fields = {f["field_name"] for f in SCHEMA["dataset_fields"]} - COMPUTED - HARVESTED
    resource_fields = {f["field_name"] for f in SCHEMA["resource_fields"]} - {
        "openness_stars"
    }

    assert fields == set(FULL_DATASET)
    assert resource_fields == set(FULL_RESOURCE)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCreateShowRoundTrip:
    @pytest.fixture
    def plan_item(self, organization):
        # plan_item must name an item the dataset's agency may deliver.
        return Item(plan_id=Plan(organization_id=organization["id"])["id"])["key"]

    @pytest.fixture
    def shown(self, sysadmin_context, organization, plan_item):
        full = {**FULL_DATASET, "plan_item": plan_item}
        created = helpers.call_action(
            "package_create",
            context=sysadmin_context(),
            **vn_dataset(organization["id"], **full, resources=[FULL_RESOURCE]),
        )
        return helpers.call_action("package_show", id=created["id"])

    @pytest.mark.parametrize("field", sorted(set(FULL_DATASET) - set(EXPECTED_STORED)))
    def test_dataset_field_is_kept(self, shown, plan_item, field):
        expected = plan_item if field == "plan_item" else FULL_DATASET[field]
        assert shown[field] == expected

    def test_tags_are_kept(self, shown):
        assert sorted(t["name"] for t in shown["tags"]) == ["giáo dục", "trường học"]

    def test_phone_is_kept_in_compact_form(self, shown):
        assert shown["contact_phone"] == EXPECTED_STORED["contact_phone"]

    @pytest.mark.parametrize("field", sorted(FULL_RESOURCE))
    def test_resource_field_is_kept(self, shown, field):
        assert shown["resources"][0][field] == FULL_RESOURCE[field]

    def test_computed_fields_are_filled_in(self, shown):
        assert shown["next_update_due"] == "2025-09-30"
        assert shown["openness_stars"] == 3
        assert shown["resources"][0]["openness_stars"] == 3


def test_schema_labels_are_bilingual():
    path = pathlib.Path(REPO_ROOT / "schemas")
    for schema_file in path.glob("vndata_*.yaml"):
        schema = yaml.safe_load(schema_file.read_text())
        fields = (
            schema.get("dataset_fields", [])
            + schema.get("resource_fields", [])
            + schema.get("fields", [])
        )
        for field in fields:
            assert set(field["label"]) == {"vi", "en"}, (schema_file.name, field)
