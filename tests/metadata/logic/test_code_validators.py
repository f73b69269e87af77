"""The validators of codes: agency codes and administrative units, old codes mapped to
today's and kept.

Through package_create and organization_create as a form or client sends them, and each
validator on its own with what a client may send in their place."""

from __future__ import annotations

import collections
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.vndata.metadata.logic.code_validators import (
    vndata_agency_code,
    vndata_agency_code_legacy,
    vndata_code_list_output,
    vndata_commune_code,
    vndata_legacy_admin_codes,
    vndata_province_code,
)
from tests.metadata.helpers import create_dataset as _create
from tests.metadata.helpers import creation_errors as _errors
from tests.metadata.helpers import vn_dataset

HOSTILE_CODES = [["H46.14"], {"code": "H46.14"}, 46.14, "H46.14\x00", "Ｈ46.14", "';"]


def _validate(validator, data: dict, key: tuple = ("publisher_code",)) -> list[str]:
    """Run a (key, data, errors, context) validator; the errors it gave ``key``."""
    errors = collections.defaultdict(list)
    validator(key, data, errors, {})
    return errors[key]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestAdministrativeUnits:
    def test_old_province_name_is_mapped_and_its_code_kept(
        self, sysadmin_context, organization
    ):
        dataset = _create(
            sysadmin_context(),
            **vn_dataset(organization["id"], province_code="Quảng Nam"),
        )

        assert dataset["province_code"] == "48"
        assert dataset["legacy_admin_codes"] == ["49"]

    def test_old_commune_code_is_mapped_and_fills_in_the_province(
        self, sysadmin_context, organization
    ):
        dataset = _create(
            sysadmin_context(), **vn_dataset(organization["id"], commune_code="20233")
        )

        assert dataset["commune_code"] == "20242"
        assert dataset["province_code"] == "48"
        assert dataset["legacy_admin_codes"] == ["20233"]

    def test_commune_outside_the_province_is_refused(
        self, sysadmin_context, organization
    ):
        errors = _errors(
            sysadmin_context(),
            **vn_dataset(organization["id"], province_code="01", commune_code="20242"),
        )

        assert "not in province 01" in errors["commune_code"][0]

    def test_wrong_province_code_is_refused_with_the_nearest_choices(
        self, sysadmin_context, organization
    ):
        errors = _errors(
            sysadmin_context(), **vn_dataset(organization["id"], province_code="47")
        )

        assert errors["province_code"] == [
            "Unknown province 47. Did you mean: 46 - Thành phố Huế; "
            "48 - Thành phố Đà Nẵng; 44 - Tỉnh Quảng Trị?"
        ]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestAgencyCodes:
    def test_legacy_publisher_code_is_converted_and_kept(
        self, sysadmin_context, organization
    ):
        dataset = _create(
            sysadmin_context(),
            **vn_dataset(organization["id"], publisher_code="000.00.14.H57"),
        )

        assert dataset["publisher_code"] == "H57.14"
        assert dataset["publisher_code_legacy"] == "000.00.14.H57"

    def test_code_longer_than_35_characters_is_refused(
        self, sysadmin_context, organization
    ):
        errors = _errors(
            sysadmin_context(),
            **vn_dataset(organization["id"], publisher_code="H46." + "1" * 32),
        )

        assert "at most 35 characters" in errors["publisher_code"][0]

    def test_organization_agency_code_is_validated_and_legacy_kept(self):
        org = factories.Organization(agency_code="000.00.00.H57", province_code="46")

        assert org["agency_code"] == "H57"
        assert org["agency_code_legacy"] == "000.00.00.H57"
        assert org["province_code"] == "46"

    def test_organization_with_invalid_agency_code_is_refused(self):
        with pytest.raises(tk.ValidationError) as raised:
            factories.Organization(agency_code="ABC.1")

        assert "agency_code" in raised.value.error_dict


class TestAgencyCodeValidator:
    def test_a_legacy_code_is_converted_and_kept_beside_the_field(self):
        data = {("agency_code",): "000.00.14.h57"}

        assert _validate(vndata_agency_code, data, ("agency_code",)) == []
        assert data == {
            ("agency_code",): "H57.14",
            ("agency_code_legacy",): "000.00.14.H57",
        }

    @pytest.mark.parametrize("value", [None, "", tk.missing])
    def test_an_empty_code_is_left_alone(self, value):
        data = {("publisher_code",): value}

        assert _validate(vndata_agency_code, data) == []
        assert data == {("publisher_code",): value}

    @pytest.mark.parametrize("value", HOSTILE_CODES, ids=repr)
    def test_what_is_not_a_code_is_refused_and_nothing_is_written(self, value):
        data = {("publisher_code",): value}

        (message,) = _validate(vndata_agency_code, data)

        assert "Decision 20/2020" in message and "QCVN 102:2016" in message
        assert data == {("publisher_code",): value}

    def test_a_legacy_field_given_alone_is_normalised(self):
        assert vndata_agency_code_legacy("000.00.14.h57", {}) == "000.00.14.H57"

    @pytest.mark.parametrize("value", ["H57.14", *HOSTILE_CODES], ids=repr)
    def test_a_legacy_field_that_is_not_a_qcvn_code_is_refused(self, value):
        with pytest.raises(tk.Invalid) as raised:
            vndata_agency_code_legacy(value, {})

        assert "QCVN 102:2016" in raised.value.error


