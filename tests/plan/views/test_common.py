"""What the plan pages share: loading a plan or an agency for the page, and the CSRF
check every form makes itself, in a field or a header (plan/views/_common.py)."""

from __future__ import annotations

import pytest

from tests.helpers import csrf_token, token_headers
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import editor_login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


class TestCsrfHeader:
    """CKAN's own JavaScript sends the token in the X-CSRFToken header."""

    @pytest.fixture
    def browser(self, app, agency):
        client, editor = editor_login(app, agency)
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

    def test_the_other_header_flask_wtf_reads_is_accepted(self, browser):
        client, url, token, _editor = browser
        other = {"X-CSRF-Token": token}

        sent = client.post(url, data={"title": "K"}, headers=other, follow_redirects=0)

        assert sent.status_code == 302  # to the new plan's page


class TestLoading:
    def test_a_draft_of_another_agency_is_a_403_page(self, app, agency, other_agency):
        plan = plan_in(agency)

        page = app.get(
            f"/ke-hoach/{plan['id']}",
            headers=token_headers(other_agency.editor),
            status=403,
        )

        assert plan["title"] not in page.body

    @pytest.mark.parametrize("plan_id", ["khong-co", "a%00b", "%E2%80%8B"])
    def test_an_unknown_plan_is_a_404_page(self, app, plan_id):
        app.get(f"/ke-hoach/{plan_id}", status=404)

    @pytest.mark.parametrize("org", ["khong-co", "a%00b"])
    def test_an_unknown_agency_is_a_404_page(self, app, agency, org):
        app.get(
            f"/organization/ke-hoach/{org}/tao-moi",
            headers=token_headers(agency.editor),
            status=404,
        )
