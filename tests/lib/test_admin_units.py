from __future__ import annotations

import pytest

from ckanext.vndata.lib import admin_units


def test_the_field_libraries_give_34_provinces_and_3321_communes():
    assert len(admin_units.provinces()) == 34
    assert len(admin_units.communes()) == 3321


@pytest.mark.parametrize(
    ("given", "code", "legacy"),
    [
        ("48", "48", None),
        ("1", "01", None),
        ("Đà Nẵng", "48", None),
        ("da nang", "48", None),
        ("Thành phố Hồ Chí Minh", "79", None),
        ("49", "48", "49"),
        ("Quảng Nam", "48", "49"),
        ("Bình Dương", "79", "74"),
        ("74", "79", "74"),
        ("Tỉnh Hà Giang", "08", "02"),
        ("Thừa Thiên Huế", "46", None),
    ],
)
def test_provinces_old_and_new_resolve_to_todays_unit(given, code, legacy):
    resolved = admin_units.resolve_province(given)

    assert (resolved.code, resolved.legacy_code) == (code, legacy)


def test_unknown_province_code_suggests_the_nearest_codes():
    with pytest.raises(admin_units.UnknownUnit) as raised:
        admin_units.resolve_province("47")

    assert raised.value.suggestions == [
        "46 - Thành phố Huế",
        "48 - Thành phố Đà Nẵng",
        "44 - Tỉnh Quảng Trị",
    ]


def test_old_commune_code_maps_to_the_merged_commune():
    resolved = admin_units.resolve_commune("20233")

    assert (resolved.code, resolved.name, resolved.legacy_code) == (
        "20242",
        "Phường Hải Châu",
        "20233",
    )


def test_unknown_commune_code_suggests_communes_of_the_province():
    with pytest.raises(admin_units.UnknownUnit) as raised:
        admin_units.resolve_commune("20194", province_code="48")

    assert raised.value.suggestions
    assert all(
        admin_units.commune_province(s.split(" - ")[0]) == "48"
        for s in raised.value.suggestions
    )


def test_the_twelve_national_sectors_map_to_eu_data_themes():
    from ckanext.vndata.lib import vocabularies

    themes = {t.value: t.uri for t in vocabularies.SECTORS}

    assert len(themes) == 12
    assert all(
        uri.startswith("http://publications.europa.eu/resource/authority/data-theme/")
        for uri in themes.values()
    )
    assert themes["y-te"].endswith("/HEAL")
