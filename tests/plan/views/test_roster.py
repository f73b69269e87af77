"""The roster page: anyone reads it, sysadmins add, edit, merge and remove bodies
(plan/views/roster.py)."""

from __future__ import annotations

import pytest

from ckan.tests import factories

from tests.helpers import browser_login, csrf_token, token_headers
from tests.plan.conftest import call

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

EDIT_URLS = (
    "/ke-hoach/doi-tuong/them",
    "/ke-hoach/doi-tuong/G06/sua",
)
POST_URLS = (
    "/ke-hoach/doi-tuong/G06/hop-nhat",
    "/ke-hoach/doi-tuong/VTV/xoa",
)


def _listed() -> dict:
    return {b["code"]: b for b in call("vndata_roster_list", None, all=True)}


class TestRosterPage:
    def test_anyone_sees_every_body_with_its_organizations(self, app):
        factories.Organization(province_code="48", title="Sở Khoa học Đà Nẵng")

        page = app.get("/ke-hoach/doi-tuong", status=200).body

        assert page.count('class="vndata-roster-body') == 34 + 14 + 3 + 5
        assert "Thành phố Đà Nẵng" in page and "Sở Khoa học Đà Nẵng" in page
        assert "Bộ Khoa học và Công nghệ" in page
        assert "Bộ Tài nguyên và Môi trường" not in page  # merged, sysadmins only
        assert "/ke-hoach/doi-tuong/them" not in page

    def test_a_sysadmin_also_sees_the_merged_bodies_and_the_edit_links(self, app):
        page = app.get(
            "/ke-hoach/doi-tuong", headers=token_headers(factories.Sysadmin())
        ).body

        assert "Bộ Tài nguyên và Môi trường" in page
        assert "hợp nhất vào Bộ Nông nghiệp và Môi trường" in page
        assert "/ke-hoach/doi-tuong/G06/sua" in page

    @pytest.mark.parametrize("who", ["anonymous", "editor"])
    def test_the_forms_are_refused_to_others(self, app, who):
        headers = {}
        if who == "editor":
            user = factories.User()
            factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
            headers = token_headers(user)
        for url in EDIT_URLS:
            app.get(url, headers=headers, status=403)
        for url in POST_URLS:
            app.post(url, headers=headers, data={"merged_into": "G03"}, status=403)
        assert _listed()["G06"]["merged_into"] is None
        assert "VTV" in _listed()


class TestRosterForms:
    def test_a_sysadmin_adds_a_body_through_the_form(self, app):
        headers = token_headers(factories.Sysadmin())
        organization = factories.Organization()

        page = app.post(
            "/ke-hoach/doi-tuong/them",
            headers=headers,
            data={
                "code": "G38",
                "kind": "ministry",
                "title": "Bộ Mới",
                "agency_code": "G38",
                "organizations": organization["name"],
                "active": "true",
                "province_code": "",
            },  # fmt: skip
            follow_redirects=False,
        )

        assert page.status_code == 302
        assert _listed()["G38"]["organizations"] == [organization["id"]]

    def test_a_refused_form_keeps_the_input_and_shows_the_errors(self, app):
        page = app.post(
            "/ke-hoach/doi-tuong/them",
            headers=token_headers(factories.Sysadmin()),
            data={
                "code": "G38",
                "kind": "ministry",
                "title": "Bộ Mới",
                "agency_code": "không phải mã",
            },  # fmt: skip
        )

        assert page.status_code == 200
        assert "vndata-field-error" in page.body
        assert 'value="Bộ Mới"' in page.body

    def test_a_sysadmin_edits_a_body_and_its_organizations_show_by_name(self, app):
        headers = token_headers(factories.Sysadmin())
        organization = factories.Organization(name="dai-truyen-hinh")
        call("vndata_roster_body_update", factories.Sysadmin(), code="VTV",
             organizations=[organization["id"]])  # fmt: skip

        form = app.get("/ke-hoach/doi-tuong/VTV/sua", headers=headers).body
        assert "dai-truyen-hinh</textarea>" in form

        app.post(
            "/ke-hoach/doi-tuong/VTV/sua",
            headers=headers,
            data={"kind": "government_agency", "title": "Đài THVN",
                  "agency_code": "G39", "organizations": "", "active": "true"},
            follow_redirects=False,
            status=302,
        )  # fmt: skip
        body = _listed()["VTV"]
        assert (body["title"], body["agency_code"], body["organizations"]) == (
            "Đài THVN",
            "G39",
            [],
        )

    def test_merging_two_ministries_in_the_browser_and_undoing_it(self, app):
        sysadmin = factories.Sysadmin(password="Matkhau-2026")
        client = browser_login(app, sysadmin)
        token = csrf_token(client.get("/ke-hoach/doi-tuong/G16/sua").body)

        client.post(
            "/ke-hoach/doi-tuong/G16/hop-nhat",
            data={"merged_into": "G03", "_csrf_token": token},
        )
        assert _listed()["G16"]["merged_into"] == "G03"
        assert _listed()["G16"]["listed"] is False

        client.post(
            "/ke-hoach/doi-tuong/G16/hop-nhat",
            data={"merged_into": "", "_csrf_token": token},
        )
        assert _listed()["G16"]["listed"] is True

    def test_refused_merges_and_removals_say_why(self, app):
        # In a browser: the message is flashed into the session, shown after the
        # redirect.
        client = browser_login(app, factories.Sysadmin(password="Matkhau-2026"))
        token = csrf_token(client.get("/ke-hoach/doi-tuong/G16/sua").body)

        page = client.post(
            "/ke-hoach/doi-tuong/G16/hop-nhat",
            data={"merged_into": "G16", "_csrf_token": token},
            follow_redirects=True,
        ).body
        assert "hợp nhất một cơ quan vào chính nó" in page
        assert _listed()["G16"]["merged_into"] is None

        page = client.post(
            "/ke-hoach/doi-tuong/G10/xoa",
            data={"_csrf_token": token},
            follow_redirects=True,
        ).body
        assert "đã được hợp nhất vào cơ quan này: G13" in page
        assert "G10" in _listed()

    def test_a_sysadmin_removes_a_body(self, app):
        app.post(
            "/ke-hoach/doi-tuong/VTV/xoa",
            headers=token_headers(factories.Sysadmin()),
            follow_redirects=False,
            status=302,
        )

        assert "VTV" not in _listed()

    def test_unknown_and_hostile_codes_are_not_found(self, app):
        headers = token_headers(factories.Sysadmin())
        for code in ("KHONG", "abc%00def", "%ED%A0%80"):
            app.get(f"/ke-hoach/doi-tuong/{code}/sua", headers=headers, status=404)
            app.post(f"/ke-hoach/doi-tuong/{code}/xoa", headers=headers, status=404)
