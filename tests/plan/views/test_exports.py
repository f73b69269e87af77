"""Every CSV and XLSX export keeps text that looks like a formula from being run as one
("CSV injection"), and our own .xlsx comes back through the upload unchanged."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from ckan.cli.cli import ckan
from ckan.tests import factories

from tests.factories import Item
from tests.helpers import token_headers
from tests.plan.conftest import call, make_agency, plan_in
from tests.plan.helpers import ITEMS, confirm, upload

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "=1+1", "＝1+1"]


def _plan_with_payloads(agency) -> dict:
    plan = plan_in(agency)
    for number, payload in enumerate(PAYLOADS, start=1):
        Item(plan_id=plan["id"], number=number, title=payload, lead_agency=payload)
    return plan


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestFormulaInjection:
    def test_plan_csv_prefixes_formula_like_text(self, app, agency):
        plan = _plan_with_payloads(agency)

        body = app.get(
            f"/ke-hoach/{plan['id']}.csv", headers=token_headers(agency.editor)
        ).body

        rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
        assert [r["Tiêu đề"] for r in rows] == ["'" + p for p in PAYLOADS]
        assert [r["Cơ quan chủ trì"] for r in rows] == ["'" + p for p in PAYLOADS]

    def test_plan_csv_is_headed_in_the_readers_language_with_a_bom(self, app, agency):
        plan = plan_in(agency)
        Item(plan_id=plan["id"], number=1, title="Trường học",
             sector="giao-duc-dao-tao", target_date="2026-11-29")  # fmt: skip
        headers = token_headers(agency.editor)

        body = app.get(f"/ke-hoach/{plan['id']}.csv", headers=headers).body
        english = app.get(f"/en/ke-hoach/{plan['id']}.csv", headers=headers).body

        assert body.startswith("\ufeffSTT,")
        (row,) = csv.DictReader(io.StringIO(body.lstrip("\ufeff")))
        assert (row["Lĩnh vực"], row["Thời hạn công bố"]) == (
            "Giáo dục đào tạo",
            "29/11/2026",
        )
        (en,) = csv.DictReader(io.StringIO(english.lstrip("\ufeff")))
        assert (en["Title"], en["Sector"]) == ("Trường học", "Education and training")
        assert en["Publication deadline"] == "2026-11-29"
        assert "giao-duc-dao-tao" not in body + english

    def test_plan_xlsx_holds_text_not_formulas_and_comes_back_unchanged(
        self, app, agency
    ):
        plan = _plan_with_payloads(agency)
        body = app.get(
            f"/ke-hoach/{plan['id']}.xlsx", headers=token_headers(agency.editor)
        ).data

        sheet = openpyxl.load_workbook(io.BytesIO(body))[ITEMS]
        titles = [row[1] for row in sheet.iter_rows(min_row=2)]
        assert [c.value for c in titles] == PAYLOADS
        assert {c.data_type for c in titles} == {"s"}
        assert all(c.quotePrefix for c in titles)

        preview = upload(app, plan["id"], agency.editor, body)
        assert 'id="vndata-no-change"' in preview.body
        confirm(app, plan["id"], agency.editor, preview)
        items = call("vndata_plan_show", agency.editor, id=plan["id"])["items"]
        assert [i["title"] for i in items] == PAYLOADS

    def test_dashboard_csv_prefixes_formula_like_agency_names(self, app):
        agency = make_agency('=HYPERLINK("http://x","y")')
        plan_in(agency)

        body = app.get(
            "/ke-hoach/tong-hop.csv", headers=token_headers(factories.Sysadmin())
        ).body

        rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
        assert [r["Cơ quan"] for r in rows] == ["'" + agency.org["title"]]

    def test_cli_report_csv_prefixes_formula_like_agency_names(self, cli):
        agency = make_agency("@SUM(A1)")
        plan_in(agency, "published")

        result = cli.invoke(ckan, ["vndata_plan", "report"])

        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert [r["agency"] for r in rows] == ["'@SUM(A1)"]
