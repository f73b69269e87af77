"""The DataStore: what xloader may load (safe links, the portal's uploads, a size cap),
the reason shown when it may not, and a real load through a real worker."""

from __future__ import annotations

import io
import json
import re
import time

import openpyxl
import pytest
import requests

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.vndata.metadata import datastore
from tests.helpers import (
    allowing,
    call_on,
    datastore_site,
    redirect_server,
    wait_for_datastore,
)
from tests.metadata.helpers import vn_dataset

CSV = "ma_truong,ten_truong,so_hoc_sinh\n1,Trường Tiểu học Lê Lợi,812\n2,Trường THCS Nguyễn Huệ,640\n".encode()  # noqa: E501


def _resource(**fields) -> dict:
    return {"url": "http://93.184.216.34/du-lieu.csv", "format": "CSV", **fields}


class TestRefusal:
    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1:5433/",  # the PostgreSQL of the portal
            "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
            "http://10.0.0.7/bang.csv",
            "http://[::1]:6380/",
            "http://2130706433/a.csv",  # 127.0.0.1 written as one integer
        ],
    )
    @pytest.mark.usefixtures("with_plugins")
    def test_internal_addresses_are_refused(self, url):
        assert datastore.refusal(_resource(url=url)) == "address"

    @pytest.mark.parametrize(
        "url", ["ftp://example.vn/a.csv", "file:///etc/passwd", "", "du-lieu.csv"]
    )
    @pytest.mark.usefixtures("with_plugins")
    def test_other_schemes_are_refused(self, url):
        assert datastore.refusal(_resource(url=url)) == "scheme"

    @pytest.mark.usefixtures("with_plugins")
    def test_the_portals_own_upload_is_loaded_from_a_loopback_address(self):
        upload = _resource(url="http://127.0.0.1:5000/a.csv", url_type="upload")
        assert datastore.refusal(upload) is None

    @pytest.mark.usefixtures("with_plugins")
    @pytest.mark.ckan_config("ckanext.xloader.max_content_length", 1000)
    def test_a_file_over_the_cap_is_refused(self):
        assert datastore.refusal(_resource(size=1001, url_type="upload")) == (
            "too_large"
        )
        assert datastore.refusal(_resource(size=1000, url_type="upload")) is None

    @pytest.mark.usefixtures("with_plugins")
    def test_an_allowed_port_allows_that_port_only(self):
        with redirect_server({}) as (origin, _seen), allowing(origin):
            assert datastore.refusal(_resource(url=f"{origin}/a.csv")) is None
            assert datastore.refusal(_resource(url="http://127.0.0.1:5433/")) == (
                "address"
            )

    @pytest.mark.parametrize(
        "internal", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/"]
    )
    @pytest.mark.usefixtures("with_plugins")
    def test_a_link_redirecting_to_an_internal_address_is_refused(self, internal):
        with redirect_server({"/a.csv": internal}) as (origin, seen), allowing(origin):
            assert datastore.refusal(_resource(url=f"{origin}/a.csv")) == "address"
            redirects = {"/a.csv": "{origin}/b.csv"}
        with redirect_server(redirects) as (origin, seen), allowing(origin):
            assert datastore.refusal(_resource(url=f"{origin}/a.csv")) is None
        assert ("HEAD", "/b.csv") in seen  # followed to the file

    @pytest.mark.usefixtures("with_plugins")
    def test_a_host_without_address_is_unresolved_not_internal(self):
        url = "http://khong-co-may-chu.invalid/a.csv"
        assert datastore.refusal(_resource(url=url)) == "unresolved"


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestReasonOnThePage:
    def test_a_refused_link_says_why_in_vietnamese_and_the_reason_clears(self, app):
        org = factories.Organization()
        context = {"user": factories.Sysadmin()["name"]}
        dataset = helpers.call_action(
            "package_create",
            context=dict(context),
            **vn_dataset(
                org["id"], resources=[_resource(url="http://169.254.169.254/a.csv")]
            ),
        )
        resource = dataset["resources"][0]
        assert datastore.can_upload(resource["id"]) is False
        page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").body
        assert "mạng nội bộ" in page
        assert "không được nạp vào Kho dữ liệu" in page
        english = app.get(f"/en/dataset/{dataset['name']}/resource/{resource['id']}")
        assert "private or internal network address" in english.body

        with redirect_server({}) as (origin, _seen), allowing(origin):
            helpers.call_action(
                "resource_patch",
                context=dict(context),
                id=resource["id"],
                url=f"{origin}/a.csv",
            )
            model.Session.remove()
            assert datastore.can_upload(resource["id"]) is True
        assert datastore.refusal_message(resource["id"]) is None

    def test_a_redirect_to_an_internal_address_says_why_in_vietnamese(self, app):
        org = factories.Organization()
        context = {"user": factories.Sysadmin()["name"]}
        with (
            redirect_server({"/a.csv": "http://169.254.169.254/"}) as (origin, _),
            allowing(origin),
        ):
            dataset = helpers.call_action(
                "package_create",
                context=dict(context),
                **vn_dataset(org["id"], resources=[_resource(url=f"{origin}/a.csv")]),
            )
            resource = dataset["resources"][0]
            assert datastore.can_upload(resource["id"]) is False
        page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").body
        assert "mạng nội bộ" in page

    @pytest.mark.ckan_config("ckanext.xloader.api_token", "khong-dung-toi")
    def test_an_unresolved_link_says_so_and_is_tried_again_on_the_next_update(
        self, app, monkeypatch
    ):
        asked = []
        refusal = datastore.refusal
        monkeypatch.setattr(
            datastore, "refusal", lambda r: asked.append(r["url"]) or refusal(r)
        )
        org = factories.Organization()
        context = {"user": factories.Sysadmin()["name"]}
        unresolved = _resource(url="http://khong-co-may-chu.invalid/a.csv")
        internal = _resource(url="http://169.254.169.254/a.csv")
        dataset = helpers.call_action(
            "package_create",
            context=dict(context),
            **vn_dataset(org["id"], resources=[unresolved, internal]),
        )
        assert sorted(asked) == sorted([unresolved["url"], internal["url"]])
        resource = dataset["resources"][0]
        page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").body
        assert "cổng sẽ thử lại" in page
        assert "mạng nội bộ" not in page

        asked.clear()
        helpers.call_action("package_patch", context=dict(context), id=dataset["id"])
        assert asked == [unresolved["url"]]  # the internal link is not asked again

    def test_an_unknown_resource_is_not_loaded(self):
        assert datastore.can_upload("khong-co") is False


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestStarsAndApi:
    def test_a_datastore_table_is_an_api_of_three_stars(self):
        org = factories.Organization()
        resource = {"url": "https://opendata.danang.gov.vn/a.xlsx", "format": "XLSX"}
        context = {"user": factories.Sysadmin()["name"]}
        dataset = helpers.call_action(
            "package_create",
            context=dict(context),
            **vn_dataset(org["id"], resources=[resource]),
        )
        assert dataset["openness_stars"] == 2
        resource = dataset["resources"][0]
        helpers.call_action(  # what xloader's worker does with the file's rows
            "datastore_create",
            context=dict(context),
            resource_id=resource["id"],
            force=True,
            records=[{"ma_truong": 1, "ten_truong": "Trường Tiểu học Lê Lợi"}],
        )
        shown = helpers.call_action(
            "package_patch", context=dict(context), id=dataset["id"]
        )
        assert shown["openness_stars"] == 3
        assert shown["resources"][0]["openness_stars"] == 3


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestAfterUpload:
    def test_a_dataset_that_no_longer_validates_does_not_stop_xloaders_hook(
        self, caplog, monkeypatch
    ):
        """xloader_hook, as the worker calls it at the end of a load, on a dataset
        stored before its description became required: the views are made and the
        job is complete; the failed save is logged."""
        monkeypatch.setattr(datastore.log, "disabled", False)  # test.ini's logging
        org = factories.Organization()
        context = {"user": factories.Sysadmin()["name"]}
        dataset = helpers.call_action(
            "package_create", context=dict(context), **vn_dataset(org["id"])
        )
        resource = dataset["resources"][0]
        package = model.Package.get(dataset["id"])
        package.notes = ""  # what an older portal may have stored
        model.repo.commit()
        with pytest.raises(tk.ValidationError):
            helpers.call_action(
                "package_patch", context=dict(context), id=dataset["id"]
            )
        helpers.call_action(
            "task_status_update",
            entity_id=resource["id"],
            entity_type="resource",
            task_type="xloader",
            key="xloader",
            value="{}",
            state="running",
            error="",
            last_updated="2026-01-01T00:00:00",
        )

        helpers.call_action(
            "xloader_hook",
            context=dict(context),
            metadata={"resource_id": resource["id"]},
            status="complete",
        )

        task = helpers.call_action(
            "task_status_show",
            entity_id=resource["id"],
            task_type="xloader",
            key="xloader",
        )
        assert task["state"] == "complete"
        assert "not saved again after a load" in caplog.text


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in CSV.decode().splitlines():
        sheet.append(row.split(","))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestRealWorker:
    def test_a_linked_file_is_loaded_and_counts_as_an_api(
        self, tmp_path, catalogue_server
    ):
        """A loopback HTTP server serves an Excel file; a real worker loads it, the
        Data API answers with its rows, and the dataset gains the API's star."""
        handler, catalogue_url = catalogue_server
        handler.pages = {"/truong-hoc.xlsx": _workbook()}
        handler.content_type = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        origin = "/".join(catalogue_url.split("/")[:3])
        sysadmin = factories.Sysadmin()
        editor = factories.User()
        org = factories.Organization(
            users=[{"name": editor["name"], "capacity": "editor"}]
        )
        internal = "http://169.254.169.254/truong-hoc.xlsx"
        with datastore_site(tmp_path, sysadmin, origin.split("//")[1]) as url:
            created = call_on(
                url,
                sysadmin,
                "package_create",
                **vn_dataset(
                    org["id"],
                    resources=[
                        {"url": f"{origin}/truong-hoc.xlsx", "format": "XLSX"},
                        {"url": internal, "format": "XLSX"},
                    ],
                ),
            )
            loaded, refused = created["resources"]
            assert created["openness_stars"] == 2
            result = wait_for_datastore(url, loaded["id"], sysadmin)
            assert result["total"] == 2
            rows = {r["ten_truong"]: r["so_hoc_sinh"] for r in result["records"]}
            assert rows["Trường Tiểu học Lê Lợi"] in (812, "812")
            shown = _when_stars(url, created["id"], 3)
            assert shown["resources"][0]["datastore_active"] is True
            assert not shown["resources"][1].get("datastore_active")
            page = requests.get(
                f"{url}/dataset/{created['name']}/resource/{refused['id']}", timeout=60
            ).text
            assert "mạng nội bộ" in page
            ini = (tmp_path / "datastore.ini").read_text("utf-8")
            token = re.search(r"xloader\.api_token = (\S+)", ini).group(1)
            _assert_no_token_is_shown(url, editor, loaded["id"], token)
        assert handler.headers_seen  # really fetched over HTTP


