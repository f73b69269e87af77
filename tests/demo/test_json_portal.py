"""The demo's Cần Thơ portal (demo/json_portal.py): its JSON API served by a real nginx
with the server block the demo includes, behind its login, and harvested by the
national portal with the source demo/seed.py creates, through the real stages."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import time

import pytest
import requests

from ckan import model
from ckan.tests import factories, helpers

from demo import json_portal
from tests.harvester.sources import newest_job_report
from tests.helpers import REPO_ROOT, free_port, run_harvest

PASSWORD = "Mat-khau-Can-Tho-2026"
LOGIN = (json_portal.USER, PASSWORD)


@pytest.fixture(scope="module")
def cantho(tmp_path_factory):
    """Cần Thơ's API on a free port: nginx with the demo's configuration (its portals'
    http block, from scripts/portal.sh) including the server block the script wrote."""
    tmp = tmp_path_factory.mktemp("cantho")
    port = free_port()
    server_block = json_portal.write(tmp / "portal", port, PASSWORD)
    public, storage = tmp / "public", tmp / "storage"
    (storage / "webassets").mkdir(parents=True)
    public.mkdir()
    site = f"{free_port()},{free_port()},{public},{storage}"
    conf = tmp / "nginx" / "nginx.conf"
    conf.parent.mkdir()
    conf.write_text(
        subprocess.run(
            [str(REPO_ROOT / "scripts" / "portal.sh"), "nginx-conf", str(conf.parent)]
            + [str(tmp), "--include", str(server_block), site],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    nginx = subprocess.Popen(
        ["nginx", "-p", str(conf.parent), "-c", str(conf), "-e", str(tmp / "err.log")],
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and nginx.poll() is None:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        shutil.rmtree(conf.parent, ignore_errors=True)


def _get(url: str, auth=LOGIN) -> requests.Response:
    return requests.get(url, auth=auth, timeout=10)


class TestTheApi:
    def test_without_the_login_nothing_is_listed(self, cantho):
        assert _get(f"{cantho}/api/dulieu?trang=1", auth=None).status_code == 401
        wrong = _get(f"{cantho}/api/dulieu?trang=1", auth=(json_portal.USER, "x"))
        assert wrong.status_code == 401

    def test_pages_of_five_then_an_empty_list(self, cantho):
        sizes = [
            len(_get(f"{cantho}/api/dulieu?trang={n}").json()["duLieu"]["danhSach"])
            for n in (1, 2, 3, 4, 99)
        ]

        assert sizes == [5, 5, 2, 0, 0]
        first = _get(f"{cantho}/api/dulieu?trang=1")
        assert first.headers["Content-Type"] == "application/json; charset=utf-8"

    def test_each_record_has_a_detail(self, cantho):
        detail = _get(f"{cantho}/api/dulieu/CT-004").json()["duLieu"]

        assert detail["tenDuLieu"].startswith("Danh sách trường mầm non")
        assert [f["dinhDang"] for f in detail["tepDuLieu"]] == ["CSV", "JSON"]

    @pytest.mark.parametrize(
        "path",
        [
            "/api/dulieu?trang=../chi-tiet/CT-001",
            "/api/dulieu?trang=",
            "/api/dulieu/CT-999",
            "/api/dulieu/../htpasswd",
            "/trang/1.json",
            "/htpasswd",
        ],
    )
    def test_nothing_else_is_served(self, cantho, path):
        assert _get(cantho + path).status_code in (400, 404)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestTheNationalHarvest:
    def _source(self, cantho: str) -> dict:
        sysadmin = factories.Sysadmin()
        helpers.call_action(
            "organization_create",
            context={"user": sysadmin["name"]},
            **json_portal.ORGANIZATION,
        )
        fields = json_portal.source(cantho, PASSWORD)
        fields["config"] = json.dumps(fields["config"], ensure_ascii=False)
        return helpers.call_action(
            "harvest_source_create", context={"user": sysadmin["name"]}, **fields
        )

    def test_every_record_arrives_mapped_and_a_second_run_writes_nothing(self, cantho):
        source = self._source(cantho)

        run_harvest(source["id"], "vndata_json")
        first = newest_job_report(source["id"])
        stamps = _stamps()
        run_harvest(source["id"], "vndata_json")
        second = newest_job_report(source["id"])

        assert first["counts"]["added"] == 12, first
        assert first["counts"]["errors"] == 0 and first["gather_errors"] == []
        assert second["counts"]["unchanged"] == 12, second
        assert _stamps() == stamps  # nothing written again
        water = helpers.call_action("package_show", id=_named("sông Hậu"))
        assert water["sectors"] == ["moi-truong"]
        assert water["update_frequency"] == "hang_thang"
        assert water["province_code"] == "92"
        assert [r["format"] for r in water["resources"]] == ["CSV", "XLSX"]
        assert [t["name"] for t in water["tags"]] == ["Cần Thơ"]
        # "Du lịch" is no national sector: imported without it, and said so.
        markets = helpers.call_action("package_show", id=_named("chợ nổi"))
        assert not markets.get("sectors")
        assert "Du lịch" in markets["harvest_notes"]
        assert PASSWORD not in json.dumps(
            helpers.call_action("harvest_source_show", id=source["id"])
        )


def _stamps() -> dict[str, object]:
    model.Session.expire_all()
    packages = model.Session.query(model.Package).filter_by(type="dataset")
    return {p.name: p.metadata_modified for p in packages}


def _named(words: str) -> str:
    model.Session.expire_all()
    for package in model.Session.query(model.Package).filter_by(type="dataset"):
        if words in package.title:
            return package.id
    raise AssertionError(f"no dataset about {words}")
