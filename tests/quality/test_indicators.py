"""The MQA indicators: five dimensions, 405 points, each judged where MQA judges it,
and what passes each as MQA would read vn_dcat_ap's output."""

from __future__ import annotations

import pytest

from ckanext.vndata.dcat import terms
from ckanext.vndata.quality import indicators


def test_the_dimensions_add_up_to_mqas_405_points():
    assert indicators.MAXIMUM == 405
    by_dimension = {d.key: 0 for d in indicators.DIMENSIONS}
    for indicator in indicators.INDICATORS:
        by_dimension[indicator.dimension] += indicator.weight
    assert by_dimension == {
        "findability": 100,
        "accessibility": 100,
        "interoperability": 110,
        "reusability": 75,
        "contextuality": 20,
    }


def test_each_indicator_key_is_declared_once():
    assert len(set(indicators.INDICATOR_KEYS)) == len(indicators.INDICATORS)


def test_each_indicator_is_judged_where_mqa_judges_it():
    judged = {i.key: i.item for i in indicators.INDICATORS}
    on_the_dataset = {
        "keywords", "themes", "spatial", "temporal", "dcat_ap", "access_rights",
        "access_rights_vocabulary", "contact_point", "publisher",
    }  # fmt: skip
    assert {k for k, item in judged.items() if item == indicators.DATASET} == (
        on_the_dataset
    )
    assert {k for k, item in judged.items() if item == indicators.DISTRIBUTION} == (
        set(judged) - on_the_dataset
    )


def _passes(key: str, dataset: dict, resource: dict | None = None, facts=None):
    (indicator,) = [i for i in indicators.INDICATORS if i.key == key]
    return bool(indicator.test(dataset, resource, facts or indicators.Facts()))


def _extras(**values) -> dict:
    return {"extras": [{"key": k, "value": v} for k, v in values.items()]}


@pytest.mark.usefixtures("with_plugins")
class TestWhatPasses:
    def test_a_harvested_records_kept_themes_area_and_access_rights_count(self):
        dataset = _extras(
            theme='["http://publications.europa.eu/resource/authority/data-theme/ENVI"]',
            spatial_uri="http://sws.geonames.org/6695072/",
            access_rights=f"{terms.EU_ACCESS_RIGHT}PUBLIC",
        )
        for key in ("themes", "spatial", "access_rights", "access_rights_vocabulary"):
            assert _passes(key, dataset), key

    def test_access_rights_in_words_are_no_vocabulary(self):
        dataset = _extras(access_rights="Công khai cho mọi người")
        assert _passes("access_rights", dataset)
        assert not _passes("access_rights_vocabulary", dataset)

    @pytest.mark.parametrize("sharing", ["mo", "dung_chung", "dung_rieng"])
    def test_every_sharing_class_is_an_eu_access_right(self, sharing):
        assert _passes("access_rights_vocabulary", {"data_sharing_class": sharing})

    @pytest.mark.parametrize(
        ("licence", "known"),
        [
            ("https://creativecommons.org/licenses/by/4.0/", True),
            ("http://publications.europa.eu/resource/authority/licence/CC0", True),
            # The national open-data terms: a licence, in no vocabulary MQA knows.
            ("http://hethongphapluat.vn/luat-giao-dich-dien-tu-2023/chuong-5", False),
            ("https://example.org/my-own-licence", False),
        ],
    )
    def test_a_licence_is_known_when_mqa_knows_it(self, licence, known):
        resource = {"license": licence}
        assert _passes("licence", {}, resource)
        assert _passes("licence_vocabulary", {}, resource) is known

    def test_the_dataset_licence_counts_only_with_an_address(self):
        # vn_dcat_ap writes dct:license from license_url: "other-closed" has none.
        assert not _passes("licence", {"license_id": "other-closed"}, {})
        url = {"license_url": "https://creativecommons.org/licenses/by/4.0/"}
        assert _passes("licence", url, {})

    @pytest.mark.parametrize(
        ("resource", "open_", "readable"),
        [
            ({"format": "CSV"}, True, True),
            ({"format": "xlsx"}, False, True),
            ({"format": "PDF"}, True, False),
            # MQA reads the media type first.
            ({"mimetype": "application/json"}, True, True),
            ({"format": f"{terms.EU_FILE_TYPE}RDF_TURTLE"}, True, True),
            ({"format": "", "mimetype": "application/octet-stream"}, False, False),
        ],
    )
    def test_open_and_machine_readable_from_format_or_media_type(
        self, resource, open_, readable
    ):
        assert _passes("non_proprietary", {}, resource) is open_
        assert _passes("machine_readable", {}, resource) is readable

    def test_a_vocabulary_format_or_a_well_formed_media_type(self):
        assert _passes("format_vocabulary", {}, {"format": "GeoJSON"})
        assert _passes("format_vocabulary", {}, {"mimetype": "text/csv"})
        assert not _passes("format_vocabulary", {}, {"format": "Bảng tính"})
        assert not _passes("format_vocabulary", {}, {"mimetype": "text csv"})

    @pytest.mark.parametrize(
        ("resource", "fmt", "media"),
        [
            ({"format": "CSV", "mimetype": "text/csv"}, True, True),
            # ckanext-dcat writes a format that is a media type as dcat:mediaType.
            ({"format": "text/csv"}, False, True),
            ({"format": f"https://www.{indicators.IANA_HOST}/text/csv"}, False, True),
            ({"format": "text/csv", "mimetype": "application/json"}, True, True),
            ({"mimetype": "text/csv"}, False, True),
        ],
    )
    def test_format_and_media_type_as_ckanext_dcat_writes_them(
        self, resource, fmt, media
    ):
        assert _passes("format", {}, resource) is fmt
        assert _passes("media_type", {}, resource) is media
        assert _passes("format_vocabulary", {}, resource)

    def test_only_a_checked_reachable_link_passes(self):
        facts = indicators.Facts(reachable={"a": True, "b": False, "c": None})
        for rid, passes in (("a", True), ("b", False), ("c", False), ("d", False)):
            assert _passes("access_url_reachable", {}, {"id": rid}, facts) is passes

    def test_dates_of_the_distribution_or_its_dataset(self):
        assert _passes("issued", {"issued": "2025-01-01"}, {})
        assert _passes("modified", {}, {"metadata_modified": "2026-11-29T21:07:00"})
        assert not _passes("issued", {}, {})
