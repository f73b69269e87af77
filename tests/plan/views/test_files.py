"""Plan files: downloads, the Excel round trip, bad and hostile uploads."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from rdflib import Graph, URIRef

from ckan.tests import factories

from tests.helpers import token_headers
from tests.plan.conftest import call
from tests.plan.helpers import plan_with_parts

STATUS = "http://publications.europa.eu/resource/authority/dataset-status/"


def _upload(app, plan_id: str, user: dict, data: bytes):
    return app.post(
        f"/ke-hoach/{plan_id}/tai-len",
        headers=token_headers(user),
        data={"file": (io.BytesIO(data), "ke-hoach.xlsx")},
    )


def _confirm(app, plan_id: str, user: dict, preview) -> None:
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.body).group(1)
    app.post(
        f"/ke-hoach/{plan_id}/tai-len",
        headers=token_headers(user),
        data={"token": token, "confirm": "1"},
    )


def _workbook(app, plan_id: str, user: dict) -> openpyxl.Workbook:
    body = app.get(f"/ke-hoach/{plan_id}.xlsx", headers=token_headers(user)).data
    return openpyxl.load_workbook(io.BytesIO(body))


def _bytes(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestDownloads:
    def test_plan_as_json_csv_and_dcat(self, app, agency):
        plan = plan_with_parts(agency)
        headers = token_headers(agency.editor)

        as_json = json.loads(
            app.get(f"/ke-hoach/{plan['id']}.json", headers=headers).body
        )
        as_csv = app.get(f"/ke-hoach/{plan['id']}.csv", headers=headers).body
        graph = Graph().parse(
            data=app.get(f"/ke-hoach/{plan['id']}.ttl", headers=headers).body,
            format="turtle",
        )

        assert as_json["items"][0]["title"] == "Danh sách trường học"
        assert "Danh sách trường học" in as_csv and "overdue" in as_csv
        statuses = set(graph.objects(None, URIRef("http://www.w3.org/ns/adms#status")))
        assert statuses == {URIRef(STATUS + "DEVELOP")}

    @pytest.mark.parametrize(
        ("fmt", "mimetype"),
        [("ttl", "text/turtle"), ("rdf", "application/rdf+xml"),
         ("jsonld", "application/ld+json")],
    )  # fmt: skip
    def test_the_plans_index_answers_anyone_in_each_format(self, app, fmt, mimetype):
        response = app.get(f"/ke-hoach/catalog.{fmt}")

        assert response.status_code == 200
        assert response.mimetype == mimetype

    def test_template_has_the_three_parts_and_drop_downs(self, app):
        body = app.get("/ke-hoach/mau-ke-hoach.xlsx").data
        book = openpyxl.load_workbook(io.BytesIO(body))

        assert book.sheetnames[:4] == [
            "Hướng dẫn",
            "Thông tin chung",
            "Danh mục và kế hoạch",
            "Mức tối thiểu",
        ]
        assert book["Danh mục và kế hoạch"].data_validations.dataValidation


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestUpload:
    def test_round_trip_of_a_downloaded_plan_changes_nothing(self, app, agency):
        plan = plan_with_parts(agency)
        before = call("vndata_plan_show", agency.editor, id=plan["id"])
        data = _bytes(_workbook(app, plan["id"], agency.editor))

        preview = _upload(app, plan["id"], agency.editor, data)
        assert (
            "nothing will change" in preview.body
            or "không có gì thay đổi" in preview.body
        )
        _confirm(app, plan["id"], agency.editor, preview)

        after = call("vndata_plan_show", agency.editor, id=plan["id"])
        assert after["items"] == before["items"]
        assert after["phases"] == before["phases"]

    def test_the_same_file_twice_changes_nothing_the_second_time(self, app, agency):
        plan = plan_with_parts(agency)
        book = _workbook(app, plan["id"], agency.editor)
        book["Danh mục và kế hoạch"].append([2, "Điểm wifi công cộng"])
        data = _bytes(book)
        _confirm(app, plan["id"], agency.editor, _upload(app, plan["id"],
                 agency.editor, data))  # fmt: skip
        saved = call("vndata_plan_show", agency.editor, id=plan["id"])

        again = _upload(app, plan["id"], agency.editor, data)
        _confirm(app, plan["id"], agency.editor, again)

        # The new row has no key in that file: it would be added again, so the
        # preview says so; the officer re-uploads the plan's own download instead.
        assert "Điểm wifi công cộng" in again.body
        mine = _bytes(_workbook(app, plan["id"], agency.editor))
        before = call("vndata_plan_show", agency.editor, id=plan["id"])
        preview = _upload(app, plan["id"], agency.editor, mine)
        _confirm(app, plan["id"], agency.editor, preview)
        after = call("vndata_plan_show", agency.editor, id=plan["id"])
        assert "0 thay đổi" in preview.body
        assert (after["modified"], after["history"]) == (
            before["modified"],
            before["history"],
        )
        assert len(saved["items"]) == 2

    def test_the_preview_shows_each_change_old_to_new_under_its_label(
        self, app, agency
    ):
        plan = plan_with_parts(agency)
        book = _workbook(app, plan["id"], agency.editor)
        book["Danh mục và kế hoạch"]["F2"] = "CSDL giáo dục"  # Cơ sở dữ liệu nguồn
        book["Danh mục và kế hoạch"]["D2"] = "Y tế"
        book["Mức tối thiểu"]["H2"] = 35  # % có API

        page = _upload(app, plan["id"], agency.editor, _bytes(book))

        assert "2 thay đổi" in page.body
        assert "Cơ sở dữ liệu nguồn" in page.body and "Có API (%)" in page.body
        assert "<del>Giáo dục đào tạo</del> → <ins>Y tế</ins>" in page.body
        assert "<del>—</del> → <ins>35</ins>" in page.body
        for raw in ("source_database", "min_percent_api", "giao-duc-dao-tao", "y-te"):
            assert raw not in page.body.split('id="vndata-preview"')[1]

    def test_parts_not_in_the_file_are_removed_only_when_the_box_is_ticked(
        self, app, agency
    ):
        plan = plan_with_parts(agency)
        template = openpyxl.load_workbook(
            io.BytesIO(app.get("/ke-hoach/mau-ke-hoach.xlsx").data)
        )
        template["Danh mục và kế hoạch"].append([None, "Điểm wifi công cộng"])
        preview = _upload(app, plan["id"], agency.editor, _bytes(template))
        token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.body)

        assert 'id="vndata-kept"' in preview.body
        app.post(
            f"/ke-hoach/{plan['id']}/tai-len", headers=token_headers(agency.editor),
            data={"token": token.group(1), "confirm": "1", "remove_missing": "1"},
        )  # fmt: skip

        shown = call("vndata_plan_show", agency.editor, id=plan["id"])
        assert [i["title"] for i in shown["items"]] == ["Điểm wifi công cộng"]
        assert shown["phases"] == []

    def test_filled_rows_are_previewed_then_saved(self, app, agency):
        plan = plan_with_parts(agency)
        book = _workbook(app, plan["id"], agency.editor)
        book["Danh mục và kế hoạch"].append(
            [2, "Điểm wifi công cộng", None, "Cơ sở hạ tầng", None, None, "CSV, JSON",
             "Hằng năm", "Giai đoạn 1", "30/06/2025", "Cao"]
        )  # fmt: skip

        preview = _upload(app, plan["id"], agency.editor, _bytes(book))
        assert "Điểm wifi công cộng" in preview.body
        assert len(call("vndata_plan_show", agency.editor, id=plan["id"])["items"]) == 1
        _confirm(app, plan["id"], agency.editor, preview)

        items = call("vndata_plan_show", agency.editor, id=plan["id"])["items"]
        assert items[1]["title"] == "Điểm wifi công cộng"
        assert items[1]["sector"] == "co-so-ha-tang"
        assert items[1]["formats"] == ["CSV", "JSON"]
        assert items[1]["target_date"] == "2025-06-30"

    def test_bad_row_is_named_by_sheet_row_and_column_and_nothing_is_saved(
        self, app, agency
    ):
        plan = plan_with_parts(agency)
        book = _workbook(app, plan["id"], agency.editor)
        sheet = book["Danh mục và kế hoạch"]
        sheet.append([2, "Dữ liệu tốt", None, None, None, None, None, None, None,
                      "31/12/2025", None])  # fmt: skip
        sheet.append([3, "Dữ liệu lỗi", None, "Không có lĩnh vực này", None, None,
                      None, None, None, "31/02/2025", None])  # fmt: skip

        page = _upload(app, plan["id"], agency.editor, _bytes(book))

        assert "Danh mục và kế hoạch" in page.body and "dòng 4" in page.body
        assert "Lĩnh vực" in page.body and "Thời hạn công bố" in page.body
        assert 'name="token"' not in page.body
        assert len(call("vndata_plan_show", agency.editor, id=plan["id"])["items"]) == 1

    def test_a_formula_cell_is_a_row_error_naming_the_cell(self, app, agency):
        plan = plan_with_parts(agency)
        book = _workbook(app, plan["id"], agency.editor)
        book["Danh mục và kế hoạch"].append([2, '=HYPERLINK("http://x")'])

        page = _upload(app, plan["id"], agency.editor, _bytes(book))

        assert 'id="vndata-problems"' in page.body
        assert "dòng 3" in page.body and "Tên dữ liệu" in page.body
        assert 'name="token"' not in page.body
        assert len(call("vndata_plan_show", agency.editor, id=plan["id"])["items"]) == 1

    @pytest.mark.parametrize(
        "kind", ["not_xlsx", "too_many_rows", "missing_sheet", "huge"]
    )
    def test_hostile_or_broken_files_are_refused_with_a_reason(self, app, agency, kind):
        plan = plan_with_parts(agency)
        book = _workbook(app, plan["id"], agency.editor)
        sheet = book["Danh mục và kế hoạch"]
        if kind == "too_many_rows":
            for n in range(10000):
                sheet.append([n + 2, f"Dòng {n}"])
        elif kind == "missing_sheet":
            del book["Mức tối thiểu"]
        data = {
            "not_xlsx": b"PK not really a zip",
            "huge": _bytes(book) + b"\0" * (6 * 1024 * 1024),
        }.get(kind) or _bytes(book)

        page = _upload(app, plan["id"], agency.editor, data)

        assert page.status_code == 200
        assert 'id="vndata-refusal"' in page.body
        assert len(call("vndata_plan_show", agency.editor, id=plan["id"])["items"]) == 1


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestDashboard:
    def test_dashboard_lists_agencies_with_charts_and_their_text(self, app, agency):
        from tests.plan.conftest import plan_in

        plan_in(agency, "published")

        page = app.get("/ke-hoach/tong-hop")
        as_json = json.loads(app.get("/ke-hoach/tong-hop.json").body)
        as_csv = app.get("/ke-hoach/tong-hop.csv").body
        filtered = json.loads(app.get("/ke-hoach/tong-hop.json?province_code=46").body)

        assert agency.org["title"] in page.body
        assert 'id="vndata-chart-provinces"' in page.body
        assert "vndata-chart-provinces-text" in page.body
        assert as_json["rows"][0]["agency"] == agency.org["title"]
        assert agency.org["title"] in as_csv
        assert filtered["rows"] == []

    def test_dashboard_links_the_harvest_overview_for_sysadmins(self, app):
        sysadmin = token_headers(factories.Sysadmin())

        anonymous = app.get("/ke-hoach/tong-hop").body
        operator = app.get("/ke-hoach/tong-hop", headers=sysadmin).body

        assert "/thu-thap/tong-quan" not in anonymous
        assert 'href="/thu-thap/tong-quan"' in operator
