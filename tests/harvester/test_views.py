"""The harvest overview page for the national portal's operators."""

from __future__ import annotations

import pytest

from ckan.tests import factories

from tests.harvester.sources import harvest_source
from tests.harvester.test_deletion import catalogue
from tests.helpers import run_harvest, token_headers

URL = "/thu-thap/tong-quan"


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOverviewPage:
    def test_sources_are_grouped_by_province_with_their_last_job(
        self, app, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2, 3])
        da_nang = harvest_source(url, title="Cổng dữ liệu mở Đà Nẵng")
        run_harvest(da_nang["id"], "vndata_dcat")
        hue = harvest_source(
            "http://127.0.0.1:9/catalog.ttl",
            name="cong-hue",
            title="Cổng dữ liệu mở Huế",
            province_code="46",
        )
        run_harvest(hue["id"], "vndata_dcat")  # nothing answers: the job fails

        page = app.get(URL, headers=token_headers(factories.Sysadmin())).body

        assert page.index("Thành phố Huế") < page.index("Thành phố Đà Nẵng")
        da_nang_row = page[page.index("Cổng dữ liệu mở Đà Nẵng") :]
        assert "<td>3</td>" in da_nang_row[: da_nang_row.index("</tr>")]
        hue_row = page[page.index("Cổng dữ liệu mở Huế") :]
        assert "Thất bại" in hue_row[: hue_row.index("</tr>")]
        assert "Thành công" in da_nang_row[: da_nang_row.index("</tr>")]
        assert "Nguồn có lần thu thập gần nhất bị lỗi: 1" in page
        assert "Tập dữ liệu đã thu thập: 3" in page

    def test_page_is_for_sysadmins_only(self, app):
        app.get(URL, headers=token_headers(factories.User()), status=403)
        app.get(URL, status=403)
