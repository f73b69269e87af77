"""The harvest overview page for the national portal's operators."""

from __future__ import annotations

import json
import re

import pytest

from ckan.tests import factories, helpers

from ckanext.vndata.quality.aggregate import vndata_quality_by_source
from ckanext.vndata.quality.scoring import vndata_quality_score_all
from tests.factories import VnDataset
from tests.harvester.helpers import (
    catalogue,
    ckan_api_with_plans,
    ckan_record,
    ckan_source,
    post_source_form,
    remote_plan,
)
from tests.harvester.sources import (
    SOURCE_CONFIG,
    harvest_source,
    turtle_catalogue,
    turtle_record,
)
from tests.helpers import run_harvest, token_headers
from tests.quality.helpers import source_bringing

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
        # Each cell names its column (data-label): the datasets count is 3.
        assert re.search(
            r'<td data-label="Tập dữ liệu">3<',
            da_nang_row[: da_nang_row.index("</tr>")],
        )
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
        assert _cells(hue)[10] == "—"  # never harvested successfully
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
    the counts, last successful harvest, duplicates, quality (with vndata_quality)."""
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSourcePages:
    def test_the_new_source_form_is_in_vietnamese_with_each_type_s_help(self, app):
        headers = token_headers(factories.Sysadmin())

        page = app.get("/harvest/new", headers=headers).get_data(as_text=True)

        for text in ("Loại nguồn", "Danh mục DCAT (Việt Nam)", "API CKAN (Việt Nam)",
                     "Thủ công", "Hằng tuần", ">Lưu</button>", "Ý nghĩa"):  # fmt: skip
            assert text in page, text
        for text in ("Source type", 'value="Save"', ">Manual<", ">vndata_dcat<"):
            assert text not in page, text
        assert 'data-source-type="vndata_dcat"' in page
        assert 'data-source-type="vndata_ckan"' in page
        dcat_help = page[page.index('data-source-type="vndata_dcat"') :]
        assert "&#34;plans_url&#34;" in dcat_help.split("</details>")[0]
        ckan_help = page[page.index('data-source-type="vndata_ckan"') :]
        assert "plans_url" not in ckan_help.split("</details>")[0]

    def test_the_english_form_stays_english(self, app):
        headers = token_headers(factories.Sysadmin())

        page = app.get("/en/harvest/new", headers=headers).get_data(as_text=True)

        for text in ("Source type", ">Save</button>", "Manual", "Meaning",
                     "DCAT catalogue (Vietnam)"):  # fmt: skip
            assert text in page, text
        assert "Loại nguồn" not in page and "Thủ công" not in page

    def test_every_config_mistake_is_shown_at_once_under_its_key(self, app):
        headers = token_headers(factories.Sysadmin())
        config = '{"timeout": "0", "validation": "strict", "provinec_code": "48"}'

        page = post_source_form(app, headers, config=config)

        listed = page[page.index('id="vndata-config-errors"') :].split("</dl>")[0]
        keys = re.findall(r"<dt><code>([a-z_.]+)</code></dt>", listed)
        assert keys == ["provinec_code", "timeout", "validation"]
        assert "timeout phải là số từ 1 đến 600." in listed
        assert "validation phải là warn hoặc block." in listed
        assert "Error parsing" not in page
        assert (
            helpers.call_action("package_search", fq="+dataset_type:harvest")["count"]
            == 0
        )

    def test_a_number_written_as_text_is_saved(self, app):
        headers = token_headers(factories.Sysadmin())

        post_source_form(app, headers, config='{"timeout": "30"}')

        source = helpers.call_action("harvest_source_show", id="cong-hue")
        assert json.loads(source["config"])["timeout"] == "30"

    def test_invalid_json_is_one_vietnamese_message_with_its_place(self, app):
        page = post_source_form(
            app, token_headers(factories.Sysadmin()), config='{"timeout": 30,}'
        )

        listed = page[page.index('id="vndata-config-errors"') :].split("</dl>")[0]
        assert "Toàn bộ cấu hình" in listed
        assert "Cấu hình không phải JSON hợp lệ (dòng 1, cột 16)." in listed
        assert "Expecting" not in page

    def test_an_address_another_type_harvests_is_named_with_a_link(self, app):
        headers = token_headers(factories.Sysadmin())
        harvest_source(
            "https://opendata.hue.gov.vn/catalog.ttl", name="hue-dcat",
            title="Cổng Huế (DCAT)",
        )  # fmt: skip

        page = post_source_form(app, headers, source_type="vndata_ckan")
        warning = page[page.index('id="vndata-duplicate-url"') :].split("</div>")[0]
        saved = post_source_form(
            app, headers, source_type="vndata_ckan", vndata_confirm_duplicate_url="on"
        )

        assert 'href="/harvest/hue-dcat"' in warning
        assert "Cổng Huế (DCAT)" in warning
        assert 'name="vndata_confirm_duplicate_url"' in warning
        assert 'id="vndata-duplicate-url"' not in saved
        assert helpers.call_action("harvest_source_show", id="cong-hue")

    def test_facets_show_labels_and_the_list_leads_to_the_overview(self, app):
        headers = token_headers(factories.Sysadmin())
        post_source_form(app, headers, frequency="MANUAL")

        page = app.get("/harvest/", headers=headers).get_data(as_text=True)
        overview = app.get(URL, headers=headers).get_data(as_text=True)

        assert "Thủ công" in page and "Danh mục DCAT (Việt Nam)" in page
        assert ">MANUAL<" not in page and "vndata_dcat</span>" not in page
        assert f'href="{URL}"' in page
        assert 'id="vndata-sources-link" href="/harvest/"' in overview

    def test_the_source_page_links_its_jobs_and_its_province_in_the_overview(self, app):
        harvest_source("https://opendata.hue.gov.vn/catalog.ttl", name="hue-dcat")

        page = app.get(
            "/harvest/hue-dcat", headers=token_headers(factories.Sysadmin())
        ).get_data(as_text=True)
        anonymous = app.get("/harvest/hue-dcat").get_data(as_text=True)

        assert 'href="/harvest/hue-dcat/job"' in page
        assert f'href="{URL}#tinh-48"' in page
        assert URL not in anonymous


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOverviewQuality:
    def _page(self, app, prefix: str = "") -> str:
        org = factories.Organization()
        source_bringing(VnDataset(owner_org=org["id"]), name="nguon-co-diem")
        harvest_source("http://127.0.0.1:9/b", name="nguon-chua-co", title="Nguồn Huế")
        vndata_quality_score_all()
        headers = token_headers(factories.Sysadmin())
        return app.get(prefix + URL, headers=headers).get_data(as_text=True)

    def test_each_source_has_its_quality_in_vietnamese(self, app):
        page = self._page(app)

        assert '<th scope="col">Chất lượng</th>' in page
        (tally,) = vndata_quality_by_source().values()
        label = {"bad": "Kém", "sufficient": "Trung bình", "good": "Tốt"}
        assert f"{label[tally.rating()]} · {tally.total()}/405" in page
        row = _row(page, "Nguồn Huế")
        assert _cells(row)[-1] == "—"  # a source with nothing scored

    def test_no_quality_column_before_any_score(self, app):
        harvest_source("http://127.0.0.1:9/b", name="nguon-chua-co", title="Nguồn Huế")
        headers = token_headers(factories.Sysadmin())
        page = app.get(URL, headers=headers).get_data(as_text=True)
        assert "Nguồn Huế" in page and "Chất lượng" not in page

    def test_the_english_overview_says_quality(self, app):
        page = self._page(app, "/en")

        assert '<th scope="col">Quality</th>' in page
        assert "Chất lượng" not in page and " · " in page
