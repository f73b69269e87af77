"""Every way a dataset can become public meets the publication gate (issue 14, item 4).

After each attempt, an anonymous visitor must not find a restricted dataset: not in
package_search, not at /dataset/X.rdf, not in /catalog.ttl.
"""

from __future__ import annotations

import re

import pytest

from ckan import model
from ckan.lib import search
from ckan.tests import factories, helpers

from tests.helpers import token_headers
from tests.metadata.helpers import vn_dataset

API = "/api/3/action/"
EN_API = "/en" + API  # the articles are asserted in English
RESTRICTED = {"data_sharing_class": "dung_rieng", "personal_data_assessed": False}


@pytest.fixture
def agency():
    """An agency with its admin (who has an API token)."""
    admin = factories.User()
    org = factories.Organization(
        title="Sở Tài nguyên và Môi trường",
        users=[{"name": admin["name"], "capacity": "admin"}],
    )
    return {"org": org, "admin": admin, "headers": token_headers(admin)}


def _create(agency: dict, title: str, private: bool = True, **fields) -> dict:
    return helpers.call_action(
        "package_create",
        context={"user": agency["admin"]["name"]},
        **vn_dataset(agency["org"]["id"], title=title, private=private, **fields),
    )


def _private_in_db(dataset: dict) -> bool:
    model.Session.expire_all()
    return model.Package.get(dataset["id"]).private


def _exposed(app, dataset: dict) -> list[str]:
    """Where an anonymous visitor finds the dataset."""
    places = []
    found = app.get(API + "package_search?q=*:*&rows=1000").json["result"]["results"]
    if dataset["id"] in {d["id"] for d in found}:
        places.append("package_search")
    if app.get(f"/dataset/{dataset['name']}.rdf").status_code == 200:
        places.append("dataset.rdf")
    if app.get(f"/dataset/{dataset['id']}").status_code == 200:
        places.append("dataset page")
    catalogue = app.get("/catalog.ttl").body
    if dataset["id"] in catalogue or dataset["title"] in catalogue:
        places.append("catalog.ttl")
    return places


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestBulkUpdatePublic:
    def test_restricted_dataset_is_refused_and_nothing_changes(self, app, agency):
        restricted = _create(agency, "Hồ sơ đất đai cá nhân", **RESTRICTED)
        open_one = _create(agency, "Danh sách trạm quan trắc")

        response = app.post(
            EN_API + "bulk_update_public",
            json={
                "datasets": [restricted["id"], open_one["id"]],
                "org_id": agency["org"]["id"],
            },
            headers=agency["headers"],
        )

        assert response.status_code == 409, response.body[:300]
        (message,) = response.json["error"]["datasets"]
        assert restricted["name"] in message
        assert "Art. 13(1)(a)" in message and "Art. 43" in message
        assert _private_in_db(restricted) and _private_in_db(open_one)
        assert _exposed(app, restricted) == []
        assert _exposed(app, open_one) == []  # all or nothing

    def test_datasets_that_pass_the_gate_are_made_public(self, app, agency):
        open_one = _create(agency, "Danh sách trạm quan trắc")

        response = app.post(
            API + "bulk_update_public",
            json={"datasets": [open_one["id"]], "org_id": agency["org"]["id"]},
            headers=agency["headers"],
        )

        assert response.status_code == 200, response.body[:300]
        assert not _private_in_db(open_one)
        assert _exposed(app, open_one) == [
            "package_search",
            "dataset.rdf",
            "dataset page",
            "catalog.ttl",
        ]

    def test_organization_bulk_page_shows_the_refusal(self, app, agency):
        restricted = _create(agency, "Hồ sơ đất đai cá nhân", **RESTRICTED)
        url = f"/organization/bulk_process/{agency['org']['name']}"
        client = app.test_client()
        password = "Matkhau-2026-an-toan"
        helpers.call_action(
            "user_update",
            context={"ignore_auth": True},
            **{**agency["admin"], "password": password},
        )
        login = client.get("/user/login").body
        client.post(
            "/user/login",
            data={
                "login": agency["admin"]["name"],
                "password": password,
                "_csrf_token": _csrf(login),
            },
        )
        page = client.get(url).body

        response = client.post(
            url,
            data={
                "_csrf_token": _csrf(page),
                f"dataset_{restricted['id']}": "on",
                "bulk_action.public": "public",
            },
            follow_redirects=True,
        )

        assert response.status_code == 200
        assert "Điều 13 khoản 1 điểm a" in response.body
        assert restricted["name"] in response.body
        assert _private_in_db(restricted)
        assert _exposed(app, restricted) == []


