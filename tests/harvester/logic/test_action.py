"""ckanext-harvest's source and job actions answer bad input with a validation error
(409) in the user's language that names the field, never a 500."""

from __future__ import annotations

import json

import pytest

from ckan.tests import factories, helpers

from tests.harvester.helpers import (
    HOSTILE_CONFIGS,
    post_source_form,
)
from tests.harvester.sources import SOURCE_CONFIG, harvest_source
from tests.helpers import token_headers

API = "/api/3/action/"


def _create(app, headers, status=409, **fields):
    data = {
        "name": "cong-du-lieu-hue",
        "url": "https://opendata.hue.gov.vn/catalog.ttl",
        "source_type": "vndata_dcat",
        "owner_org": factories.Organization()["id"],
        "config": json.dumps(SOURCE_CONFIG),
        **fields,
    }
    data = {key: value for key, value in data.items() if value is not None}
    return app.post(
        API + "harvest_source_create", json=data, headers=headers, status=status
    )


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHarvestSourceCreate:
    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ({"source_type": None}, "source_type", "Bắt buộc nhập"),
            ({"source_type": "csw"}, "source_type", "không có loại trình thu thập csw"),
            ({"source_type": 5}, "source_type", "source_type phải là văn bản"),
            ({"url": "khong-phai-dia-chi"}, "url", "url phải là địa chỉ http"),
            ({"url": "ftp://hue.gov.vn/a"}, "url", "url phải là địa chỉ http"),
            ({"url": 42}, "url", "url phải là địa chỉ http"),
            ({"frequency": "HOURLY"}, "frequency", "không có tần suất HOURLY"),
            ({"config": "[1, 2]"}, "config", "phải là một đối tượng JSON"),
            ({"config": "5"}, "config", "phải là một đối tượng JSON"),
            ({"config": ["a"]}, "config", "phải là một đối tượng JSON"),
            ({"config": {"timeout": 5}}, "config", "phải là một đối tượng JSON"),
            ({"config": "{khong json"}, "config", "không phải JSON hợp lệ (dòng 1"),
            (
                {"config": json.dumps({"max_pages": 5, "x": "y" * 70000})},
                "config",
                "Cấu hình quá dài",
            ),
        ],
    )
    def test_bad_input_is_a_clear_validation_error(self, app, fields, field, message):
        headers = token_headers(factories.Sysadmin())

        refused = _create(app, headers, **fields).json["error"]

        assert any(message in text for text in refused[field]), refused
        assert not any("Error" in text for text in refused[field]), refused
        # The worker goes on: the next request succeeds.
        _create(app, headers, status=200)

    @pytest.mark.parametrize("config", HOSTILE_CONFIGS)
    def test_a_hostile_config_is_a_409_and_nothing_is_written(self, app, config):
        headers = token_headers(factories.Sysadmin())

        refused = _create(app, headers, config=config).json["error"]

        assert refused["config"]
        assert not helpers.call_action(
            "package_search", fq="+dataset_type:harvest", include_private=True
        )["count"]

    def test_every_config_mistake_is_listed_at_once_naming_its_key(self, app):
        config = {"province_map": ["48"], "auth_header": 12345, "timeout": "0"}

        refused = _create(
            app, token_headers(factories.Sysadmin()), config=json.dumps(config)
        ).json["error"]["config"]

        assert refused == [
            "province_map phải là một đối tượng gồm các giá trị văn bản, ví dụ "
            '{"a": "b"}.',
            "timeout phải là số từ 1 đến 600.",
            "auth_header phải là văn bản.",
        ]

    def test_an_address_already_harvested_is_refused_in_vietnamese(self, app):
        headers = token_headers(factories.Sysadmin())
        _create(app, headers, status=200, title="Cổng Huế")

        refused = _create(
            app,
            headers,
            name="cong-hue-2",
            url="HTTPS://OpenData.Hue.gov.vn:443/catalog.ttl/",
            config=json.dumps({**SOURCE_CONFIG, "timeout": 30}),
        ).json["error"]

        assert refused["url"] == [
            "url: nguồn Cổng Huế (/harvest/cong-du-lieu-hue) đã thu thập địa chỉ này "
            "bằng cùng loại trình thu thập; thêm một nguồn nữa sẽ nhập mỗi bản ghi "
            "hai lần."
        ]
        assert not helpers.call_action("package_search", fq="name:cong-hue-2")["count"]

    def test_another_type_at_the_same_address_needs_a_confirmation(self, app):
        headers = token_headers(factories.Sysadmin())
        _create(app, headers, status=200, title="Cổng Huế")
        # (ckanext-harvest itself refuses the same address with the same config text)
        second = {
            "name": "cong-hue-ckan",
            "source_type": "vndata_ckan",
            "config": json.dumps({**SOURCE_CONFIG, "timeout": 30}),
        }

        refused = _create(app, headers, **second).json["error"]
        _create(app, headers, status=200, vndata_confirm_duplicate_url="on", **second)

        assert refused["url"] == [
            "url: nguồn Cổng Huế (/harvest/cong-du-lieu-hue) đã thu thập địa chỉ này "
            'bằng một loại trình thu thập khác. Để giữ cả hai, đánh dấu "Vẫn lưu" '
            "dưới ô địa chỉ."
        ]
        shown = helpers.call_action("harvest_source_show", id="cong-hue-ckan")
        assert "vndata_confirm_duplicate_url" not in json.dumps(shown)

    @pytest.mark.parametrize("action", ["package_create", "harvest_source_create"])
    def test_a_user_who_may_not_manage_sources_learns_nothing_of_them(
        self, app, action
    ):
        headers = token_headers(factories.Sysadmin())
        source = _create(app, headers, status=200, title="Nguồn riêng Huế").json
        helpers.call_action(
            "package_patch",
            context={"user": factories.Sysadmin()["name"]},
            id=source["result"]["id"],
            private=True,
        )
        guess = {
            "type": "harvest",
            "name": "doan-thu",
            "url": "https://opendata.hue.gov.vn/catalog.ttl",
            "source_type": "vndata_dcat",
            "title": "x",
        }

        refused = app.post(
            API + action,
            json=guess,
            headers=token_headers(factories.User()),
            status=403,
        ).body

        assert "Nguồn riêng Huế" not in refused and "cong-du-lieu-hue" not in refused
        # A sysadmin is still told which source harvests the address.
        told = app.post(API + action, json=guess, headers=headers, status=409).json
        assert "Nguồn riêng Huế" in told["error"]["url"][0]

    @pytest.mark.parametrize("confirm", [["on"], {"a": 1}, 5, "\x00", "yes"])
    def test_a_hostile_confirmation_confirms_nothing(self, app, confirm):
        headers = token_headers(factories.Sysadmin())
        _create(app, headers, status=200)

        refused = _create(
            app,
            headers,
            name="cong-hue-ckan",
            source_type="vndata_ckan",
            vndata_confirm_duplicate_url=confirm,
        ).json["error"]

        assert "url" in refused


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestHarvestJobCreate:
    def test_a_second_job_while_one_is_pending_is_a_409(self, app):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl")
        headers = token_headers(factories.Sysadmin())
        data = {"source_id": source["id"], "run": False}
        app.post(API + "harvest_job_create", json=data, headers=headers)

        refused = app.post(
            API + "harvest_job_create", json=data, headers=headers, status=409
        ).json["error"]

        assert refused["source_id"] == [
            "Nguồn này đã có một phiên thu thập đang chờ hoặc đang chạy; hãy bắt đầu "
            "phiên khác khi phiên đó kết thúc."
        ]
        app.get(API + f"harvest_source_show?id={source['id']}", headers=headers)

    def test_a_job_for_a_deleted_source_is_a_409(self, app):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl")
        headers = token_headers(factories.Sysadmin())
        app.post(API + "harvest_source_delete", json={"id": source["id"]},
                 headers=headers)  # fmt: skip

        refused = app.post(
            API + "harvest_job_create",
            json={"source_id": source["id"]},
            headers=headers,
            status=409,
        ).json["error"]

        assert refused["source_id"] == [
            "Nguồn thu thập này không còn hoạt động (đã bị xóa)."
        ]

    def test_a_job_without_a_source_is_a_409(self, app):
        headers = token_headers(factories.Sysadmin())

        refused = app.post(
            API + "harvest_job_create", json={}, headers=headers, status=409
        ).json["error"]

        assert refused["source_id"] == ["source_id: thiếu giá trị."]


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSourceForm:
    def test_config_mistakes_are_shown_under_the_config_field(self, app):
        page = post_source_form(
            app,
            token_headers(factories.Sysadmin()),
            config='{"province_map": ["46"], "auth_header": 1}',
        )

        below = page[page.index('id="field-config"') :]
        assert "province_map phải là một đối tượng" in below
        assert "auth_header phải là văn bản." in below
        assert "Error parsing" not in page

    def test_a_name_left_empty_is_the_vietnamese_title_transliterated(self, app):
        headers = token_headers(factories.Sysadmin())
        form = app.get("/harvest/new", headers=headers).get_data(as_text=True)
        marker = 'name="_csrf_token" value="'
        start = form.index(marker) + len(marker)

        app.post(
            "/harvest/new",
            data={
                "name": "",
                "title": "Cổng dữ liệu mở thành phố Đà Nẵng",
                "url": "https://opendata.danang.gov.vn/catalog.ttl",
                "source_type": "vndata_dcat",
                "config": json.dumps(SOURCE_CONFIG),
                "frequency": "MANUAL",
                "owner_org": factories.Organization()["id"],
                "save": "",
                "_csrf_token": form[start : form.index('"', start)],
            },
            headers=headers,
        )

        source = helpers.call_action(
            "harvest_source_show", id="cong-du-lieu-mo-thanh-pho-da-nang"
        )
        assert source["title"] == "Cổng dữ liệu mở thành phố Đà Nẵng"


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSourceNames:
    def test_a_second_source_with_the_same_title_gets_a_numbered_name(self, app):
        headers = token_headers(factories.Sysadmin())
        title = "Cổng dữ liệu Huế"
        _create(app, headers, 200, name=None, title=title)

        second = _create(app, headers, 200, name="", title=title,
                         url="https://data.hue.gov.vn/catalog.ttl")  # fmt: skip

        assert second.json["result"]["name"] == "cong-du-lieu-hue-2"

    def test_a_name_typed_with_accents_is_transliterated(self, app):
        headers = token_headers(factories.Sysadmin())

        made = _create(app, headers, 200, name="Cổng Đà Nẵng", title="Cổng")

        assert made.json["result"]["name"] == "cong-da-nang"

    @pytest.mark.parametrize("hostile", ["\x00", "!!!", "đ" * 500])
    def test_a_hostile_name_is_a_validation_error_or_a_clean_name(self, app, hostile):
        headers = token_headers(factories.Sysadmin())

        made = _create(app, headers, None, name=hostile, title="Cổng")

        assert made.status_code in (200, 409)
        if made.status_code == 409:
            assert "name" in made.json["error"]
        else:
            assert len(made.json["result"]["name"]) <= 100


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestOtherHarvestActions:
    @pytest.mark.parametrize(
        ("action", "data", "field", "message"),
        [
            ("harvest_source_show_status", {}, "id", "id: thiếu giá trị."),
            ("harvest_job_abort", {}, "id", "id: thiếu giá trị."),
            (
                "harvest_get_notifications_recipients",
                {},
                "source_id",
                "source_id: thiếu giá trị.",
            ),
            (
                "harvest_objects_import",
                {"source_id": "SOURCE"},
                "source_id",
                "Nguồn thu thập này không còn hoạt động (đã bị xóa).",
            ),
        ],
    )
    def test_bad_input_is_a_409_not_a_500(self, app, action, data, field, message):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl")
        headers = token_headers(factories.Sysadmin())
        app.post(API + "harvest_source_delete", json={"id": source["id"]},
                 headers=headers)  # fmt: skip
        data = {k: source["id"] if v == "SOURCE" else v for k, v in data.items()}

        refused = app.post(API + action, json=data, headers=headers, status=409)

        assert refused.json["error"][field] == [message]
        status = app.get(
            API + f"harvest_source_show_status?id={source['id']}", headers=headers
        )
        assert status.json["success"]
