"""vndata_json (issue 21) through ckanext-harvest's real stages against loopback APIs:
a Đà Nẵng-style portal (Basic login, page-number paging, a list and a detail
endpoint) and a data-sharing gateway (OAuth 2, expiring tokens, cursor paging), with
the assertions the other types meet."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from ckanext.vndata.harvester import secrets
from tests.fuzz import FUZZ, HOSTILE_WORDS
from tests.harvester import json_servers as served
from tests.harvester.sources import SOURCE_CONFIG, harvest_source, newest_job_report
from tests.helpers import run_harvest, token_headers

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(HOSTILE_WORDS)
    | st.sampled_from(["data.items", "[", "maDuLieu", "page", "cursor", "title"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(
        st.sampled_from(["type", "param", "next", "size", "title", "each", "fields",
                         "url", "token_url"]),
        inner, max_size=4,
    ),
    max_leaves=12,
)  # fmt: skip

pytestmark = [
    pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def api():
    with served.json_api() as running:
        yield running


def _source(api: served.Api, template: dict, path: str) -> dict:
    return harvest_source(
        api.origin + path, source_type="vndata_json", **api.config(template)
    )


def _harvest(source: dict) -> dict:
    run_harvest(source["id"], "vndata_json")
    return newest_job_report(source["id"])


def _datasets(source: dict) -> dict[str, model.Package]:
    """The source's active datasets by title."""
    model.Session.expire_all()
    packages = model.Session.query(model.Package).filter(
        model.Package.type == "dataset",
        model.Package.state == "active",
        model.Package.owner_org == source["owner_org"],
    )
    return {package.title: package for package in packages}


def _stamps(source: dict) -> dict[str, object]:
    return {title: p.metadata_modified for title, p in _datasets(source).items()}


class TestDanangPortal:
    def test_each_record_becomes_a_dataset_from_its_detail(self, api):
        api.records = [served.danang_record(n) for n in range(1, 6)]
        source = _source(api, served.DANANG_CONFIG, "/api/dulieu")

        report = _harvest(source)

        assert report["counts"]["added"] == 5, report
        assert report["gather_errors"] == []
        datasets = _datasets(source)
        assert len(datasets) == 5
        shown = helpers.call_action(
            "package_show", id=datasets["Danh sách trường học số 3"].id
        )
        assert shown["notes"] == (
            "Dữ liệu danh sách trường học số 3 của thành phố Đà Nẵng."
        )
        assert shown["sectors"] == ["giao-duc-dao-tao"]
        assert shown["update_frequency"] == "hang_nam"
        (resource,) = shown["resources"]
        assert resource["url"] == "https://opendata.danang.gov.vn/tep/DN-0003.csv"
        assert resource["format"] == "CSV"
        # Pages of two until an empty one (a short page may be the server's own
        # size), then each record's detail.
        pages = [p for p in api.hits if p.startswith("/api/dulieu?")]
        assert len(pages) == 4
        assert len(api.detail_hits()) == 5

    def test_an_unchanged_list_writes_nothing_and_reads_no_detail(self, api):
        api.records = [served.danang_record(n) for n in range(1, 6)]
        source = _source(api, served.DANANG_CONFIG, "/api/dulieu")
        _harvest(source)
        before = _stamps(source)
        api.hits.clear()

        report = _harvest(source)

        assert report["counts"]["unchanged"] == 5, report
        assert report["counts"]["added"] + report["counts"]["updated"] == 0
        assert _stamps(source) == before
        assert api.detail_hits() == []

    def test_one_change_is_one_update(self, api):
        api.records = [served.danang_record(n) for n in range(1, 6)]
        source = _source(api, served.DANANG_CONFIG, "/api/dulieu")
        _harvest(source)
        before = _stamps(source)
        api.records[2] = served.danang_record(
            3, tenDuLieu="Danh sách trường học số 3 (sửa)", ngayCapNhat="2026-04-01"
        )
        api.hits.clear()

        report = _harvest(source)

        assert report["counts"]["updated"] == 1, report
        assert report["counts"]["unchanged"] == 4
        after = _stamps(source)
        assert "Danh sách trường học số 3 (sửa)" in after
        assert {t: s for t, s in after.items() if t in before} == {
            t: s for t, s in before.items() if t != "Danh sách trường học số 3"
        }
        assert api.detail_hits() == ["/api/dulieu/DN-0003"]

    def test_an_empty_list_withdraws_nothing(self, api):
        api.records = [served.danang_record(n) for n in range(1, 6)]
        source = _source(api, served.DANANG_CONFIG, "/api/dulieu")
        _harvest(source)
        api.records = []

        report = _harvest(source)

        assert len(_datasets(source)) == 5
        assert report["counts"]["withdrawn"] == 0
        assert any(
            "không liệt kê tập dữ liệu nào" in e for e in report["gather_errors"]
        )

    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_records_without_a_usable_identity_are_left_out_and_counted(self, api):
        api.records = (
            [served.danang_record(n) for n in range(1, 3)]
            + [served.danang_record(n, maDuLieu="..") for n in range(3, 5)]
            + [served.danang_record(n, maDuLieu=None) for n in range(5, 30)]
        )
        source = _source(api, served.DANANG_CONFIG, "/api/dulieu")

        report = _harvest(source)

        assert report["counts"]["added"] == 2, report
        assert not [p for p in api.hits if p.startswith("/api/dulieu/..")]
        errors = report["gather_errors"]
        assert len(errors) == 21  # one a record up to 20, then how many more
        assert errors[-1] == "Còn 7 bản ghi khác bị bỏ qua."  # 27 left out

    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_a_wrong_password_fails_the_job_in_vietnamese_and_withdraws_nothing(
        self, api
    ):
        api.records = [served.danang_record(n) for n in range(1, 6)]
        source = _source(api, served.DANANG_CONFIG, "/api/dulieu")
        _harvest(source)
        api.password = "mat-khau-da-doi"

        report = _harvest(source)

        assert len(_datasets(source)) == 5
        assert report["counts"]["withdrawn"] == 0
        (error,) = report["gather_errors"]
        assert "từ chối đăng nhập" in error and "401" in error, error
        assert served.PASSWORD not in error


