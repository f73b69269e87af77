"""The plan forms and the workflow buttons: who may see them, what they keep when
the action refuses, and the steps they take (plan/views/forms.py)."""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.factories import Item, Phase
from tests.helpers import browser_login, csrf_token, token_headers
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import harvested_plan, plan_with_parts

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


@pytest.fixture
def draft(agency):
    plan = plan_in(agency)
    phase = Phase(plan_id=plan["id"])
    item = Item(plan_id=plan["id"], title="A")
    return {"plan": plan, "phase": phase, "item": item}


def _form_urls(agency, draft) -> list[str]:
    plan_id = draft["plan"]["id"]
    return [
        f"/organization/ke-hoach/{agency.org['name']}/tao-moi",
        f"/ke-hoach/{plan_id}/sua",
        f"/ke-hoach/{plan_id}/phase/them",
        f"/ke-hoach/{plan_id}/item/them",
        f"/ke-hoach/{plan_id}/phase/{draft['phase']['id']}/sua",
        f"/ke-hoach/{plan_id}/item/{draft['item']['id']}/sua",
    ]


class TestFormsOnGet:
    def test_a_member_may_not_open_the_forms(self, app, agency, draft):
        for url in _form_urls(agency, draft):
            app.get(url, headers=token_headers(agency.member), status=403)

    def test_a_visitor_may_not_open_the_forms_of_a_published_plan(self, app, agency):
        plan = plan_in(agency, "published")
        for url in (
            f"/organization/ke-hoach/{agency.org['name']}/tao-moi",
            f"/ke-hoach/{plan['id']}/sua",
            f"/ke-hoach/{plan['id']}/item/them",
        ):
            app.get(url, status=403)

    def test_an_editor_opens_them(self, app, agency, draft):
        for url in _form_urls(agency, draft):
            page = app.get(url, headers=token_headers(agency.editor), status=200)
            assert "_csrf_token" in page.body

    def test_an_id_that_is_no_id_is_not_found(self, app):
        app.get("/ke-hoach/abc%00def", status=404)
        app.get("/organization/ke-hoach/abc%00def", status=404)


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
class TestFormRoutes:
    def test_an_unknown_part_or_a_part_of_another_plan_is_not_found(self, app, agency):
        plan, other = plan_with_parts(agency), plan_with_parts(agency)
        foreign = call("vndata_plan_show", agency.editor, id=other["id"])["items"][0]
        headers = token_headers(agency.editor)

        app.get(f"/ke-hoach/{plan['id']}/nguoi-dung/them", headers=headers, status=404)
        app.get(
            f"/ke-hoach/{plan['id']}/item/{foreign['id']}/sua",
            headers=headers,
            status=404,
        )

    def test_an_unknown_step_is_a_400(self, app, agency):
        plan = plan_with_parts(agency)

        app.post(
            f"/ke-hoach/{plan['id']}/quy-trinh",
            headers=token_headers(agency.admin),
            data={"transition": "delete"},
            status=400,
        )

    def test_a_refused_step_is_a_message_on_the_plan_page(self, app, agency):
        plan = plan_in(agency, "submitted")
        reviewer = factories.Sysadmin()

        page = app.post(
            f"/ke-hoach/{plan['id']}/quy-trinh",
            headers=token_headers(reviewer),
            data={"transition": "return", "comment": "  "},
        )

        assert page.status_code == 200
        assert "Hãy ghi lý do trả lại kế hoạch" in page.body
        assert call("vndata_plan_show", reviewer, id=plan["id"])["status"] == (
            "submitted"
        )


class TestHarvestedPlan:
    """A plan harvested from a provincial portal is changed only there: its forms,
    list editor, Excel upload and workflow refuse a sysadmin too, naming the source."""

    def _urls(self, plan: dict) -> list[str]:
        plan_id = plan["id"]
        return [
            f"/ke-hoach/{plan_id}/sua",
            f"/ke-hoach/{plan_id}/phase/them",
            f"/ke-hoach/{plan_id}/item/them",
            f"/ke-hoach/{plan_id}/phase/{plan['phases'][0]['id']}/sua",
            f"/ke-hoach/{plan_id}/item/{plan['items'][0]['id']}/sua",
            f"/ke-hoach/{plan_id}/danh-muc",
            f"/ke-hoach/{plan_id}/tai-len",
        ]

    def test_its_forms_refuse_a_sysadmin(self, app, agency):
        plan = harvested_plan(agency)
        headers = token_headers(factories.Sysadmin())

        for url in self._urls(plan):
            shown = app.get(url, headers=headers, status=403)
            sent = app.post(url, headers=headers, data={"title": "Sửa"}, status=403)
            assert "Cổng dữ liệu Đà Nẵng" in shown.body, url
            assert "Cổng dữ liệu Đà Nẵng" in sent.body, url

        after = helpers.call_action("vndata_plan_show", id=plan["id"])
        assert (after["title"], len(after["items"])) == (plan["title"], 2)

    def test_its_workflow_refuses_a_sysadmin(self, app, agency):
        plan = harvested_plan(agency)

        page = app.post(
            f"/ke-hoach/{plan['id']}/quy-trinh",
            headers=token_headers(factories.Sysadmin()),
            data={"transition": "revise"},
        )

        assert "Cổng dữ liệu Đà Nẵng" in page.body
        versions = helpers.call_action("vndata_plan_show", id=plan["id"])["versions"]
        assert len(versions) == 1
