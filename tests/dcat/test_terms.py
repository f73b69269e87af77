"""The vndata: vocabulary's IRIs and names (dcat/terms.py)."""

from __future__ import annotations

import pytest

from ckanext.vndata.dcat import terms


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.ckan_config("ckanext.vndata.dcat.namespace", "https://example.vn/ns#")
class TestIris:
    def test_a_term_iri_is_the_namespace_kind_and_value(self):
        assert terms.term_iri("province", "48") == "https://example.vn/ns#province-48"

    def test_value_of_reads_back_only_an_iri_of_that_kind(self):
        iri = terms.term_iri("commune", "20242")

        assert terms.value_of(iri, "commune") == "20242"
        assert terms.value_of(iri, "province") is None
        assert terms.value_of("https://other.vn/ns#commune-20242", "commune") is None

    def test_the_namespace_follows_the_config(self):
        assert str(terms.vndata().planItem) == "https://example.vn/ns#planItem"


@pytest.mark.parametrize(
    ("field", "name"),
    [
        ("data_sharing_class", "dataSharingClass"),
        ("legal_basis", "legalBasis"),
        ("managing_agency", "managingAgency"),
    ],
)
def test_property_name_is_the_field_in_camel_case(field, name):
    assert terms.property_name(field) == name


def test_by_uri_finds_the_code_of_an_authority_iri():
    uri = terms.LANGUAGE_URIS["vi"]

    assert terms.by_uri(terms.LANGUAGE_URIS, uri) == "vi"
    assert terms.by_uri(terms.LANGUAGE_URIS, uri + "X") is None


def test_every_sector_maps_to_an_eu_theme_with_an_english_label():
    for uri in terms.EU_THEMES.values():
        assert uri.rsplit("/", 1)[-1] in terms.EU_THEME_LABELS


def test_file_types_and_formats_are_inverse():
    for file_type in terms.FILE_TYPES.values():
        assert terms.FILE_TYPES[terms.FORMATS_BY_FILE_TYPE[file_type]] == file_type