class TestGateway:
    def test_cursor_pages_read_with_one_token(self, api):
        api.records = [served.danang_record(n) for n in range(1, 6)]
        source = _source(api, served.GATEWAY_CONFIG, "/gateway/datasets")

        report = _harvest(source)

        assert report["counts"]["added"] == 5, report
        assert api.token_requests == 1
        assert [p for p in api.hits if p.startswith("/gateway/")] == [
            "/gateway/datasets",
            "/gateway/datasets?cursor=2",
            "/gateway/datasets?cursor=4",
        ]

    def test_a_token_that_expires_mid_job_is_replaced(self, api):
        api.records = [served.danang_record(n) for n in range(1, 6)]
        api.token_uses = 2  # the gateway revokes each token after two requests
        source = _source(api, served.GATEWAY_CONFIG, "/gateway/datasets")

        report = _harvest(source)

        assert report["counts"]["added"] == 5, report
        assert api.token_requests == 2
        assert report["gather_errors"] == []

    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_a_refused_client_fails_the_job_and_withdraws_nothing(self, api):
        api.records = [served.danang_record(n) for n in range(1, 6)]
        source = _source(api, served.GATEWAY_CONFIG, "/gateway/datasets")
        _harvest(source)
        api.secret = "bi-mat-moi"  # rotated at the gateway, not here
        api.tokens.clear()

        report = _harvest(source)

        assert len(_datasets(source)) == 5
        assert report["counts"]["withdrawn"] == 0
        (error,) = report["gather_errors"]
        assert "client_secret" in error and served.CLIENT_SECRET not in error

    def test_the_client_secret_is_kept_apart_and_never_shown(self, api):
        source = _source(api, served.GATEWAY_CONFIG, "/gateway/datasets")
        sysadmin = factories.Sysadmin()

        shown = helpers.call_action(
            "harvest_source_show", context={"user": sysadmin["name"]}, id=source["id"]
        )

        assert served.CLIENT_SECRET not in json.dumps(shown)
        assert served.CLIENT_SECRET not in (
            model.Package.get(source["id"]).extras.get("config") or ""
        )


