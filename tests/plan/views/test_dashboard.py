"""The national dashboard's sorting, whatever the agencies lack."""

from __future__ import annotations

import json

import pytest

from ckan.tests import factories

from tests.helpers import token_headers
from tests.plan.conftest import make_agency, plan_in

SORTS = ("agency", "province_code", "agency_level", "plan_status", "planned",
         "published", "overdue", "on_time_percent", "current_phase", "levels_passed",
         "levels_failed", "last_harvest", "bogus", "")  # fmt: skip


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestDashboardSorting:
    def test_every_sort_key_works_with_a_missing_province_code(self, app):
        plan_in(make_agency("Sở Tài chính (chưa có mã tỉnh)", ""))
        plan_in(make_agency("Sở Khoa học và Công nghệ Đà Nẵng", "48"))
        headers = token_headers(factories.Sysadmin())

        for sort in SORTS:
            for order in ("asc", "desc"):
                for fmt in (".json", ".csv", ""):
                    page = app.get(
                        f"/ke-hoach/tong-hop{fmt}?sort={sort}&order={order}",
                        headers=headers,
                    )
                    assert page.status_code == 200, (sort, order, fmt)

        for order in ("asc", "desc"):
            body = app.get(
                f"/ke-hoach/tong-hop.json?sort=province_code&order={order}",
                headers=headers,
            ).body
            codes = [r["province_code"] for r in json.loads(body)["rows"]]
            assert codes[0] == "48" and codes[-1] in ("", None)
