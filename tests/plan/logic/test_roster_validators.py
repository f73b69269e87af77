"""Validators of the roster of obliged bodies (plan/logic/roster_validators.py)."""

from __future__ import annotations

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.vndata.plan.logic import roster_validators as rv

CONTEXT = {"model": model}


@pytest.mark.parametrize(
    "given, expected", [("g06", "G06"), (" 48 ", "48"), ("ttxvn", "TTXVN")]
)
def test_codes_are_kept_in_capitals(given, expected):
    assert rv.vndata_roster_code(given, CONTEXT) == expected


@pytest.mark.parametrize(
    "hostile", ["bộ", "a b", "-G06", "x" * 65, "\x00", "\ud800", 1.5e300, [], {}]
)
def test_a_code_that_is_not_one_is_refused(hostile):
    with pytest.raises(tk.Invalid):
        rv.vndata_roster_code(hostile, CONTEXT)


@pytest.mark.parametrize("given, expected", [("48", "48"), ("8", "08"), ("", None)])
def test_province_codes_are_those_of_decision_19_2025(given, expected):
    assert rv.vndata_roster_province_code(given, CONTEXT) == expected


@pytest.mark.parametrize("hostile", ["99", "02", "Đà Nẵng", "²", "4" * 5000])
def test_other_province_codes_are_refused(hostile):
    with pytest.raises(tk.Invalid):
        rv.vndata_roster_province_code(hostile, CONTEXT)


def test_agency_codes_are_normalised_and_legacy_ones_converted():
    assert rv.vndata_roster_agency_code(" g06 ", CONTEXT) == "G06"
    assert rv.vndata_roster_agency_code("000.00.00.H57", CONTEXT) == "H57"
    with pytest.raises(tk.Invalid):
        rv.vndata_roster_agency_code("Bộ KH&CN", CONTEXT)


@pytest.mark.parametrize("hostile", ["tinh", None, 1, ["ministry"]])
def test_kinds_are_the_declared_ones(hostile):
    assert rv.vndata_roster_kind("ministry", CONTEXT) == "ministry"
    with pytest.raises(tk.Invalid):
        rv.vndata_roster_kind(hostile, CONTEXT)


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestOrganizations:
    def test_names_and_ids_become_ids_once_each(self):
        first, second = factories.Organization(), factories.Organization()

        value = f"{first['name']}, {second['id']}\n{first['id']}"

        assert rv.vndata_roster_organizations(value, CONTEXT) == [
            first["id"],
            second["id"],
        ]
        assert rv.vndata_roster_organizations("", CONTEXT) == []

    @pytest.mark.parametrize(
        "hostile", [["khong-co"], [1], [None, "\x00"], "a" * 600, ["x"] * 501, 5]
    )
    def test_unknown_or_hostile_organizations_are_refused(self, hostile):
        with pytest.raises(tk.Invalid):
            rv.vndata_roster_organizations(hostile, CONTEXT)

    def test_a_group_is_not_an_organization(self):
        group = factories.Group()

        with pytest.raises(tk.Invalid):
            rv.vndata_roster_organizations([group["id"]], CONTEXT)

    def test_merged_into_names_a_body_on_the_roster(self):
        assert rv.vndata_roster_body("g10", CONTEXT) == "G10"
        assert rv.vndata_roster_body("", CONTEXT) is None
        with pytest.raises(tk.Invalid):
            rv.vndata_roster_body("KHONG", CONTEXT)
