"""The harvest overview page for the national portal's operators."""

from __future__ import annotations

import re

import pytest

from ckan.tests import factories

from tests.harvester.helpers import (
    catalogue,
    ckan_api_with_plans,
    ckan_record,
    ckan_source,
    remote_plan,
)
from tests.harvester.sources import (
    SOURCE_CONFIG,
    harvest_source,
    turtle_catalogue,
    turtle_record,
)
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

    def test_status_counts_and_last_success_agree_with_the_job(
        self, app, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2])
        defaults = {**SOURCE_CONFIG["defaults"], "data_importance_class": "quan_trong"}
        kept_private = harvest_source(url, title="Cổng Đà Nẵng", defaults=defaults)
        run_harvest(kept_private["id"], "vndata_dcat")  # imported, each with a note
        long_title = "Tập dữ liệu có tên quá dài " * 40
        handler.body = turtle_catalogue({1: turtle_record(1, title=long_title)})
        refused = harvest_source(
            url + "?hue", name="cong-hue", title="Cổng Huế", province_code="46"
        )
        run_harvest(refused["id"], "vndata_dcat")  # its only record is refused

        page = app.get(URL, headers=token_headers(factories.Sysadmin())).body

        da_nang = _row(page, "Cổng Đà Nẵng")
        assert "Cần xem lại" in da_nang and "Thành công" not in da_nang
        datasets, _job, *counts = _cells(da_nang)[1:10]
        assert datasets == "2"
        assert counts == ["2", "0", "0", "0", "0", "0", "2"]  # added ... warnings
        hue = _row(page, "Cổng Huế")
        assert "Thất bại" in hue and "Thành công" not in hue
        assert _cells(hue)[1] == "0"  # the refused record is no dataset
        assert _cells(hue)[-2] == "—"  # never harvested successfully
        assert "Lần thu thập thành công gần nhất" in page
        assert "Tập dữ liệu: các tập dữ liệu của nguồn hiện có trên cổng" in page

    def test_job_page_agrees_with_the_overview_and_names_records_by_title(
        self, app, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2])
        defaults = {**SOURCE_CONFIG["defaults"], "data_importance_class": "quan_trong"}
        source = harvest_source(url, title="Cổng Đà Nẵng", defaults=defaults)
        objects = run_harvest(source["id"], "vndata_dcat")  # each with a note
        guids = [o.guid for o in objects]
        job_id = objects[0].harvest_job_id

        page = app.get(
            f"/harvest/{source['name']}/job/{job_id}",
            headers=token_headers(factories.Sysadmin()),
        ).body

        report = page[page.index('id="vndata-job-report"') :]
        assert "Cần xem lại" in report and "Thành công" not in report
        assert "Lỗi: 0" in report and "Cảnh báo: 2" in report
        assert "Tập dữ liệu 1" in report and "Tập dữ liệu 2" in report
        assert "Bản ghi có thông báo" in report
        assert not any(guid in page for guid in guids)

    def test_page_is_for_sysadmins_only(self, app):
        app.get(URL, headers=token_headers(factories.User()), status=403)
        app.get(URL, status=403)


def _row(page: str, title: str) -> str:
    start = page.index(title)
    return page[start : page.index("</tr>", start)]


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_overview_counts_the_plans_of_each_source(app, catalogue_server):
    handler, url = catalogue_server
    plans = [remote_plan(), remote_plan()]
    plans[1][0]["items"] = "không phải danh sách"  # an error in a plan
    handler.respond = ckan_api_with_plans([ckan_record(1)], plans)
    source = ckan_source(url, title="Cổng Đà Nẵng")
    run_harvest(source["id"], "vndata_ckan")

    page = app.get(URL, headers=token_headers(factories.Sysadmin())).body

    row = _row(page, "Cổng Đà Nẵng")
    assert "1 kế hoạch" in row
    assert "kế hoạch: thêm mới 1, cập nhật 0" in row
    assert "Không đọc được kế hoạch" in row  # the plan's error is said beside


def _cells(row: str) -> list[str]:
    """The texts of the row's cells after the source's: type, datasets, last job,
    the counts, last successful harvest, duplicates."""
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
