"""The plan forms: who may see them, and the CSRF token in a field or a header."""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.factories import Item, Phase
from tests.helpers import browser_login, csrf_token, token_headers
from tests.plan.conftest import call, plan_in

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


class TestCsrfHeader:
    """CKAN's own JavaScript sends the token in the X-CSRFToken header."""

    @pytest.fixture
    def browser(self, app, agency):
        editor = factories.User(password="Matkhau-2026")
        helpers.call_action(
            "organization_member_create", id=agency.org["id"],
            username=editor["name"], role="editor",
        )  # fmt: skip
        client = browser_login(app, editor)
        url = f"/organization/ke-hoach/{agency.org['name']}/tao-moi"
        return client, url, csrf_token(client.get(url).body), editor

    def test_the_token_in_the_header_is_accepted(self, agency, browser):
        client, url, token, editor = browser

        sent = client.post(
            url,
            data={"title": "Gửi bằng JavaScript"},
            headers={"X-CSRFToken": token},
            follow_redirects=False,
        )

        assert sent.status_code == 302
        plans = call("vndata_plan_list", editor, organization_id=agency.org["id"])
        assert [p["title"] for p in plans] == ["Gửi bằng JavaScript"]

    def test_a_wrong_token_in_the_header_is_refused(self, agency, browser):
        client, url, _token_, editor = browser

        sent = client.post(
            url, data={"title": "Giả mạo"}, headers={"X-CSRFToken": "sai"}
        )

        assert sent.status_code in (400, 403)
        assert call("vndata_plan_list", editor, organization_id=agency.org["id"]) == []