class TestLegacyAdminCodes:
    KEY = ("legacy_admin_codes",)

    @pytest.mark.parametrize(
        ("given", "stored"),
        [
            ('["20233", "49"]', ["20233", "49"]),
            ("49, 20233", ["20233", "49"]),
            (["49", " 49 ", "20233"], ["20233", "49"]),
            (49, ["49"]),
        ],
        ids=["json", "commas", "list", "number"],
    )
    def test_codes_in_any_usual_shape_are_stored_as_a_sorted_json_list(
        self, given, stored
    ):
        data = {self.KEY: given}

        assert _validate(vndata_legacy_admin_codes, data, self.KEY) == []
        assert json.loads(data[self.KEY]) == stored
        assert vndata_code_list_output(data[self.KEY], {}) == stored

    @pytest.mark.parametrize("given", [None, "", [], " , "])
    def test_no_code_stores_nothing(self, given):
        data = {self.KEY: given}

        assert _validate(vndata_legacy_admin_codes, data, self.KEY) == []
        assert data[self.KEY] is tk.missing

    @pytest.mark.parametrize(
        "given",
        ["[49", "49;20233", {"a": 1}, ["49", ["20233"]], "49\x00", "-49", "²", "٤٩"],
    )
    def test_anything_but_digits_is_refused(self, given):
        data = {self.KEY: given}

        errors = _validate(vndata_legacy_admin_codes, data, self.KEY)

        assert errors == ["Administrative unit codes are digits only."]

    def test_the_old_code_of_the_province_given_is_added(self):
        data = {self.KEY: '["20233"]', ("province_code",): "Quảng Nam"}

        assert _validate(vndata_legacy_admin_codes, data, self.KEY) == []
        assert json.loads(data[self.KEY]) == ["20233", "49"]

    def test_an_unknown_province_adds_nothing_and_is_left_to_its_own_field(self):
        data = {self.KEY: tk.missing, ("province_code",): "Atlantis"}

        assert _validate(vndata_legacy_admin_codes, data, self.KEY) == []
        assert data[self.KEY] is tk.missing


class TestProvinceAndCommune:
    PROVINCE = ("province_code",)
    COMMUNE = ("commune_code",)

    def test_an_old_province_code_becomes_todays(self):
        data = {self.PROVINCE: "49"}

        assert _validate(vndata_province_code, data, self.PROVINCE) == []
        assert data == {self.PROVINCE: "48"}

    @pytest.mark.parametrize(
        "value",
        ["48\x00", ["48"], "<script>", "4" * 1000, "4" * 5000, "²", "4²"],
        ids=["nul", "list", "tag", "long", "over-int-limit", "superscript", "4-and-2"],
    )
    def test_what_is_not_a_province_is_refused(self, value):
        data = {self.PROVINCE: value}

        (message,) = _validate(vndata_province_code, data, self.PROVINCE)

        assert message.startswith("Unknown province")
        assert data == {self.PROVINCE: value}

    def test_a_commune_alone_fills_in_its_province_and_hands_on_its_old_code(self):
        data = {self.COMMUNE: "20233"}

        assert _validate(vndata_commune_code, data, self.COMMUNE) == []
        assert data == {
            self.COMMUNE: "20242",
            self.PROVINCE: "48",
            ("legacy_admin_codes",): ["20233"],
        }

    def test_an_old_code_joins_those_already_given(self):
        data = {self.COMMUNE: "20233", ("legacy_admin_codes",): '["49"]'}

        _validate(vndata_commune_code, data, self.COMMUNE)

        assert data[("legacy_admin_codes",)] == ["20233", "49"]

    def test_with_an_unknown_province_the_commune_is_still_checked_alone(self):
        data = {self.COMMUNE: "20242", self.PROVINCE: "Atlantis"}

        assert _validate(vndata_commune_code, data, self.COMMUNE) == []
        assert data == {self.COMMUNE: "20242", self.PROVINCE: "Atlantis"}

    @pytest.mark.parametrize(
        "value", ["99999", ["20242"], "20242\x00", {"a": 1}, "²", "2" * 5000]
    )
    def test_what_is_not_a_commune_is_refused(self, value):
        data = {self.COMMUNE: value, self.PROVINCE: "48"}

        (message,) = _validate(vndata_commune_code, data, self.COMMUNE)

        assert message.startswith("Unknown commune")
        assert data == {self.COMMUNE: value, self.PROVINCE: "48"}
