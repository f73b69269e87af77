"""Vietnamese search and facets on the real Solr, with CKAN's own schema.xml."""

from __future__ import annotations

import re

import pytest

from ckan.tests import helpers

from tests.metadata.helpers import vn_dataset

FACET_FIELDS = [
    "organization",
    "province_code",
    "vocab_vndata_sector",
    "openness_stars",
    "update_frequency",
]


def _create(context, org, **fields):
    return helpers.call_action(
        "package_create", context=context, **vn_dataset(org["id"], **fields)
    )


def _search(**params):
    return helpers.call_action("package_search", **params)


def _titles(result):
    return [d["title"] for d in result["results"]]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestAccentInsensitiveSearch:
    @pytest.fixture(autouse=True)
    def datasets(
        self, with_plugins, clean_db, clean_index, sysadmin_context, organization
    ):
        context = sysadmin_context()
        _create(context, organization, title="Dữ liệu quan trắc không khí")
        _create(context, organization, title="Bản đồ hành chính Đà Nẵng")
        _create(context, organization, title="Bản đồ hành chính Đa Năng")
        _create(context, organization, title="Giá đất Hà Nội")

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("du lieu", ["Dữ liệu quan trắc không khí"]),
            ("quan trac khong khi", ["Dữ liệu quan trắc không khí"]),
            ("gia dat", ["Giá đất Hà Nội"]),
        ],
    )
    def test_query_without_accents_finds_the_accented_text(self, query, expected):
        assert _titles(_search(q=query)) == expected

    def test_da_nang_without_accents_finds_both_spellings(self):
        assert sorted(_titles(_search(q="da nang"))) == [
            "Bản đồ hành chính Đa Năng",
            "Bản đồ hành chính Đà Nẵng",
        ]

    @pytest.mark.parametrize(
        ("query", "first"),
        [
            ("Đà Nẵng", "Bản đồ hành chính Đà Nẵng"),
            ("Đa Năng", "Bản đồ hành chính Đa Năng"),
        ],
    )
    def test_accented_query_ranks_the_exact_form_first(self, query, first):
        titles = _titles(_search(q=query))

        assert len(titles) == 2
        assert titles[0] == first


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestFacets:
    @pytest.fixture(autouse=True)
    def datasets(
        self, with_plugins, clean_db, clean_index, sysadmin_context, organization
    ):
        context = sysadmin_context()
        _create(
            context,
            organization,
            title="Trường học Đà Nẵng",
            province_code="48",
            sectors=["giao-duc-dao-tao", "dia-phuong"],
            update_frequency="hang_quy",
        )
        _create(
            context,
            organization,
            title="Trường học Quảng Nam",
            province_code="Quảng Nam",
            sectors=["giao-duc-dao-tao"],
            update_frequency="hang_nam",
            resources=[{"url": "http://x/a.ttl", "format": "TTL"}],
        )
        _create(
            context,
            organization,
            title="Bệnh viện Huế",
            province_code="46",
            sectors=["y-te"],
            update_frequency="hang_nam",
        )

    def _facets(self):
        result = _search(q="*:*", **{"facet.field": FACET_FIELDS})
        return {
            field: {i["name"]: (i["count"], i["display_name"]) for i in f["items"]}
            for field, f in result["search_facets"].items()
        }

    def test_province_facet_counts_old_names_under_the_new_province(self):
        assert self._facets()["province_code"] == {
            "48": (2, "Thành phố Đà Nẵng"),
            "46": (1, "Thành phố Huế"),
        }

    def test_sector_facet_counts_each_sector_of_a_dataset(self):
        assert self._facets()["vocab_vndata_sector"] == {
            "giao-duc-dao-tao": (2, "Giáo dục đào tạo"),
            "dia-phuong": (1, "Địa phương"),
            "y-te": (1, "Y tế"),
        }

    def test_frequency_and_openness_facets_have_labels(self):
        facets = self._facets()

        assert facets["update_frequency"] == {
            "hang_nam": (2, "Hằng năm"),
            "hang_quy": (1, "Hằng quý"),
        }
        assert set(facets["openness_stars"]) == {"3", "4"}

    def test_filtering_on_a_facet_narrows_the_results(self):
        result = _search(q="*:*", fq='vocab_vndata_sector:"y-te"')

        assert _titles(result) == ["Bệnh viện Huế"]

    def test_search_page_lists_the_facets_in_vietnamese(self, app):
        page = app.get("/dataset/").body

        for title in ("Tỉnh, thành phố", "Lĩnh vực", "Mức độ mở", "Tần suất cập nhật"):
            assert title in page
        assert "Thành phố Đà Nẵng" in page
        assert "Giáo dục đào tạo" in page

    @pytest.mark.parametrize("prefix", ["/dataset/", "/organization/{org}"])
    def test_a_filter_pill_shows_the_label_even_without_results(
        self, app, organization, prefix
    ):
        # No dataset has the sector "nong-nghiep" nor the frequency "hang_thang":
        # core would show the codes, the facet lists having no item to name them.
        url = prefix.format(org=organization["name"])
        page = app.get(
            url + "?vocab_vndata_sector=nong-nghiep&update_frequency=hang_thang"
            "&province_code=48"
        ).body
        pills = re.sub(r'href="[^"]*"', "", page.split('class="filter-list"')[1])
        pills = pills.split("</p>")[0]

        for label in ("Nông nghiệp", "Hằng tháng", "Thành phố Đà Nẵng"):
            assert label in pills
        assert "nong-nghiep" not in pills and "hang_thang" not in pills
