"""A second CKAN process plays a provincial portal; the national instance harvests it.

The provincial portal has its own database, Solr core and ini, runs `ckan run` on
loopback, and publishes its datasets through vndata_dcat. The national instance (this
test process) harvests it with vndata_ckan (Action API) and vndata_dcat (/catalog.ttl)
through ckanext-harvest's real stages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import requests

from ckan import model
from ckan.tests import factories, helpers

from tests.harvester.sources import SOURCE_CONFIG
from tests.helpers import (
    REPO_ROOT,
    VENV_BIN,
    ckan_server,
    free_port,
    ini_over_test_ini,
    run_harvest,
    wait_for_http,
)

# One provincial database and core per CKAN leg (a core keeps its first schema).
PROVINCE_DB = os.environ.get("VNDATA_TEST_DB", "ckan_test") + "_prov"
DATASETS = [
    ("Danh sách trường học Đà Nẵng", ["giao-duc-dao-tao"], "CSV"),
    ("Điểm wifi công cộng Đà Nẵng", ["co-so-ha-tang"], "JSON"),
]


def _services_env() -> dict[str, str]:
    """The environment without the national instance's URL overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    return env


PUBLISHER = "Sở Khoa học và Công nghệ thành phố Đà Nẵng"


def _ini(tmp_path, port: int) -> str:
    pg = os.environ.get("VNDATA_PG_PORT", "5433")
    solr = os.environ.get("VNDATA_SOLR_PORT", "8983")
    redis = os.environ.get("VNDATA_REDIS_PORT", "6380")
    return ini_over_test_ini(
        tmp_path / "province.ini",
        **{
            "sqlalchemy.url": f"postgresql://ckan_default:pass@127.0.0.1:{pg}/"
            + PROVINCE_DB,
            "solr_url": f"http://127.0.0.1:{solr}/solr/{PROVINCE_DB}",
            "ckan.redis.url": f"redis://127.0.0.1:{redis}/3",
            "ckan.site_url": f"http://127.0.0.1:{port}",
            "ckan.site_id": "test.province.48",
            "ckanext.vndata.portal_level": "province",
            "ckanext.vndata.portal_province_code": "48",
            "ckanext.vndata.dcat.publisher_name": PUBLISHER,
        },
    )