class TestNetwork:
    def test_a_next_page_on_another_site_is_not_read(self, api):
        api.records = [served.danang_record(n) for n in range(1, 3)]
        with served.json_api() as elsewhere:  # the same host, another port
            api.next_link = elsewhere.origin + "/keyed/datasets"
            source = _source(api, served.KEYED_CONFIG, "/keyed/datasets")

            report = _harvest(source)

            assert elsewhere.hits == []
        assert api.headers_seen[0]["X-API-Key"] == served.API_KEY
        (error,) = report["gather_errors"]
        assert "trang kế tiếp ở một trang web khác" in error, error
        assert report["counts"]["added"] == 0

    def test_an_api_key_a_next_link_copies_is_neither_doubled_nor_shown(self, api):
        api.records = [served.danang_record(n) for n in range(1, 3)]
        config = {**served.KEYED_CONFIG, "api_key_param": "api_key"}
        del config["api_key_header"]
        # The API copies the whole query, key included, into its next link.
        api.next_link = f"/keyed/datasets?page=2&api_key={served.API_KEY}"
        source = _source(api, config, "/keyed/datasets")

        report = _harvest(source)

        assert api.hits[:2] == [
            f"/keyed/datasets?api_key={served.API_KEY}",
            f"/keyed/datasets?page=2&api_key={served.API_KEY}",
        ]
        assert served.API_KEY not in json.dumps(report)  # "same page twice", shown

    def test_a_client_secret_stays_with_its_token_endpoint(self, api):
        source = _source(api, served.GATEWAY_CONFIG, "/gateway/datasets")
        sysadmin = factories.Sysadmin()
        config = api.config(served.GATEWAY_CONFIG)
        del config["client_secret"]  # the editor never saw it
        config["oauth2"]["token_url"] = "https://lay-bi-mat.example.org/token"

        with pytest.raises(tk.ValidationError) as refused:
            helpers.call_action(
                "harvest_source_patch",
                context={"user": sysadmin["name"]},
                id=source["id"],
                config=json.dumps({**SOURCE_CONFIG, **config}),
            )

        assert "client_secret" in str(refused.value.error_dict)
        # Given again, it moves.
        helpers.call_action(
            "harvest_source_patch",
            context={"user": sysadmin["name"]},
            id=source["id"],
            config=json.dumps({**SOURCE_CONFIG, **config, "client_secret": "moi"}),
        )

    def test_a_client_secret_stays_with_its_source(self, api):
        # The token endpoint stays; the source moves: the token the kept secret buys
        # would be sent as the bearer login to the new site.
        source = _source(api, served.GATEWAY_CONFIG, "/gateway/datasets")
        sysadmin = factories.Sysadmin()
        config = api.config(served.GATEWAY_CONFIG)
        del config["client_secret"]

        with pytest.raises(tk.ValidationError) as refused:
            helpers.call_action(
                "harvest_source_patch",
                context={"user": sysadmin["name"]},
                id=source["id"],
                url="https://thu-token.example.org/datasets",
                config=json.dumps({**SOURCE_CONFIG, **config}),
            )

        assert "client_secret" in str(refused.value.error_dict)
        assert secrets.stored(source["id"])["client_secret"]

    def test_a_login_with_a_line_break_is_refused_when_saved(self, api):
        config = {**api.config(served.DANANG_CONFIG), "basic_password": "a\nb"}

        with pytest.raises(tk.ValidationError) as refused:
            harvest_source(
                api.origin + "/api/dulieu", source_type="vndata_json", **config
            )

        assert "basic_password" in str(refused.value.error_dict)
        assert "a\nb" not in str(refused.value.error_dict)

    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_a_token_endpoint_at_an_internal_address_is_never_asked(self, api):
        api.records = [served.danang_record(1)]
        config = api.config(served.GATEWAY_CONFIG)
        config["oauth2"]["token_url"] = "http://169.254.169.254/latest/token"
        source = harvest_source(
            api.origin + "/gateway/datasets", source_type="vndata_json", **config
        )

        report = _harvest(source)

        assert api.hits == []  # refused before the list was asked for
        (error,) = report["gather_errors"]
        assert "169.254.169.254" in error
        assert len(_datasets(source)) == 0


