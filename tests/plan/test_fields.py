"""The field registry is the one home of each plan field, minimum level and link fact.

These tests keep the promise of plan/fields.py: adding a minimum level there (and its
column in a migration) is enough for the model, the schema, the forms, the workbook, the
template labels, compliance and dictization to carry it.
"""

from __future__ import annotations

import dataclasses
import datetime

import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan.model import meta

from ckanext.vndata.plan import compliance, dictization, fields, helpers, sync
from ckanext.vndata.plan.excel import columns
from ckanext.vndata.plan.logic import schema
from ckanext.vndata.plan.model import DatasetLink, Item, Phase, Plan
from ckanext.vndata.plan.views import forms

# Columns the system fills in, not fields anyone types.
SYSTEM = {
    Plan: {"id", "series_id", "version", "organization_id", "status"}
    | {"creator_user_id", "created", "modified", "next_review_date"}
    # where a harvested plan comes from (plan/harvested.py)
    | {"harvest_source_id", "remote_id", "remote_series_id", "remote_url"}
    | {"fingerprint", "harvested_at", "remote_publisher", "remote_publisher_code"},
    Phase: {"id", "plan_id"},
    # remote_key: the key the source gave a harvested item (its key here is derived)
    Item: {"id", "key", "remote_key", "plan_id", "created", "modified"},
}
PARTS = {Plan: fields.PLAN, Phase: fields.PHASE, Item: fields.ITEM}
LEVELS = [level.key for level in fields.LEVELS]


@pytest.mark.parametrize("table", [Plan, Phase, Item], ids=lambda t: t.__name__)
def test_every_column_of_a_part_is_a_registered_field_or_a_system_column(table):
    registered = {f.key for f in PARTS[table]}

    assert set(table.__table__.columns.keys()) == registered | SYSTEM[table]


def test_keys_are_unique_within_each_part():
    for part in (fields.PLAN, fields.PHASE, fields.ITEM, fields.LINK_FACTS):
        keys = [f.key for f in part]
        assert len(keys) == len(set(keys))


@pytest.mark.parametrize("level", LEVELS)
class TestEveryLevelIsCarriedEverywhere:
    def test_it_is_a_phase_column_of_the_right_type(self, level):
        column = Phase.__table__.columns[level]
        kind = fields.LEVEL_BY_KEY[level].kind

        assert isinstance(column.type, sa.Float if kind == "percent" else sa.Integer)
        assert column.nullable

    def test_the_phase_schemas_check_it(self, level):
        assert level in schema.vndata_plan_phase_create()
        assert level in schema.vndata_plan_phase_update()

    def test_it_is_a_column_of_the_phase_sheet(self, level):
        assert level in dict(columns.PHASE_COLUMNS)

    def test_it_is_on_the_phase_form_with_a_label(self, level):
        assert (level, "number") in forms.PHASE_FIELDS
        assert fields.labels()[level]

    def test_compliance_measures_it(self, level):
        phase = compliance.PhaseFacts(
            "p1", "1", 0, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31),
            {key: 1 for key in LEVELS},
        )  # fmt: skip
        as_of = datetime.date(2025, 6, 1)
        results = compliance.evaluate_phase(phase, [phase], [], as_of)

        assert [r.level for r in results] == LEVELS
        assert fields.LEVEL_BY_KEY[level].report_label

    def test_it_is_documented_in_the_phase_action(self, level):
        from ckanext.vndata.plan.logic.action import parts

        assert f":param {level}:" in parts.vndata_plan_phase_create.__doc__


@pytest.mark.usefixtures("with_plugins")
def test_level_labels_are_translated(app):
    with app.flask_app.test_request_context():
        for level in fields.LEVELS:
            label = helpers.vndata_plan_level_label(level.key)
            if level.describe is None:
                assert label == tk._(level.report_label)
            else:  # a label naming a setting (the complete metadata's rating)
                assert label == level.describe() != level.key
    assert helpers.vndata_plan_level_label("no_such_level") == "no_such_level"


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_migrations_create_every_level_and_link_fact_column():
    inspector = sa.inspect(meta.engine)
    phase = {c["name"] for c in inspector.get_columns("vndata_plan_phase")}
    link = {c["name"] for c in inspector.get_columns("vndata_plan_item_dataset")}

    assert set(LEVELS) <= phase
    assert set(fields.LINK_FACT_KEYS) <= link


def test_a_phase_dict_feeds_compliance_every_level():
    phase = Phase(
        id="p", label="1", position=0, start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31), **{key: 5 for key in LEVELS},
    )  # fmt: skip

    assert dictization.phase_facts(phase).minimums == {key: 5 for key in LEVELS}


class TestLinkFacts:
    def test_each_fact_is_a_link_column_and_a_delivery_field(self):
        delivery = [f.name for f in dataclasses.fields(compliance.Delivery)]

        assert delivery == list(fields.LINK_FACT_KEYS)
        assert set(fields.LINK_FACT_KEYS) <= set(DatasetLink.__table__.columns.keys())

    def test_the_snapshot_holds_every_fact(self):
        package = {
            "state": "active",
            "private": False,
            "issued": "2025-03-01",
            "openness_stars": "3",
            "resources": [{"format": "CSV", "access_type": "api"}],
        }

        facts = sync.snapshot(package)

        assert list(facts) == list(fields.LINK_FACT_KEYS)
        assert facts["is_public"] is True
        assert facts["published_date"] == datetime.date(2025, 3, 1)
        assert facts["next_update_due"] is None
        assert facts["openness_stars"] == 3
        assert facts["machine_readable"] is True
        assert facts["has_api"] is True
        assert facts["metadata_complete"] is False

    def test_a_datastore_table_is_an_api(self):
        """A CSV loaded into the DataStore is offered through the Data API: the
        plans' "with an API" level counts it."""
        table = {"resources": [{"format": "CSV", "datastore_active": True}]}
        file = {"resources": [{"format": "CSV", "datastore_active": False}]}

        assert sync.snapshot(table)["has_api"] is True
        assert sync.snapshot(file)["has_api"] is False

    def test_a_malformed_stored_date_is_no_date(self):
        facts = sync.snapshot({"issued": "not a date", "next_update_due": "31/02/x"})

        assert facts["published_date"] is None
        assert facts["next_update_due"] is None


def test_priorities_are_the_validator_the_workbook_and_the_form_choices():
    assert fields.PRIORITY_CODES == ("cao", "trung_binh", "thap")
    assert columns.choices("priority") == [
        ("cao", "Cao"), ("trung_binh", "Trung bình"), ("thap", "Thấp"),
    ]  # fmt: skip