def _csrf(page: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSingleDatasetActions:
    @pytest.mark.parametrize(
        ("action", "fields"),
        [
            ("package_patch", {"private": False}),
            ("package_patch", {"private": "false"}),
            ("package_revise", {"update": {"private": False}}),
        ],
    )
    def test_making_a_restricted_dataset_public_is_refused(
        self, app, agency, action, fields
    ):
        restricted = _create(agency, "Hồ sơ đất đai cá nhân", **RESTRICTED)
        body = {"id": restricted["id"], **fields}
        if action == "package_revise":
            body = {"match": {"id": restricted["id"]}, **fields}

        response = app.post(EN_API + action, json=body, headers=agency["headers"])

        assert response.status_code == 409, response.body[:300]
        assert "Art. 13(1)(a)" in str(response.json["error"])
        assert _private_in_db(restricted)
        assert _exposed(app, restricted) == []

    def test_package_update_without_private_counts_as_public(self, app, agency):
        restricted = _create(agency, "Hồ sơ đất đai cá nhân", **RESTRICTED)
        shown = helpers.call_action("package_show", id=restricted["id"])
        shown.pop("private")

        response = app.post(
            API + "package_update", json=shown, headers=agency["headers"]
        )

        assert response.status_code == 409
        assert _private_in_db(restricted)
        assert _exposed(app, restricted) == []

    def test_public_dataset_cannot_be_reclassified_while_public(self, app, agency):
        public = _create(agency, "Danh sách trạm quan trắc", private=False)

        response = app.post(
            API + "package_patch",
            json={"id": public["id"], "data_importance_class": "quan_trong"},
            headers=agency["headers"],
        )

        assert response.status_code == 409
        shown = helpers.call_action("package_show", id=public["id"])
        assert shown["data_importance_class"] == "khac"

    def test_moving_to_another_agency_keeps_it_private(self, app, agency):
        restricted = _create(agency, "Hồ sơ đất đai cá nhân", **RESTRICTED)

        helpers.call_action(
            "package_owner_org_update",
            context={"user": factories.Sysadmin()["name"]},
            id=restricted["id"],
            organization_id=factories.Organization()["id"],
        )

        assert _private_in_db(restricted)
        assert _exposed(app, restricted) == []


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDefenceInDepth:
    """A row that is public against the law (old data, SQL) is still not shown."""

    @pytest.fixture
    def public_by_sql(self, agency):
        dataset = _create(agency, "Hồ sơ đất đai cá nhân", **RESTRICTED)
        model.Session.query(model.Package).filter_by(id=dataset["id"]).update(
            {"private": False}
        )
        model.Session.commit()
        search.rebuild(dataset["id"])
        return dataset

    def test_anonymous_visitors_do_not_find_it(self, app, public_by_sql):
        assert not _private_in_db(public_by_sql)
        assert _exposed(app, public_by_sql) == []

    def test_its_agency_still_sees_it(self, app, agency, public_by_sql):
        response = app.get(
            f"/dataset/{public_by_sql['name']}.rdf", headers=agency["headers"]
        )

        assert response.status_code == 200

    def test_a_dataset_that_passes_is_public_as_usual(self, app, agency):
        public = _create(agency, "Danh sách trạm quan trắc", private=False)

        assert "package_search" in _exposed(app, public)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOtherDatasetTypes:
    """A type no plugin registers would get CKAN's default schema: no gate at all."""

    def test_an_unknown_type_is_refused(self, app, agency):
        body = {"type": "bang", "name": "ho-so-ca-nhan", "title": "Hồ sơ cá nhân",
                "owner_org": agency["org"]["id"], "private": False}  # fmt: skip

        response = app.post(EN_API + "package_create", json=body,
                            headers=agency["headers"], status=409)  # fmt: skip

        assert "type" in response.json["error"]
        assert model.Package.get("ho-so-ca-nhan") is None

    def test_a_stored_dataset_of_another_type_is_not_shown(self, app, agency):
        dataset = _create(agency, "Hồ sơ đất đai cá nhân", **RESTRICTED)
        model.Session.query(model.Package).filter_by(id=dataset["id"]).update(
            {"private": False, "type": "bang"}
        )
        model.Session.commit()
        search.rebuild(dataset["id"])

        found = app.get(API + "package_search?q=*:*").json["result"]["results"]
        assert dataset["id"] not in {d["id"] for d in found}
        assert app.get(API + f"package_show?id={dataset['id']}").status_code == 403
