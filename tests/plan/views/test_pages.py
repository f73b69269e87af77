"""The plan pages: the organization tab, a plan's three parts, forms and workflow."""

from __future__ import annotations

import datetime
import re

import pytest

from ckan.tests import factories
from ckanext.harvest.model import HarvestJob

from ckanext.vndata.plan import harvested
from tests.factories import Item
from tests.helpers import token_headers
from tests.plan.conftest import call
from tests.plan.helpers import harvested_plan, plan_with_parts

LAST_HARVEST = datetime.datetime(2026, 11, 30, 7, 45)


def harvested_plan_last_harvested(agency, at: datetime.datetime) -> dict:
    """A harvested plan whose source's last harvest job finished ``at``."""
    plan = harvested_plan(agency)
    HarvestJob(
        source_id=plan["harvest_source"]["id"], status="Finished", finished=at
    ).save()
    return plan


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestReading:
    def test_organization_tab_lists_the_plans_with_their_status(self, app, agency):
        plan = plan_with_parts(agency)

        page = app.get(
            f"/organization/ke-hoach/{agency.org['name']}",
            headers=token_headers(agency.member),
        )

        assert plan["title"] in page.body
        assert "dự thảo" in page.body  # the draft badge, in Vietnamese
        assert "Kế hoạch dữ liệu mở" in page.body  # the tab

    def test_draft_plan_is_hidden_from_visitors(self, app, agency):
        plan = plan_with_parts(agency)

        app.get(f"/ke-hoach/{plan['id']}", status=403)
        page = app.get(f"/organization/ke-hoach/{agency.org['name']}")

        assert plan["title"] not in page.body

    def test_plan_page_shows_the_three_parts(self, app, agency):
        plan = plan_with_parts(agency)

        page = app.get(f"/ke-hoach/{plan['id']}", headers=token_headers(agency.editor))

        for heading in (
            "Danh mục dữ liệu mở",
            "Kế hoạch công bố",
            "Mức tối thiểu từng giai đoạn",
        ):
            assert heading in page.body
        assert "Danh sách trường học" in page.body
        assert "Quý I/2025" in page.body and "Q1/2025" not in page.body
        assert "quá hạn" in page.body  # the item is overdue today
        assert "Không đạt" in page.body  # 0 of 2 datasets

    def test_the_schedule_names_quarters_as_each_language_does(self, app, agency):
        plan = plan_with_parts(agency)
        Item(plan_id=plan["id"], number=2, target_date="2026-11-29")
        Item(plan_id=plan["id"], number=3)  # no deadline yet
        headers = token_headers(agency.editor)

        page = app.get(f"/ke-hoach/{plan['id']}", headers=headers).body
        english = app.get(f"/en/ke-hoach/{plan['id']}", headers=headers).body

        schedule = page.split('id="ke-hoach-cong-bo"')[1].split("</section>")[0]
        assert re.findall(r'<h3 class="h5">([^<]*)</h3>', schedule) == [
            "Quý I/2025", "Quý IV/2026", "Chưa có thời hạn"
        ]  # fmt: skip
        schedule = english.split('id="ke-hoach-cong-bo"')[1].split("</section>")[0]
        assert re.findall(r'<h3 class="h5">([^<]*)</h3>', schedule) == [
            "Q1 2025", "Q4 2026", "No deadline"
        ]  # fmt: skip

    def test_editor_sees_edit_links_and_the_submit_button_is_the_admins(
        self, app, agency
    ):
        plan = plan_with_parts(agency)

        as_editor = app.get(
            f"/ke-hoach/{plan['id']}", headers=token_headers(agency.editor)
        )
        as_admin = app.get(
            f"/ke-hoach/{plan['id']}", headers=token_headers(agency.admin)
        )

        assert "Sửa kế hoạch" in as_editor.body
        assert 'value="submit"' not in as_editor.body
        assert 'value="submit"' in as_admin.body


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestListEditor:
    def _post(self, app, agency, plan, rows):
        data = {"rows": str(len(rows))}
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"items-{index}-{key}"] = value
        return app.post(
            f"/ke-hoach/{plan['id']}/danh-muc",
            headers=token_headers(agency.editor),
            data=data,
        )

    def test_rows_add_change_and_remove_items_in_one_form(self, app, agency):
        plan = plan_with_parts(agency)
        page = app.get(
            f"/ke-hoach/{plan['id']}/danh-muc", headers=token_headers(agency.editor)
        )
        assert re.search(
            r'name="items-0-title"[^>]*>Danh sách trường học</textarea>', page.body
        )

        self._post(app, agency, plan, [
            # As the form sends it: every cell of the row, and the number its item had
            # (an emptied cell clears its field).
            {"existing": "1", "number": "1",
             "title": "Danh sách trường học (cập nhật)", "sector": "giao-duc-dao-tao",
             "phase": "Giai đoạn 1", "target_date": "31/03/2025"},
            {"number": "2", "title": "Điểm wifi", "sector": "co-so-ha-tang",
             "phase": "Giai đoạn 1", "target_date": "2025-06-30"},
            {"number": "", "title": ""},
        ])  # fmt: skip

        items = call("vndata_plan_show", agency.editor, id=plan["id"])["items"]
        assert [i["title"] for i in items] == [
            "Danh sách trường học (cập nhật)",
            "Điểm wifi",
        ]
        assert items[1]["phase_id"] == items[0]["phase_id"]

    def test_a_wrong_row_is_marked_and_nothing_is_saved(self, app, agency):
        plan = plan_with_parts(agency)

        page = self._post(app, agency, plan, [
            {"number": "1", "title": "Danh sách trường học"},
            {"number": "2", "title": "Điểm wifi", "target_date": "31/02/2025"},
        ])  # fmt: skip

        assert "vndata-field-error" in page.body
        assert ">Điểm wifi</textarea>" in page.body  # the input is kept
        assert len(call("vndata_plan_show", agency.editor, id=plan["id"])["items"]) == 1


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestHarvestedPlan:
    def test_its_page_shows_the_source_and_no_form_even_to_a_sysadmin(
        self, app, agency
    ):
        plan = harvested_plan(agency)

        page = app.get(
            f"/ke-hoach/{plan['id']}", headers=token_headers(factories.Sysadmin())
        ).body

        assert "Nguồn của kế hoạch" in page
        assert 'href="/harvest/cong-du-lieu-da-nang"' in page
        assert "Cổng dữ liệu Đà Nẵng" in page
        assert 'href="https://dulieu.danang.gov.vn/ke-hoach/kh-dn-v1"' in page
        assert "Thay đổi gần nhất qua thu thập" in page
        assert 'id="vndata-harvested-notice"' in page
        assert f"/ke-hoach/{plan['id']}/sua" not in page
        assert 'id="vndata-upload-link"' not in page
        assert 'id="vndata-workflow"' not in page

    def test_its_page_names_the_publisher_as_the_source_named_it(self, app, agency):
        # Filed under the agency the harvester mapped it to (here the source's own
        # organization), the plan was issued by another body at the source.
        plan = harvested_plan(
            agency,
            organization={"id": "sxd", "name": "so-xay-dung-da-nang",
                          "title": "Sở Xây dựng thành phố Đà Nẵng",
                          "agency_code": "H17.12", "province_code": "48"},
        )  # fmt: skip

        page = app.get(f"/ke-hoach/{plan['id']}").body

        assert "Cơ quan ban hành tại cổng nguồn" in page
        assert "Sở Xây dựng thành phố Đà Nẵng (H17.12)" in page
        assert plan["remote_publisher"] == "Sở Xây dựng thành phố Đà Nẵng"

    def test_its_page_gives_the_sources_last_harvest(self, app, agency):
        plan = harvested_plan_last_harvested(agency, at=LAST_HARVEST)

        page = app.get(f"/ke-hoach/{plan['id']}").body

        assert "Lần thu thập gần nhất" in page
        assert "07:45" in page

    @pytest.mark.ckan_config("ckan.display_timezone", "UTC")
    def test_its_times_read_day_month_year_hours_minutes(self, app, agency):
        plan = harvested_plan_last_harvested(agency, at=LAST_HARVEST)

        page = app.get(f"/ke-hoach/{plan['id']}").body
        tab = app.get(f"/organization/ke-hoach/{agency.org['name']}").body

        source = page.split('id="vndata-plan-source"')[1].split("</section>")[0]
        history = page.split('class="list-unstyled vndata-history"')[1].split("</ul>")[
            0
        ]
        assert "Lần thu thập gần nhất: 30/11/2026 07:45" in source
        assert re.search(
            r"Thay đổi gần nhất qua thu thập: \d\d/\d\d/\d{4} \d\d:\d\d<", source
        )
        assert re.search(r"<li>\d\d/\d\d/\d{4} \d\d:\d\d · ", history)
        assert re.search(r"<td[^>]*>\d\d/\d\d/\d{4} \d\d:\d\d</td>", tab)
        assert "tháng" not in source + history

    def test_the_agency_tab_names_the_source(self, app, agency):
        harvested_plan(agency)

        page = app.get(f"/organization/ke-hoach/{agency.org['name']}").body

        assert "Thu thập từ Cổng dữ liệu Đà Nẵng" in page

    def test_a_withdrawn_plan_is_shown_as_withdrawn(self, app, agency):
        plan = harvested_plan(agency)
        harvested.withdraw(plan["harvest_source"]["id"], "kh-dn")

        page = app.get(f"/ke-hoach/{plan['id']}").body

        assert "đã rút" in page
        assert "bị rút tại cổng nguồn" in page
