"""A second CKAN process playing Đà Nẵng's provincial portal, for end-to-end tests.

It has its own database, Solr core and ini, runs `ckan run` on loopback, and publishes
two datasets of its science department through vndata_dcat and the Action API. It runs
vndata_plan too: ``plan_at_province`` makes a plan there through its Action API.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from typing import Callable, Iterator

import requests
import sqlalchemy as sa

from tests.helpers import (
    REPO_ROOT,
    VENV_BIN,
    ckan_server,
    free_port,
    ini_over_test_ini,
    wait_for_http,
)

# One provincial database and core per CKAN leg (a core keeps its first schema).
PROVINCE_DB = os.environ.get("VNDATA_TEST_DB", "ckan_test") + "_prov"
# The province has no DataStore of its own: it uses the test run's (run-tests.sh makes
# it), whose address the CKAN_DATASTORE_* variables would give, but _services_env
# leaves every CKAN_ variable out. Nothing is loaded there: test.ini sets no xloader
# token, so xloader submits no job.
DATASTORE_DB = os.environ.get("VNDATA_TEST_DB", "ckan_test") + "_datastore"
DATASETS = [
    ("Danh sách trường học Đà Nẵng", ["giao-duc-dao-tao"], "CSV"),
    ("Điểm wifi công cộng Đà Nẵng", ["co-so-ha-tang"], "JSON"),
]
PUBLISHER = "Sở Khoa học và Công nghệ thành phố Đà Nẵng"
AGENCY_CODE = "H17.14"


def _services_env() -> dict[str, str]:
    """The environment without the national instance's URL overrides."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}


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
            # The test run's Redis database (another site_id: other keys).
            "ckan.redis.url": os.environ.get(
                "CKAN_REDIS_URL", f"redis://127.0.0.1:{redis}/3"
            ),
            "ckan.site_url": f"http://127.0.0.1:{port}",
            "ckan.datastore.write_url": f"postgresql://ckan_default:pass@127.0.0.1:{pg}/"
            + DATASTORE_DB,
            "ckan.datastore.read_url": f"postgresql://datastore_ro:pass@127.0.0.1:{pg}/"
            + DATASTORE_DB,
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


def _new_site(ini: str) -> str:
    """An empty provincial site with a sysadmin; returns the sysadmin's API token."""
    services = str(REPO_ROOT / "scripts" / "services.sh")
    subprocess.run([services, "db", PROVINCE_DB], check=True, env=_services_env())
    subprocess.run(
        [services, "solr-core", PROVINCE_DB, sys.executable],
        check=True,
        env=_services_env(),
    )
    _ckan(ini, "db", "clean", "--yes")
    _ckan(ini, "db", "init")
    for plugin in ("activity", "harvest", "vndata_plan", "vndata_harvester"):
        _ckan(ini, "db", "upgrade", "-p", plugin)
    _ckan(ini, "search-index", "clear")
    _ckan(ini, "user", "add", "quantri_tinh", "email=qt@danang.gov.vn",
          "password=Tinh-2026-Demo")  # fmt: skip
    _ckan(ini, "sysadmin", "add", "quantri_tinh")
    return _ckan(ini, "user", "token", "add", "quantri_tinh", "e2e").strip().split()[-1]


@contextlib.contextmanager
def provincial_portal_running(tmp_path) -> Iterator[tuple[str, Callable]]:
    """Yield the portal's URL and a function calling its actions as its sysadmin."""
    port = free_port()
    ini = _ini(tmp_path, port)
    token = _new_site(ini)
    with ckan_server(ini, port, env=_services_env()) as (url, process):
        wait_for_http(f"{url}/api/3/action/status_show", 120, process)

        def call(action: str, **data):
            headers = {"Authorization": token}
            response = requests.post(
                f"{url}/api/3/action/{action}", json=data, headers=headers, timeout=60
            )
            body = response.json()
            assert body["success"], body
            return body["result"]

        org = call("organization_create", name="so-khcn-da-nang", title=PUBLISHER,
                   agency_code=AGENCY_CODE, province_code="48")  # fmt: skip
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


# Workflow steps at the province, taken by its sysadmin (who holds every role).
_STEPS_TO = {
    "draft": (),
    "submitted": ("submit",),
    "approved": ("submit", "approve"),
    "published": ("submit", "approve", "publish"),
}


def plan_at_province(
    call: Callable, title: str, status: str = "published", links: tuple = ()
) -> dict:
    """A plan of the science department, entered through the province's Action API:
    one phase with two minimum levels, two items (the first delivered by the datasets
    ``links``, ids at the province), walked through the workflow to ``status``."""
    plan = call("vndata_plan_create", organization_id="so-khcn-da-nang", title=title,
                period_start=2026, period_end=2027)  # fmt: skip
    phase = call("vndata_plan_phase_create", plan_id=plan["id"], label="Giai đoạn 1",
                 start_date="2026-01-01", end_date="2026-12-31", min_datasets=1,
                 min_percent_machine_readable=50)  # fmt: skip
    first = call("vndata_plan_item_create", plan_id=plan["id"], phase_id=phase["id"],
                 title="Danh sách trường học", target_date="2026-06-30")  # fmt: skip
    call("vndata_plan_item_create", plan_id=plan["id"], phase_id=phase["id"],
         title="Điểm wifi công cộng", target_date="2026-12-31")  # fmt: skip
    for package_id in links:
        call("vndata_plan_item_link", id=first["id"], package_id=package_id)
    return walk_at_province(call, plan, status)


def walk_at_province(call: Callable, plan: dict, status: str) -> dict:
    for step in _STEPS_TO[status]:
        plan = call(f"vndata_plan_{step}", id=plan["id"])
    return plan


def remove_series_at_province(series_id: str) -> None:
    """The plan series gone from the province's database. A published plan has no
    action that withdraws it (vndata_plan_delete keeps published plans, sysadmins
    included): an operator removing it by hand is how it stops being published."""
    pg = os.environ.get("VNDATA_PG_PORT", "5433")
    engine = sa.create_engine(
        f"postgresql://ckan_default:pass@127.0.0.1:{pg}/{PROVINCE_DB}"
    )
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text("DELETE FROM vndata_plan WHERE series_id = :series"),
                {"series": series_id},
            )
    finally:
        engine.dispose()
