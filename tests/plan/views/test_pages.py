"""The plan pages: the organization tab, a plan's three parts, forms and workflow."""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.helpers import browser_login, csrf_token, token_headers
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import plan_with_parts


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
        assert "Q1/2025" in page.body
        assert "quá hạn" in page.body  # the item is overdue today
        assert "Không đạt" in page.body  # 0 of 2 datasets

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
class TestForms:
    def test_invalid_plan_keeps_the_input_and_shows_the_error(self, app, agency):
        page = app.post(
            f"/organization/ke-hoach/{agency.org['name']}/tao-moi",
            headers=token_headers(agency.editor),
            data={"title": "", "period_start": "2025", "decision_number": "12/QĐ"},
        )

        assert page.status_code == 200
        assert "vndata-field-error" in page.body
        assert 'value="12/QĐ"' in page.body

    def test_valid_plan_is_created(self, app, agency):
        page = app.post(
            f"/organization/ke-hoach/{agency.org['name']}/tao-moi",
            headers=token_headers(agency.editor),
            data={"title": "Kế hoạch 2026", "period_start": "2026"},
            follow_redirects=False,
        )

        assert page.status_code == 302
        (plan,) = call(
            "vndata_plan_list", agency.editor, organization_id=agency.org["id"]
        )
        assert plan["title"] == "Kế hoạch 2026"

    def test_emptied_field_of_the_edit_form_is_cleared(self, app, agency):
        plan = plan_in(agency, decision_number="12/QĐ-UBND", contact_name="Chị Lan")

        app.post(
            f"/ke-hoach/{plan['id']}/sua",
            headers=token_headers(agency.editor),
            data={"title": plan["title"], "decision_number": "", "contact_name": "Lan"},
        )

        shown = call("vndata_plan_show", agency.editor, id=plan["id"])
        assert shown["decision_number"] is None
        assert shown["contact_name"] == "Lan"

    def test_item_form_adds_an_item(self, app, agency):
        plan = plan_with_parts(agency)

        app.post(
            f"/ke-hoach/{plan['id']}/item/them",
            headers=token_headers(agency.editor),
            data={"title": "Điểm wifi công cộng", "number": "2"},
        )

        shown = call("vndata_plan_show", agency.editor, id=plan["id"])
        assert [i["title"] for i in shown["items"]][-1] == "Điểm wifi công cộng"

    def test_editor_of_another_agency_may_not_edit(self, app, agency, other_agency):
        plan = plan_with_parts(agency)

        app.post(
            f"/ke-hoach/{plan['id']}/sua",
            headers=token_headers(other_agency.editor),
            data={"title": "Đổi tên"},
            status=403,
        )

    def test_browser_form_needs_its_csrf_token(self, app, agency):
        """A session (cookie) login, as a browser has: no token, no plan."""
        editor = factories.User(password="Matkhau-2026")
        helpers.call_action(
            "organization_member_create", id=agency.org["id"],
            username=editor["name"], role="editor",
        )  # fmt: skip
        client = browser_login(app, editor)
        url = f"/organization/ke-hoach/{agency.org['name']}/tao-moi"
        token = csrf_token(client.get(url).body)

        refused = client.post(url, data={"title": "Không có mã CSRF"})
        accepted = client.post(
            url, data={"title": "Có mã", "_csrf_token": token}, follow_redirects=False
        )

        assert refused.status_code in (400, 403)
        assert accepted.status_code == 302
        plans = call("vndata_plan_list", editor, organization_id=agency.org["id"])
        assert [p["title"] for p in plans] == ["Có mã"]


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestWorkflow:
    def test_reviewer_returns_with_a_comment_then_approves(self, app, agency):
        plan = plan_with_parts(agency)
        reviewer = factories.Sysadmin()
        app.post(
            f"/ke-hoach/{plan['id']}/quy-trinh",
            headers=token_headers(agency.admin),
            data={"transition": "submit"},
        )

        app.post(
            f"/ke-hoach/{plan['id']}/quy-trinh",
            headers=token_headers(reviewer),
            data={"transition": "return", "comment": "Bổ sung thời hạn"},
        )
        page = app.get(f"/ke-hoach/{plan['id']}", headers=token_headers(agency.editor))
        assert "Bổ sung thời hạn" in page.body
        assert call("vndata_plan_show", reviewer, id=plan["id"])["status"] == "returned"

        for user, step in ((agency.admin, "submit"), (reviewer, "approve")):
            app.post(
                f"/ke-hoach/{plan['id']}/quy-trinh",
                headers=token_headers(user),
                data={"transition": step},
            )
        assert call("vndata_plan_show", reviewer, id=plan["id"])["status"] == "approved"

    def test_a_step_the_user_may_not_take_is_refused(self, app, agency):
        plan = plan_with_parts(agency)

        app.post(
            f"/ke-hoach/{plan['id']}/quy-trinh",
            headers=token_headers(agency.editor),
            data={"transition": "submit"},
            status=403,
        )


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
        assert 'name="items-0-title" value="Danh sách trường học"' in page.body

        self._post(app, agency, plan, [
            {"number": "1", "title": "Danh sách trường học (cập nhật)"},
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
        assert 'value="Điểm wifi"' in page.body  # the input is kept
        assert len(call("vndata_plan_show", agency.editor, id=plan["id"])["items"]) == 1
