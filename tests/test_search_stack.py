"""The suite runs against a real PostgreSQL, Solr and Redis: these tests prove it."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.factories import VnDataset


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSolrIndexing:
    def test_dataset_created_through_api_is_found_by_vietnamese_query(self):
        org = factories.Organization(title="Sở Giáo dục và Đào tạo Đà Nẵng")
        sysadmin = factories.Sysadmin()
        helpers.call_action(
            "package_create",
            context={"user": sysadmin["name"]},
            name="danh-sach-truong-hoc-da-nang",
            title="Danh sách trường học Đà Nẵng",
            notes="Danh sách các trường mầm non, tiểu học và trung học.",
            owner_org=org["id"],
            tags=[{"name": "giáo dục"}, {"name": "trường học"}],
            sectors=["giao-duc-dao-tao"],
            data_sharing_class="mo",
            data_importance_class="khac",
            personal_data_assessed=True,
            update_frequency="hang_nam",
        )
        VnDataset(owner_org=org["id"], title="Giá đất năm 2025")

        result = helpers.call_action(
            "package_search", q="trường học", facet="true", **{"facet.field": ["tags"]}
        )

        names = [d["name"] for d in result["results"]]
        assert names == ["danh-sach-truong-hoc-da-nang"]
        assert result["search_facets"]["tags"]["items"]
        tag_counts = {
            item["name"]: item["count"]
            for item in result["search_facets"]["tags"]["items"]
        }
        assert tag_counts == {"giáo dục": 1, "trường học": 1}

    def test_deleted_dataset_leaves_the_index(self):
        dataset = VnDataset(title="Dữ liệu quan trắc không khí")
        assert helpers.call_action("package_search", q="quan trắc")["count"] == 1

        sysadmin = factories.Sysadmin()
        helpers.call_action(
            "package_delete", context={"user": sysadmin["name"]}, id=dataset["id"]
        )

        assert helpers.call_action("package_search", q="quan trắc")["count"] == 0


@pytest.mark.ckan_config("ckan.plugins", "harvest dcat dcat_rdf_harvester")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHarvestTables:
    def test_harvest_source_can_be_created_and_read_back(self):
        org = factories.Organization()
        source = helpers.call_action(
            "harvest_source_create",
            name="cong-du-lieu-da-nang",
            title="Cổng dữ liệu mở Đà Nẵng",
            url="http://127.0.0.1:8999/catalog.ttl",
            source_type="dcat_rdf",
            owner_org=org["id"],
        )

        shown = helpers.call_action("harvest_source_show", id=source["id"])

        assert shown["title"] == "Cổng dữ liệu mở Đà Nẵng"
        assert shown["status"]["job_count"] == 0

    def test_harvest_source_with_unknown_type_is_refused(self):
        with pytest.raises(tk.ValidationError):
            helpers.call_action(
                "harvest_source_create",
                name="nguon-sai",
                url="http://127.0.0.1:8999/catalog.ttl",
                source_type="no_such_harvester",
            )