class TestConfig:
    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_the_api_refuses_a_json_source_naming_each_key_in_vietnamese(self, app):
        config = {**SOURCE_CONFIG, "paging": {"type": "trang"},
                  "mapping": {"fields": {"title": "tenDuLieu"}}}  # fmt: skip

        refused = app.post(
            "/api/3/action/harvest_source_create",
            json={"name": "cong-json", "url": "https://opendata.danang.gov.vn/api",
                  "source_type": "vndata_json", "config": json.dumps(config),
                  "owner_org": factories.Organization()["id"]},
            headers=token_headers(factories.Sysadmin()),
            status=409,
        ).json["error"]["config"]  # fmt: skip

        assert refused == [
            "mapping.identity là bắt buộc.",
            "paging.type phải là một trong: none, page, offset, cursor, next.",
        ]

    @pytest.mark.parametrize(
        "changes",
        [
            {"api_key_header": "X-API-Key", "api_key": "kh\u00f3a"},
            {"auth_header": "Bearer kh\u00f3a"},
            {"publisher_rules": [{"name": "S\u1edf", "organization": "\ud800"}]},
        ],
        ids=["api_key", "auth_header", "publisher_rules"],
    )
    def test_what_no_request_or_database_can_carry_is_refused_when_saved(
        self, app, changes
    ):
        config = {**SOURCE_CONFIG, "mapping": {"identity": "id", "fields": {}},
                  **changes}  # fmt: skip

        refused = app.post(
            "/api/3/action/harvest_source_create",
            json={"name": "cong-json", "url": "https://opendata.danang.gov.vn/api",
                  "source_type": "vndata_json", "config": json.dumps(config),
                  "owner_org": factories.Organization()["id"]},
            headers=token_headers(factories.Sysadmin()),
            status=409,
        ).json["error"]  # fmt: skip

        key = next(k for k in changes if k != "api_key_header")
        assert key in json.dumps(refused, ensure_ascii=False), refused
        assert model.Session.query(model.Package).filter_by(type="harvest").count() == 0

    @pytest.mark.ckan_config("ckan.locale_default", "vi")
    def test_the_source_form_shows_the_json_keys_and_each_mistake(self, app):
        from tests.helpers import browser_login, csrf_token

        sysadmin = factories.Sysadmin(password="Matkhau-2026")
        client = browser_login(app, sysadmin)
        form = client.get("/harvest/new").body
        assert "API JSON (Việt Nam)" in form and "detail_url" in form

        page = client.post(
            "/harvest/new",
            data={"_csrf_token": csrf_token(form), "url": "https://x.vn/api",
                  "title": "Cổng JSON", "name": "cong-json",
                  "source_type": "vndata_json", "frequency": "MANUAL",
                  "owner_org": factories.Organization()["id"],
                  "config": json.dumps({"mapping": {"identity": "["}})},
        ).body  # fmt: skip

        assert "mapping.identity không phải là biểu thức JMESPath" in page
        assert "mapping.fields là bắt buộc." in page
        assert "Traceback" not in page

    def test_the_example_the_form_and_readme_show_is_valid_with_one_login(self):
        from ckanext.harvest import queue

        from ckanext.vndata.harvester import config_keys

        # The example shows every key; the logins are alternatives: Basic kept.
        example = json.loads(config_keys.example("vndata_json"))
        for key in ("auth_header", "oauth2", "client_secret", "api_key_param"):
            example.pop(key)
        harvester = queue.get_harvester("vndata_json")

        assert harvester.validate_config(json.dumps(example))

    def test_every_mistake_of_a_json_source_is_named_at_once(self, api):
        with pytest.raises(Exception) as raised:
            harvest_source(
                api.origin + "/api/dulieu",
                source_type="vndata_json",
                paging={"type": "trang", "param": "p"},
                detail_url="https://example.org/api/dulieu",
                mapping={"records": "data.items[", "fields": {"tieu_de": "x"}},
                basic_user="a",
                oauth2={"token_url": "https://lgsp.example.gov.vn/token"},
            )

        text = str(getattr(raised.value, "error_dict", raised.value))
        for key in (
            "paging.type",
            "detail_url",
            "mapping.records",
            "mapping.identity",
            "mapping.fields.tieu_de",
            "Only one login",
            "oauth2.client_id",
        ):
            assert key in text, (key, text)

    @FUZZ
    @given(
        mapping=st.dictionaries(
            st.sampled_from(
                ["records", "identity", "modified", "fields", "value_maps",
                 "resources", "x"]
            ),
            JSONISH,
            max_size=5,
        ),
        paging=JSONISH,
        login=st.sampled_from(
            [{}, {"basic_user": "a"}, {"oauth2": {"token_url": "x"}},
             {"api_key_header": 1}, {"detail_url": "{id}"}]
        ),
    )  # fmt: skip
    def test_a_hostile_json_source_is_refused_or_saved_never_a_crash(
        self, app, mapping, paging, login
    ):
        sysadmin = factories.Sysadmin()
        config = {**SOURCE_CONFIG, "mapping": mapping, "paging": paging, **login}

        answer = app.post(
            "/api/3/action/harvest_source_create",
            json={
                "name": "cong-json",
                "url": "https://opendata.danang.gov.vn/api/dulieu",
                "source_type": "vndata_json",
                "owner_org": factories.Organization()["id"],
                "config": json.dumps(config),
            },
            headers=token_headers(sysadmin),
            expect_errors=True,
        )

        assert answer.status_code in (200, 409), answer.body[:500]
        saved = helpers.call_action(
            "package_search", fq="+dataset_type:harvest", include_private=True
        )["count"]
        assert saved == (1 if answer.status_code == 200 else 0)
        if saved:
            helpers.call_action(
                "harvest_source_delete",
                context={"user": sysadmin["name"]},
                id="cong-json",
                clear=True,
            )
