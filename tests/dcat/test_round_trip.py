"""Dataset dict -> RDF -> dataset dict keeps every schema field (RDF/XML and Turtle)."""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers
from ckanext.dcat.processors import RDFParser, RDFSerializer

from tests.dcat.helpers import PROFILES
from tests.factories import Item, Plan
from tests.metadata.helpers import FULL_DATASET, FULL_RESOURCE, vn_dataset

# Fields the parser cannot know from RDF alone: the target portal's own name and owner.
NOT_IN_RDF = {"name", "owner_org", "plan_item_owner"}
DATASET_FIELDS = sorted(set(FULL_DATASET) - NOT_IN_RDF - {"tag_string"})
RESOURCE_FIELDS = sorted(FULL_RESOURCE)


# The stored dataset and its round trips, made once: parsing needs no database.
_CACHE: dict = {}


def _stored(stored_cache: dict) -> dict:
    if "dataset" not in stored_cache:
        org = factories.Organization()
        # plan_item must name an item the dataset's agency may deliver.
        full = {
            **FULL_DATASET,
            "plan_item": Item(plan_id=Plan(organization_id=org["id"])["id"])["key"],
        }
        created = helpers.call_action(
            "package_create",
            context={"user": factories.Sysadmin()["name"]},
            **vn_dataset(org["id"], **full, resources=[FULL_RESOURCE]),
        )
        stored_cache["dataset"] = helpers.call_action("package_show", id=created["id"])
    return stored_cache["dataset"]


def _round_trip(dataset: dict, fmt: str) -> dict:
    serializer = RDFSerializer(profiles=PROFILES)
    text = serializer.serialize_dataset(dataset, _format=fmt)
    parser = RDFParser(profiles=PROFILES)
    parser.parse(text, _format=fmt)
    (parsed,) = list(parser.datasets())
    return parsed


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("fmt", ["xml", "turtle"])
class TestRoundTrip:
    @pytest.fixture
    def pair(self, fmt):
        original = _stored(_CACHE)
        if fmt not in _CACHE:
            _CACHE[fmt] = _round_trip(original, fmt)
        return original, _CACHE[fmt]

    @pytest.mark.parametrize("field", DATASET_FIELDS)
    def test_dataset_field_survives(self, pair, field):
        original, parsed = pair

        if isinstance(original[field], list):  # RDF keeps no order
            assert sorted(parsed.get(field) or []) == sorted(original[field])
        else:
            assert parsed.get(field) == original[field]

    def test_tags_survive(self, pair):
        original, parsed = pair

        assert sorted(t["name"] for t in parsed["tags"]) == sorted(
            t["name"] for t in original["tags"]
        )

    @pytest.mark.parametrize("field", RESOURCE_FIELDS)
    def test_resource_field_survives(self, pair, field):
        original, parsed = pair

        value = parsed["resources"][0].get(field)
        expected = original["resources"][0][field]
        assert value == expected or str(value) == str(expected)

    def test_nothing_is_reported_unmapped(self, pair):
        _original, parsed = pair

        assert "vndata_parse_report" not in parsed


FULL_AGENCY = {
    "title": "Sở Khoa học và Công nghệ thành phố Đà Nẵng",
    "agency_code": "H17.14",
    "agency_code_legacy": "000.00.14.H17",
    "agency_level": "so_nganh",
    "parent_agency_code": "H17",
    "province_code": "48",
    "website": "https://dost.danang.gov.vn",
    "address": "Tầng 15, Trung tâm Hành chính, 24 Trần Phú, Đà Nẵng",
    "contact_name": "Phòng Quản lý công nghệ thông tin",
    "contact_email": "opendata@danang.gov.vn",
    "contact_phone": "02363822111",
}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("fmt", ["xml", "turtle"])
def test_every_organization_field_survives_as_the_publisher(fmt):
    org = factories.Organization(name="so-khcn-da-nang", **FULL_AGENCY)
    dataset = helpers.call_action(
        "package_create",
        context={"user": factories.Sysadmin()["name"]},
        **vn_dataset(org["id"]),
    )
    shown = helpers.call_action("package_show", id=dataset["id"])

    publisher = _round_trip(shown, fmt)["vndata_publisher"]

    for field, value in FULL_AGENCY.items():
        assert publisher.get(field) == value, field