def _assert_no_token_is_shown(
    url: str, editor: dict, resource_id: str, token: str
) -> None:
    """xloader_status, as an editor of the dataset, holds no token anywhere, and the
    finished job's row in xloader's jobs database holds none either."""
    from ckanext.xloader import db

    status = call_on(url, editor, "xloader_status", resource_id=resource_id)
    shown = json.dumps(status)
    assert status["task_info"]["job_id"] == status["job_id"]
    assert "api_key" not in shown
    assert token not in shown
    db.init(tk.config)
    deadline = time.monotonic() + 30
    while db.get_job(status["job_id"])["api_key"] and time.monotonic() < deadline:
        time.sleep(0.5)  # the worker's last call back erases it
    assert db.get_job(status["job_id"])["api_key"] is None


def _when_stars(url: str, dataset_id: str, stars: int, seconds=60) -> dict:
    """package_show once the dataset has ``stars`` (xloader_hook saves it again)."""
    deadline = time.monotonic() + seconds
    while True:
        shown = requests.get(
            f"{url}/api/3/action/package_show", params={"id": dataset_id}, timeout=30
        ).json()["result"]
        if shown["openness_stars"] == stars or time.monotonic() > deadline:
            return shown
        time.sleep(1)


@pytest.mark.usefixtures("with_plugins")
def test_the_size_cap_is_declared_in_megabytes_on_the_page():
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(tk.config, "ckanext.xloader.max_content_length", 50_000_000)
        assert datastore.max_bytes() // 1_000_000 == 50
