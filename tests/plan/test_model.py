"""The plan tables as rows: looked up by id, and as JSON-friendly dicts
(plan/model.py)."""

from __future__ import annotations

import datetime

import pytest

from ckanext.vndata.plan import fields
from ckanext.vndata.plan.model import DatasetLink, Item, Phase, Plan, row_dict

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


@pytest.mark.parametrize("model", [Plan, Phase, Item])
@pytest.mark.parametrize("plan_id", [None, "", "khong-co"])
def test_no_row_for_no_id_or_an_unknown_one(model, plan_id):
    assert model.get(plan_id) is None


def test_a_row_as_a_dict_has_every_column_with_dates_as_text(phase):
    row = Phase.get(phase["id"])

    as_dict = row_dict(row)

    assert list(as_dict) == [c.key for c in Phase.__table__.columns]
    assert as_dict["start_date"] == "2025-01-01"
    assert isinstance(row.start_date, datetime.date)
    assert set(fields.LEVEL_KEYS) <= set(as_dict)


def test_an_item_keeps_its_key_apart_from_its_id(item):
    row = Item.get(item["id"])

    assert row.key and row.key != row.id
    assert row_dict(row)["importance_class"] == "khac"


def test_a_link_keeps_the_facts_then_the_time_of_its_snapshot():
    keys = [c.key for c in DatasetLink.__table__.columns]

    assert keys[-1] == "synced_at"
    assert keys[-1 - len(fields.LINK_FACTS) : -1] == [f.key for f in fields.LINK_FACTS]
