"""The core actions chained by vndata_metadata: what the schema alone cannot see.

bulk_update_public meets the publication gate all or nothing; package_create and
package_update refuse a wrong shape as a validation error naming the key (never a
500), package_create a dataset type no plugin registers, and package_update without
resources keeps the stored ones for the stars. Through the actions, as any caller
(the API, the organization's bulk page, another extension) reaches them.
"""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from tests.helpers import token_headers
from tests.metadata.helpers import create_dataset as _create
from tests.metadata.helpers import creation_errors as _errors
from tests.metadata.helpers import vn_dataset

RESTRICTED = {"private": True, "data_sharing_class": "dung_rieng"}
NOT_A_LIST_OF_OBJECTS = ["a,b", {"name": "a"}, ["a"], [1], [None], [[{}]], 5]
LIST_KEYS = ["resources", "tags", "extras", "groups", "relationships_as_object"]


def _private(dataset: dict) -> bool:
    model.Session.expire_all()
    return model.Package.get(dataset["id"]).private


def _count() -> int:
    return helpers.call_action("package_search", q="*:*", include_private=True)["count"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestBulkUpdatePublic:
    def _bulk(self, context, org: dict, datasets) -> dict:
        return helpers.call_action(
            "bulk_update_public", context=context, datasets=datasets, org_id=org["id"]
        )

    @pytest.mark.parametrize(
        "datasets",
        [None, "abc", "", [1], [None], [["x"]], {"id": "x"}, ["a\x00"], ["\ud800"]],
        ids=repr,
    )
    def test_what_is_not_a_list_of_ids_is_refused(
        self, sysadmin_context, organization, datasets
    ):
        with pytest.raises(tk.ValidationError) as raised:
            self._bulk(sysadmin_context(), organization, datasets)

        assert raised.value.error_dict == {
            "datasets": ["Must be a list of dataset ids."]
        }

    def test_every_dataset_refused_is_named_and_none_is_changed(
        self, sysadmin_context, organization
    ):
        owner = organization["id"]
        refused = [
            _create(sysadmin_context(), **vn_dataset(owner, title=title, **RESTRICTED))
            for title in ("Hồ sơ địa chính", "Bản đồ quy hoạch")
        ]
        passing = _create(sysadmin_context(), **vn_dataset(owner, private=True))
        ids = [passing["id"]] + [d["id"] for d in refused]

        with pytest.raises(tk.ValidationError) as raised:
            self._bulk(sysadmin_context(), organization, ids)

        messages = raised.value.error_dict["datasets"]
        assert messages == sorted(messages)
        assert [m.split(" (")[0] for m in messages] == [
            "Bản đồ quy hoạch",
            "Hồ sơ địa chính",
        ]
        assert all(_private(d) for d in [passing, *refused])

    def test_another_agencys_dataset_named_in_the_call_is_left_alone(
        self, sysadmin_context, organization
    ):
        other = factories.Organization()
        theirs = _create(sysadmin_context(), **vn_dataset(other["id"], **RESTRICTED))
        ours = _create(
            sysadmin_context(), **vn_dataset(organization["id"], private=True)
        )

        self._bulk(sysadmin_context(), organization, [theirs["id"], ours["id"]])

        assert not _private(ours)
        assert _private(theirs)

    def test_a_member_who_may_not_publish_is_refused_before_anything_is_read(
        self, organization
    ):
        editor = factories.User()
        helpers.call_action(
            "organization_member_create",
            id=organization["id"],
            username=editor["name"],
            role="member",
        )

        with pytest.raises(tk.NotAuthorized):
            self._bulk(
                {"user": editor["name"], "ignore_auth": False}, organization, "abc"
            )


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestShapes:
    @pytest.mark.parametrize("key", LIST_KEYS)
    @pytest.mark.parametrize("value", NOT_A_LIST_OF_OBJECTS, ids=repr)
    def test_create_with_a_key_that_is_not_a_list_of_objects_is_refused(
        self, sysadmin_context, organization, key, value
    ):
        errors = _errors(
            sysadmin_context(), **vn_dataset(organization["id"], **{key: value})
        )

        assert errors == {key: ["Must be a list of objects."]}
        assert _count() == 0

    @pytest.mark.parametrize(
        ("key", "value"), [("tags", "a,b"), ("type", ["dataset"]), ("groups", {})]
    )
    def test_over_the_api_a_wrong_shape_is_a_409_naming_the_key(
        self, app, organization, key, value
    ):
        user = factories.Sysadmin()

        response = app.post(
            "/api/3/action/package_create",
            json=vn_dataset(organization["id"], **{key: value}),
            headers=token_headers(user),
        )

        assert response.status_code == 409, response.body[:300]
        assert key in response.json["error"]

    @pytest.mark.parametrize("action", ["package_create", "package_update"])
    @pytest.mark.parametrize("key", ["id", "name", "owner_org"])
    @pytest.mark.parametrize("value", ["\x00", "cong\x00-du-lieu", "\udfff"], ids=repr)
    def test_a_key_looked_up_before_validation_that_cannot_be_stored_is_a_409(
        self, app, organization, action, key, value
    ):
        # A harvest source too: its checks read the database before the schema.
        stored = _create(
            {"user": factories.Sysadmin()["name"]}, **vn_dataset(organization["id"])
        )
        data = {**vn_dataset(organization["id"]), "id": stored["id"], key: value}
        if action == "package_create" and key != "id":
            del data["id"]

        response = app.post(
            f"/api/3/action/{action}",
            json=data,
            headers=token_headers(factories.Sysadmin()),
        )

        assert response.status_code == 409, response.body[:300]
        assert response.json["error"][key] == [
            "Chứa ký tự điều khiển hoặc ký tự Unicode không hợp lệ."
        ]
        assert helpers.call_action("package_show", id=stored["id"]) == stored

    @pytest.mark.parametrize("url", [["http://x/a.csv"], 5, {"a": 1}, True], ids=repr)
    def test_a_resource_url_that_is_not_text_is_refused_where_it_is(
        self, sysadmin_context, organization, url
    ):
        resources = [{"url": "http://x/a.csv"}, {"url": url, "format": "CSV"}]

        errors = _errors(
            sysadmin_context(), **vn_dataset(organization["id"], resources=resources)
        )

        assert errors == {
            "resources": [
                {},
                {"url": ["Must be text, not a list, a number or an object."]},
            ]
        }

    @pytest.mark.parametrize("action", ["package_create", "package_update"])
    @pytest.mark.parametrize("data_dict", [["x"], "x", 5], ids=repr)
    def test_a_call_that_is_not_an_object_is_refused(
        self, sysadmin_context, action, data_dict
    ):
        with pytest.raises(tk.ValidationError) as raised:
            tk.get_action(action)(sysadmin_context(), data_dict)

        assert raised.value.error_dict == {"__type": ["Must be an object."]}

    def test_an_update_with_a_wrong_shape_changes_nothing(
        self, sysadmin_context, organization
    ):
        stored = _create(sysadmin_context(), **vn_dataset(organization["id"]))

        with pytest.raises(tk.ValidationError) as raised:
            helpers.call_action(
                "package_update",
                context=sysadmin_context(),
                **{**stored, "title": "Tiêu đề mới", "tags": "a,b"},
            )

        assert raised.value.error_dict == {"tags": ["Must be a list of objects."]}
        assert helpers.call_action("package_show", id=stored["id"]) == stored


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDatasetTypes:
    @pytest.mark.parametrize(
        "kind", ["bang", "Dataset", 5, ["dataset"], {"type": "dataset"}], ids=repr
    )
    def test_a_type_no_plugin_registers_is_refused(
        self, sysadmin_context, organization, kind
    ):
        fields = vn_dataset(organization["id"], type=kind)

        errors = _errors(sysadmin_context(), **fields)

        assert errors == {"type": [f"Unknown dataset type: {kind}."]}
        assert _count() == 0

    def test_the_vietnamese_dataset_type_is_created(
        self, sysadmin_context, organization
    ):
        fields = vn_dataset(organization["id"], type="dataset")

        dataset = _create(sysadmin_context(), **fields)

        assert dataset["type"] == "dataset"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestUpdateWithoutResources:
    @pytest.fixture
    def linked_data(self, sysadmin_context, organization) -> dict:
        resources = [{"url": "http://x/a.ttl", "format": "TTL"}]
        return _create(
            sysadmin_context(), **vn_dataset(organization["id"], resources=resources)
        )

    def test_an_update_without_resources_keeps_them_and_their_stars(
        self, sysadmin_context, linked_data
    ):
        edited = {k: v for k, v in linked_data.items() if k != "resources"}
        # As CKAN's dataset edit form calls it: the stored resources are kept.
        context = {**sysadmin_context(), "allow_partial_update": True}

        updated = helpers.call_action(
            "package_update", context=context, **{**edited, "title": "Tiêu đề mới"}
        )

        assert updated["title"] == "Tiêu đề mới"
        assert [r["url"] for r in updated["resources"]] == ["http://x/a.ttl"]
        assert updated["openness_stars"] == 4

    def test_an_update_with_no_resources_given_has_no_star(
        self, sysadmin_context, linked_data
    ):
        emptied = {**linked_data, "resources": []}

        updated = helpers.call_action(
            "package_update", context=sysadmin_context(), **emptied
        )

        assert updated["resources"] == []
        assert updated["openness_stars"] == 0


# Bytes no text conversion would keep: a BOM, Vietnamese in UTF-8, CRLF, a NUL.
FILE = "\ufefftên,số\r\nĐà Nẵng,1\r\n".encode() + b"\x00\xff"


def _upload(app, user: dict, dataset: dict, name: str, body: bytes = FILE):
    return app.post(
        "/api/3/action/resource_create",
        data={"package_id": dataset["id"], "upload": (io.BytesIO(body), name)},
        headers=token_headers(user),
        status=None,
    )


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestResourceUpload:
    @pytest.mark.parametrize(
        ("name", "stored"),
        [
            ("Trường học Đà Nẵng.csv", "truong-hoc-da-nang.csv"),
            ("../../etc/Báo cáo.csv", "bao-cao.csv"),
            ("..\\..\\Windows\\Điểm wifi.CSV", "diem-wifi.csv"),
            ("a\x00b.csv", "ab.csv"),
        ],
    )
    def test_an_uploaded_file_downloads_back_identically_under_a_clean_name(
        self, app, sysadmin_context, organization, name, stored
    ):
        user = factories.Sysadmin()
        dataset = _create(sysadmin_context(), **vn_dataset(organization["id"]))

        made = _upload(app, user, dataset, name)

        assert made.status_code == 200, made.body
        resource = made.json["result"]
        assert (resource["url_type"], resource["url"].rsplit("/", 1)[-1]) == (
            "upload",
            stored,
        )
        download = app.get(
            f"/dataset/{dataset['id']}/resource/{resource['id']}/download/{stored}",
            headers=token_headers(user),
        )
        assert download.data == FILE

    def test_a_very_long_name_is_cut_to_a_name_the_portal_can_store(
        self, app, sysadmin_context, organization
    ):
        user = factories.Sysadmin()
        dataset = _create(sysadmin_context(), **vn_dataset(organization["id"]))

        made = _upload(app, user, dataset, "Dữ liệu " * 200 + ".csv")

        name = made.json["result"]["url"].rsplit("/", 1)[-1]
        assert name.startswith("du-lieu-du-lieu") and name.endswith(".csv")
        assert len(name) <= 100

    @pytest.mark.ckan_config("ckan.max_resource_size", 1)
    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_a_file_over_the_size_limit_is_refused_in_vietnamese_and_not_stored(
        self, app, sysadmin_context, organization
    ):
        user = factories.Sysadmin()
        dataset = _create(sysadmin_context(), **vn_dataset(organization["id"]))

        refused = _upload(app, user, dataset, "lon.csv", b"x" * (1024 * 1024 + 1))

        assert refused.status_code == 409
        assert refused.json["error"]["upload"] == [
            "Tệp lớn hơn 1 MB, mức tối đa cổng này chấp nhận."
        ]
        shown = helpers.call_action("package_show", id=dataset["id"])
        assert len(shown["resources"]) == 1  # the one it was created with

    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_a_file_without_a_name_is_refused_in_vietnamese_not_dropped(
        self, app, sysadmin_context, organization
    ):
        user = factories.Sysadmin()
        dataset = _create(sysadmin_context(), **vn_dataset(organization["id"]))

        refused = _upload(app, user, dataset, "thu-muc/")

        assert refused.status_code == 409, refused.body
        assert "Tệp tải lên không có tên" in refused.json["error"]["upload"][0]
        shown = helpers.call_action("package_show", id=dataset["id"])
        assert len(shown["resources"]) == 1  # the one it was created with

    @pytest.mark.parametrize(
        "name", ["a\\", "../..//", "C:\\Dữ liệu\\", " / ", "", "\x00", "d/\u200b"]
    )
    def test_any_name_that_is_only_a_folder_is_refused_by_the_action(
        self, sysadmin_context, organization, name
    ):
        # Through the action: a multipart header cannot carry a trailing backslash.
        dataset = _create(sysadmin_context(), **vn_dataset(organization["id"]))
        upload = FileStorage(io.BytesIO(FILE), filename=name)
        with pytest.raises(tk.ValidationError) as refused:
            helpers.call_action(
                "resource_create",
                context=sysadmin_context(),
                package_id=dataset["id"],
                upload=upload,
            )
        assert list(refused.value.error_dict) == ["upload"]
        shown = helpers.call_action("package_show", id=dataset["id"])
        assert len(shown["resources"]) == 1
