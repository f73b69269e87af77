"""Where a harvested plan comes from, and why it is read-only here."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.vndata.plan import provenance
from ckanext.vndata.plan.model import Plan
from tests.plan.conftest import plan_in
from tests.plan.helpers import harvested_plan as harvested_plan_of

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def harvested_plan(agency) -> Plan:
    return Plan.get(harvested_plan_of(agency)["id"])


def test_a_harvested_plan_names_its_source_and_address(harvested_plan):
    source = provenance.source_of(harvested_plan)

    assert source["title"] == "Cổng dữ liệu Đà Nẵng"
    assert source["url"] == "/harvest/cong-du-lieu-da-nang"
    assert source["remote_url"] == "https://dulieu.danang.gov.vn/ke-hoach/kh-dn-v1"
    assert (source["publisher"], source["publisher_code"]) == ("UBND TP Đà Nẵng", "H17")
    assert source["harvested_at"]


def test_a_local_plan_has_no_source(agency):
    assert provenance.source_of(Plan.get(plan_in(agency)["id"])) is None


def test_a_harvested_plan_is_refused_naming_its_source(harvested_plan):
    with pytest.raises(tk.ValidationError) as raised:
        provenance.ensure_local(harvested_plan)

    assert "Cổng dữ liệu Đà Nẵng" in raised.value.error_dict["harvest_source_id"][0]


def test_a_local_plan_passes(agency):
    provenance.ensure_local(Plan.get(plan_in(agency)["id"]))


def test_an_address_that_is_no_web_address_is_not_shown(agency):
    plan = Plan.get(harvested_plan_of(agency, url="javascript:alert(1)")["id"])

    assert provenance.source_of(plan)["remote_url"] is None


def test_the_plan_list_and_show_give_the_source(agency):
    plan = harvested_plan_of(agency)

    (listed,) = helpers.call_action("vndata_plan_list")

    assert listed["harvest_source"] == plan["harvest_source"]
    assert plan["harvest_source"]["title"] == "Cổng dữ liệu Đà Nẵng"


def test_a_source_that_never_ran_has_no_last_harvest(agency):
    plan = harvested_plan_of(agency)

    assert provenance.last_harvest(plan["harvest_source"]["id"]) is None
    assert provenance.last_harvest("khong-co-nguon") is None
