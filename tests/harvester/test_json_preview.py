""" "Try the mapping" (issue 21): a vndata_json source's first records as they would be
imported, read from loopback APIs through the real session, before anything is saved;
and what it refuses to do for someone who may not save the source, or with a login
given for another site."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from tests.fuzz import FUZZ, HOSTILE_WORDS
from tests.harvester import json_servers as served
from tests.harvester.sources import SOURCE_CONFIG, harvest_source
from tests.helpers import browser_login, csrf_token, token_headers

pytestmark = [
    pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1"),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]


@pytest.fixture
def api():
    with served.json_api() as running:
        yield running


def _config(api: served.Api, template: dict, **changes) -> str:
    return json.dumps({**SOURCE_CONFIG, **api.config(template), **changes})


def _preview(user: dict | None = None, **data) -> dict:
    user = user or factories.Sysadmin()
    data.setdefault("source_type", "vndata_json")
    context = {"user": user["name"], "ignore_auth": False}
    return helpers.call_action("vndata_harvest_source_preview", context=context, **data)


def _posted(app, api: served.Api, user: dict | None = None, **data):
    """The action through the API, as a script with a token calls it: the
    Đà Nẵng-style source of ``api`` unless ``data`` says otherwise."""
    body = {
        "url": api.origin + "/api/dulieu",
        "source_type": "vndata_json",
        "config": _config(api, served.DANANG_CONFIG),
        **data,
    }
    return app.post(
        "/api/3/action/vndata_harvest_source_preview",
        json=body,
        headers=token_headers(user or factories.Sysadmin()),
        expect_errors=True,
    )


def _written() -> tuple[int, int]:
    """Datasets and harvest sources in the database."""
    query = model.Session.query(model.Package)
    return (
        query.filter(model.Package.type == "dataset").count(),
        query.filter(model.Package.type == "harvest").count(),
    )


class TestWhatItShows:
    def test_the_first_records_as_imported_from_their_detail_nothing_saved(self, api):
        api.records = [served.danang_record(n) for n in range(1, 9)]

        preview = _preview(
            url=api.origin + "/api/dulieu", config=_config(api, served.DANANG_CONFIG)
        )

        assert preview["problems"] == [] and preview["error"] is None
        assert preview["on_page"] == 2  # the page the source's size asks for
        first, second = preview["records"]
        assert first["identity"] == "DN-0001"
        assert first["publisher"] == "Sở Giáo dục và Đào tạo"
        fields = {key: value for key, _label, value in first["dataset"]}
        assert fields["title"] == "Danh sách trường học số 1"
        assert fields["notes"].startswith("Dữ liệu danh sách trường học số 1")
        assert fields["sectors"] == ["giao-duc-dao-tao"]
        assert fields["update_frequency"] == "hang_nam"
        assert fields["province_code"] == "48"
        assert fields["personal_data_assessed"] == "true"  # as the form's choices
        assert {"data_sharing_class", "data_importance_class"} <= set(
            first["defaulted"]
        )
        assert first["resources"] == [
            {
                "name": "Bảng dữ liệu",
                "url": "https://opendata.danang.gov.vn/tep/DN-0001.csv",
                "format": "CSV",
            }
        ]
        assert first["problems"] == [] and first["dropped"] == []
        # One page and the shown records' details; nothing written.
        assert [h for h in api.hits if h.startswith("/api/dulieu?")] == [
            "/api/dulieu?trang=1&soBanGhi=2"
        ]
        assert len(api.detail_hits()) == 2
        assert _written() == (0, 0)

    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_each_kind_of_mistake_is_shown_on_its_record(self, api):
        api.records = [
            served.danang_record(1, linhVuc="Thiên văn"),  # no value map for it
            {"tenDuLieu": "Không có mã"},  # no identity
            served.danang_record(3, tenDuLieu=""),  # the schema needs a title
        ]
        paging = {**served.DANANG_CONFIG["paging"], "size": 3}
        config = json.loads(_config(api, {**served.DANANG_CONFIG, "paging": paging}))
        del config["detail_url"], config["detail_record"]

        unknown, no_id, untitled = _preview(
            url=api.origin + "/api/dulieu", config=json.dumps(config)
        )["records"]

        assert unknown["dropped"][0]["field"] == "sectors", unknown
        assert "Thiên văn" in unknown["dropped"][0]["value"]
        assert "maDuLieu" in no_id["left_out"] and "dataset" not in no_id
        assert "Tên tập dữ liệu" in untitled["quarantined"], untitled

    def test_a_config_with_mistakes_names_them_all_and_reads_nothing(self, api):
        config = _config(
            api,
            served.DANANG_CONFIG,
            paging={"type": "trang"},
            mapping={"records": "data.items[", "fields": {"tieu_de": "x"}},
        )

        preview = _preview(url=api.origin + "/api/dulieu", config=config)

        keys = {key for key, _message in preview["problems"]}
        assert {"paging.type", "mapping.records", "mapping.identity"} <= keys
        assert "mapping.fields.tieu_de" in keys
        assert preview["records"] == [] and api.hits == []

    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_a_refused_login_is_said_in_vietnamese_without_the_password(self, app, api):
        api.password = "doi-roi"

        preview = _posted(app, api).json["result"]

        assert "từ chối đăng nhập" in preview["error"], preview
        assert served.PASSWORD not in json.dumps(preview)

    def test_an_internal_address_is_never_asked(self, api):
        preview = _preview(
            url="http://169.254.169.254/latest/meta-data",
            config=_config(api, served.KEYED_CONFIG),
        )

        assert "169.254.169.254" in preview["error"]
        assert api.hits == []

    def test_a_gateway_token_is_fetched_for_the_preview(self, api):
        api.records = [served.danang_record(n) for n in range(1, 4)]

        preview = _preview(
            url=api.origin + "/gateway/datasets",
            config=_config(api, served.GATEWAY_CONFIG),
        )

        assert [r["identity"] for r in preview["records"]] == ["DN-0001", "DN-0002"]
        assert api.token_requests == 1
        assert served.CLIENT_SECRET not in json.dumps(preview)

    def test_a_record_listed_twice_is_shown_left_out_the_second_time(self, api):
        api.records = [served.danang_record(1), served.danang_record(1)]

        first, second = _preview(
            url=api.origin + "/api/dulieu", config=_config(api, served.DANANG_CONFIG)
        )["records"]

        assert "dataset" in first and "left_out" not in first
        assert "DN-0001" in second["left_out"] and "dataset" not in second

    def test_records_of_no_rule_fall_in_the_organization_the_form_gives(self, api):
        organization = factories.Organization(title="Sở Thông tin Đà Nẵng")
        api.records = [served.danang_record(1)]

        record = _preview(
            url=api.origin + "/api/dulieu",
            config=_config(api, served.DANANG_CONFIG),
            owner_org=organization["name"],
        )["records"][0]

        fields = {key: value for key, _label, value in record["dataset"]}
        assert fields["owner_org"] == "Sở Thông tin Đà Nẵng", record

    def test_the_create_policy_says_which_organization_it_would_make(self, api):
        api.records = [served.danang_record(1)]
        own = factories.Organization()
        organizations = model.Session.query(model.Group).count()

        record = _preview(
            url=api.origin + "/api/dulieu",
            config=_config(api, served.DANANG_CONFIG, unknown_publishers="create"),
            owner_org=own["id"],
        )["records"][0]

        assert "so-giao-duc-va-dao-tao-48" in record["new_organization"], record
        assert "Sở Giáo dục và Đào tạo" in record["new_organization"]
        assert "dataset" in record  # still shown as it would be imported
        assert model.Session.query(model.Group).count() == organizations

    def test_a_slow_source_is_cut_short_and_said(self, api, monkeypatch):
        from ckanext.vndata.harvester import json_preview

        monkeypatch.setattr(json_preview, "DEADLINE", -1)  # already past
        api.records = [served.danang_record(1), served.danang_record(2)]

        preview = _preview(
            url=api.origin + "/api/dulieu", config=_config(api, served.DANANG_CONFIG)
        )

        assert preview["records"] == [] and preview["on_page"] == 2
        assert "not read" in preview["out_of_time"]
        assert api.detail_hits() == []

    def test_a_slow_source_is_not_waited_on_as_long_as_a_harvest(
        self, api, monkeypatch
    ):
        from ckanext.vndata.harvester import json_preview

        config = json.loads(
            _config(api, served.DANANG_CONFIG, timeout=600, max_document_mb=1024)
        )
        seen = {}
        real = json_preview.session.session_for

        def spy(parsed, url):
            seen.update(parsed)
            return real(parsed, url)

        monkeypatch.setattr(json_preview.session, "session_for", spy)
        _preview(url=api.origin + "/api/dulieu", config=json.dumps(config))

        assert seen["timeout"] <= 10 and seen["max_document_mb"] <= 10


class TestASavedSource:
    def test_the_masked_login_is_the_stored_one(self, api):
        api.records = [served.danang_record(1)]
        source = harvest_source(
            api.origin + "/api/dulieu",
            source_type="vndata_json",
            **api.config(served.DANANG_CONFIG),
        )
        config = _config(api, served.DANANG_CONFIG, basic_password="********")

        preview = _preview(id=source["id"], url=source["url"], config=config)

        assert preview["error"] is None, preview
        assert [r["identity"] for r in preview["records"]] == ["DN-0001"]

    def test_a_stored_login_is_never_sent_to_another_site(self, api):
        source = harvest_source(
            api.origin + "/api/dulieu",
            source_type="vndata_json",
            **api.config(served.DANANG_CONFIG),
        )
        config = json.loads(_config(api, served.DANANG_CONFIG))
        del config["basic_password"]  # an editor who never saw it
        with served.json_api() as elsewhere:
            elsewhere.records = [served.danang_record(1)]

            preview = _preview(
                id=source["id"],
                url=elsewhere.origin + "/api/dulieu",
                config=json.dumps(config),
            )

            assert elsewhere.hits == []
        assert "basic_password" in json.dumps(preview["problems"])

    def test_a_client_secret_stays_with_its_site(self, api):
        source = harvest_source(
            api.origin + "/gateway/datasets",
            source_type="vndata_json",
            **api.config(served.GATEWAY_CONFIG),
        )
        config = json.loads(_config(api, served.GATEWAY_CONFIG))
        del config["client_secret"]  # kept, as the masked form would keep it
        with served.json_api() as elsewhere:
            config["oauth2"]["token_url"] = elsewhere.origin + "/oauth2/token"

            preview = _preview(
                id=source["id"],
                url=elsewhere.origin + "/gateway/datasets",
                config=json.dumps(config),
            )

            assert elsewhere.hits == [] and elsewhere.token_requests == 0
        assert "client_secret" in json.dumps(preview["problems"]), preview
        assert served.CLIENT_SECRET not in json.dumps(preview)


class TestWhoMay:
    def test_an_editor_may_not_make_the_portal_read_an_address(self, api):
        organization = factories.Organization()
        editor = factories.User()
        helpers.call_action(
            "organization_member_create",
            id=organization["id"],
            username=editor["name"],
            role="admin",
        )

        with pytest.raises(tk.NotAuthorized):
            _preview(
                editor,
                url=api.origin + "/api/dulieu",
                config=_config(api, served.DANANG_CONFIG),
                owner_org=organization["id"],
            )

        assert api.hits == []

    @pytest.mark.ckan_config("ckanext.vndata.harvester.editors_manage_sources", "true")
    @pytest.mark.parametrize(
        "owner_org", [{"id": "x"}, ["x"], "so-\x00", "\ud800"], ids=repr
    )
    def test_an_editor_s_odd_organization_is_refused_not_a_crash(
        self, app, api, owner_org
    ):
        answer = _posted(app, api, factories.User(), owner_org=owner_org)

        assert answer.status_code == 409, answer.body
        assert api.hits == []

    @pytest.mark.ckan_config("ckanext.vndata.harvester.editors_manage_sources", "true")
    def test_an_editor_needs_an_organization_for_a_new_source(self, api):
        with pytest.raises(tk.NotAuthorized):
            _preview(
                factories.User(),
                url=api.origin + "/api/dulieu",
                config=_config(api, served.DANANG_CONFIG),
            )

        assert api.hits == []

    def test_only_a_json_source_has_a_mapping_to_try(self, api):
        with pytest.raises(tk.ValidationError):
            _preview(source_type="vndata_dcat", url=api.origin, config="{}")


class TestTheFormButton:
    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_the_form_posts_with_its_token_and_gets_the_records_escaped(self, app, api):
        api.records = [served.danang_record(1, tenDuLieu="<script>alert(1)</script>")]
        sysadmin = factories.Sysadmin(password="Matkhau-2026")
        client = browser_login(app, sysadmin)
        form = client.get("/harvest/new").body
        assert 'id="vndata-try-mapping"' in form and "Thử ánh xạ" in form
        data = {
            "url": api.origin + "/api/dulieu",
            "source_type": "vndata_json",
            "config": _config(api, served.DANANG_CONFIG),
        }

        refused = client.post("/thu-thap/thu-anh-xa", data=data)
        assert refused.status_code == 400 and api.hits == []  # no token: not read
        shown = client.post(
            "/thu-thap/thu-anh-xa",
            data={**data, "_csrf_token": csrf_token(form)},
            headers={"X-Requested-With": "XMLHttpRequest"},
        )

        assert shown.status_code == 200
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown.body
        assert "<script>alert" not in shown.body
        assert "Bản ghi 1" in shown.body
        assert "<html" not in shown.body  # the result alone, for the form's script

    def test_an_api_token_user_gets_the_result_as_data(self, app, api):
        api.records = [served.danang_record(1)]

        result = _posted(app, api).json["result"]

        assert result["records"][0]["identity"] == "DN-0001"


class TestHostileInput:
    @pytest.mark.parametrize(
        "changes",
        [
            {"basic_user": "\ud800"},  # no text PostgreSQL or a request holds
            {"basic_user": None, "auth_header": "Bearer kh\u00f3a"},
            {"api_key": "kh\u00f3a"},
            {"api_key_header": "X-Kh\u00f3a"},
        ],
        ids=repr,
    )
    def test_a_login_no_request_can_carry_is_a_problem(self, api, changes):
        config = json.loads(_config(api, served.DANANG_CONFIG, **changes))
        config = {key: value for key, value in config.items() if value is not None}

        preview = _preview(url=api.origin + "/api/dulieu", config=json.dumps(config))

        key = next(k for k, v in changes.items() if v is not None)
        assert [k for k, _message in preview["problems"]] == [key], preview
        assert api.hits == []

    def test_a_lone_surrogate_from_the_api_is_shown_replaced(self, app, api):
        odd = {"tenDuLieu": "T\u00ean \udfff", "donVi": {"ten": "\ud800"}}
        api.records = [served.danang_record(1, **odd)]
        sysadmin = factories.Sysadmin(password="Matkhau-2026")
        client = browser_login(app, sysadmin)
        form = client.get("/harvest/new").body

        shown = client.post(
            "/thu-thap/thu-anh-xa",
            data={
                "url": api.origin + "/api/dulieu",
                "source_type": "vndata_json",
                "config": _config(api, served.DANANG_CONFIG),
                "_csrf_token": csrf_token(form),
            },
            headers={"X-Requested-With": "XMLHttpRequest"},
        )

        assert shown.status_code == 200
        # Replaced where shown; the title, as the import would, held back for it.
        assert "«Tên \ufffd»" in shown.body, shown.body
        assert ": \ufffd\n" in shown.body  # the publisher

    def test_a_vietnamese_user_name_is_a_login_http_basic_carries(self, api):
        api.records = [served.danang_record(1)]
        config = _config(api, served.DANANG_CONFIG, basic_user="người-dùng")

        preview = _preview(url=api.origin + "/api/dulieu", config=config)

        # Sent (as UTF-8), and refused by this server, which knows another user.
        assert "401" in preview["error"] and preview["problems"] == []
        assert api.hits

    @FUZZ
    @given(
        url=st.sampled_from(HOSTILE_WORDS) | st.text(max_size=40),
        config=st.sampled_from(HOSTILE_WORDS)
        | st.dictionaries(
            st.sampled_from(["mapping", "paging", "detail_url", "basic_user"]),
            st.sampled_from(HOSTILE_WORDS)
            | st.dictionaries(
                st.sampled_from(["records", "identity", "fields", "type"]),
                st.sampled_from(HOSTILE_WORDS),
                max_size=3,
            ),
            max_size=3,
        ).map(json.dumps),
        source_id=st.none() | st.sampled_from(HOSTILE_WORDS),
    )
    def test_a_hostile_form_is_answered_never_a_crash(
        self, app, url, config, source_id
    ):
        body = {"url": url, "config": config, "source_type": "vndata_json"}
        if source_id is not None:
            body["id"] = source_id
        answer = app.post(
            "/api/3/action/vndata_harvest_source_preview",
            json=body,
            headers=token_headers(factories.Sysadmin()),
            expect_errors=True,
        )

        assert answer.status_code in (200, 404, 409), answer.body
        assert _written()[0] == 0