def _ckan(ini: str, *args: str) -> str:
    result = subprocess.run(
        [str(VENV_BIN / "ckan"), "-c", ini, *args],
        cwd=REPO_ROOT,
        env=_services_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture
def provincial_portal(tmp_path):
    services = str(REPO_ROOT / "scripts" / "services.sh")
    subprocess.run([services, "db", PROVINCE_DB], check=True, env=_services_env())
    subprocess.run(
        [services, "solr-core", PROVINCE_DB, sys.executable],
        check=True,
        env=_services_env(),
    )
    port = free_port()
    ini = _ini(tmp_path, port)
    _ckan(ini, "db", "clean", "--yes")
    _ckan(ini, "db", "init")
    for plugin in ("activity", "harvest", "vndata_plan", "vndata_dcat_harvester"):
        _ckan(ini, "db", "upgrade", "-p", plugin)
    _ckan(ini, "search-index", "clear")
    _ckan(
        ini,
        "user",
        "add",
        "quantri_tinh",
        "email=qt@danang.gov.vn",
        "password=Tinh-2026-Demo",
    )
    _ckan(ini, "sysadmin", "add", "quantri_tinh")
    token = (
        _ckan(ini, "user", "token", "add", "quantri_tinh", "e2e").strip().split()[-1]
    )
    with ckan_server(ini, port, env=_services_env()) as (url, process):
        wait_for_http(f"{url}/api/3/action/status_show", 120, process)
        api = {"Authorization": token}

        def call(action: str, **data):
            body = requests.post(f"{url}/api/3/action/{action}", json=data, headers=api,
                                 timeout=60).json()  # fmt: skip
            assert body["success"], body
            return body["result"]

        org = call("organization_create", name="so-khcn-da-nang",
                   title="Sở Khoa học và Công nghệ thành phố Đà Nẵng",
                   agency_code="H17.14", province_code="48")  # fmt: skip
        for title, sectors, fmt in DATASETS:
            call(
                "package_create",
                title=title,
                notes=f"{title}: dữ liệu mở của thành phố.",
                owner_org=org["id"],
                sectors=sectors,
                data_sharing_class="mo",
                data_importance_class="khac",
                personal_data_assessed=True,
                update_frequency="hang_nam",
                province_code="48",
                resources=[
                    {
                        "url": f"https://data.danang.gov.vn/{len(title)}.{fmt.lower()}",
                        "format": fmt,
                    }
                ],  # fmt: skip
            )
        yield url, call


def _source(url: str, source_type: str, **config) -> dict:
    org = model.Group.get("tinh-da-nang") or factories.Organization(name="tinh-da-nang")
    return helpers.call_action(
        "harvest_source_create",
        context={"user": factories.Sysadmin()["name"]},
        name=f"da-nang-{source_type.replace('_', '-')}",
        title="Cổng dữ liệu mở Đà Nẵng",
        url=url,
        source_type=source_type,
        owner_org=org["id"] if isinstance(org, dict) else org.id,
        config=json.dumps({**SOURCE_CONFIG, **config}),
    )


def _modified(package_id: str) -> str:
    return helpers.call_action("package_show", id=package_id)["metadata_modified"]


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_national_portal_harvests_a_provincial_portal_through_both_types(
    provincial_portal,
):
    url, call_province = provincial_portal
    deletion = {"deletion": {"max_share": 0.5, "grace_days": 0}}
    api_source = _source(url, "vndata_ckan", **deletion)
    dcat_source = _source(url + "/catalog.ttl", "vndata_dcat")

    # Both types turn the provincial datasets into Vietnamese national datasets.
    for source in (api_source, dcat_source):
        source_type = source["source_type"]
        objects = run_harvest(source["id"], source_type)
        assert [o.state for o in objects] == ["COMPLETE", "COMPLETE"], [
            e.message for o in objects for e in o.errors
        ]
        titles = set()
        for obj in objects:
            dataset = helpers.call_action("package_show", id=obj.package_id)
            titles.add(dataset["title"])
            assert dataset["province_code"] == "48"
            assert dataset["data_sharing_class"] == "mo"
            assert dataset["source_catalog_uri"] == source["url"]
        assert titles == {title for title, _, _ in DATASETS}

    # The same datasets from two sources: kept apart, reported with both origins.
    messages = [e.message for o in objects for e in o.errors]
    assert len(messages) == 2
    assert all(
        f"<{api_source['url']}>" in m and f"<{dcat_source['url']}>" in m
        for m in messages
    )
    assert len(helpers.call_action("vndata_harvest_duplicates")) == 2

    # Nothing changed at the province: nothing is written again.
    api_datasets = [d.package_id for d in run_harvest(api_source["id"], "vndata_ckan")]
    before = {package_id: _modified(package_id) for package_id in api_datasets}
    again = run_harvest(api_source["id"], "vndata_ckan")
    assert {o.report_status for o in again} == {"not modified"}
    assert {o.package_id: _modified(o.package_id) for o in again} == before

    # A dataset deleted at the province is marked missing, then withdrawn.
    gone = next(iter(before))
    remote = json.loads(next(o for o in again if o.package_id == gone).content)
    call_province("package_delete", id=remote["id"])
    run_harvest(api_source["id"], "vndata_ckan")
    assert helpers.call_action("package_show", id=gone)["state"] == "active"
    run_harvest(api_source["id"], "vndata_ckan")
    assert helpers.call_action("package_show", id=gone)["state"] == "deleted"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_ckan_api_source_on_loopback_is_refused_unless_allowed(catalogue_server):
    _handler, url = catalogue_server
    source = _source(url.replace("/catalog.ttl", ""), "vndata_ckan")

    objects = run_harvest(source["id"], "vndata_ckan")

    jobs = helpers.call_action(
        "harvest_job_list",
        context={"user": factories.Sysadmin()["name"]},
        source_id=source["id"],
    )
    report = helpers.call_action("harvest_job_report", id=jobs[0]["id"])
    assert objects == []
    assert any("loopback" in e["message"] for e in report["gather_errors"])
