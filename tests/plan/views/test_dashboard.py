"""The national dashboard: its bodies (headline, red rows, exports, filters) and its
sorting, whatever the agencies lack."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest

from ckan.tests import factories

from tests.factories import Item, Phase, VnDataset, walk
from tests.helpers import token_headers
from tests.plan.conftest import call, make_agency, plan_in
from tests.plan.helpers import store_score, store_snapshot, tally_rated

SORTS = ("agency", "province_code", "agency_level", "plan_status", "planned",
         "published", "overdue", "due_on_time_percent", "current_phase",
         "levels_passed",
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


def _agencies_listed(html: str) -> list[str]:
    table = html.split('id="vndata-dashboard-table"')[1].split("</table>")[0]
    return re.findall(r'class="vndata-cell-title"><a href="[^"]*">([^<]*)</a>', table)


@pytest.mark.ckan_config("ckanext.vndata.plan.dashboard_rows_per_page", 2)
@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestDashboardPages:
    def test_the_table_is_paged_keeping_its_sort_and_the_downloads_hold_all(self, app):
        for name in ("Sở A", "Sở B", "Sở C"):
            plan_in(make_agency(name, "48"))
        headers = token_headers(factories.Sysadmin())  # plans in draft: theirs

        def page(query: str) -> str:
            return app.get(f"/ke-hoach/tong-hop{query}", headers=headers).body

        first = page("?sort=agency&order=desc")
        second = page("?sort=agency&order=desc&page=2")
        every = json.loads(page(".json?sort=agency"))

        assert _agencies_listed(first) == ["Sở C", "Sở B"]
        assert _agencies_listed(second) == ["Sở A"]
        # The pager's links keep the sort; a sort link starts again at page 1.
        (to_second,) = set(re.findall(r'href="([^"]*page=2[^"]*)"', first))
        assert "sort=agency" in to_second and "order=desc" in to_second
        assert "page=" not in first.split("<thead>")[1].split("</thead>")[0]
        assert [r["agency"] for r in every["rows"]] == ["Sở A", "Sở B", "Sở C"]

    @pytest.mark.parametrize(
        "extra", ["_scheme=javascript", "endpoint=user.logout", "_external=1"]
    )
    def test_an_argument_that_is_no_filter_stays_out_of_the_links(self, app, extra):
        for name in ("Sở A", "Sở B", "Sở C"):
            plan_in(make_agency(name, "48"))
        headers = token_headers(factories.Sysadmin())

        page = app.get(f"/ke-hoach/tong-hop?sort=agency&{extra}", headers=headers)

        assert page.status_code == 200
        links = re.findall(r'href="([^"]*tong-hop[^"]*)"', page.body)
        assert links and not any(extra.split("=")[0] in link for link in links)

    @pytest.mark.parametrize(
        ("page", "status"), [("0", 400), ("-1", 400), ("x", 400), ("99", 200)]
    )
    def test_a_page_that_is_not_one_is_a_400_and_past_the_last_the_last(
        self, app, page, status
    ):
        plan_in(make_agency("Sở A", "48"))
        headers = token_headers(factories.Sysadmin())

        response = app.get(
            f"/ke-hoach/tong-hop?page={page}", headers=headers, status=None
        )

        assert response.status_code == status
        if status == 200:
            assert _agencies_listed(response.body) == ["Sở A"]


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestDashboardBodies:
    def test_a_body_without_a_plan_is_a_red_row_in_page_csv_and_json(self, app):
        plan_in(make_agency("Sở Khoa học và Công nghệ Đà Nẵng", "48"), "published")

        page = app.get("/ke-hoach/tong-hop").body
        as_json = json.loads(app.get("/ke-hoach/tong-hop/doi-tuong.json").body)
        as_csv = app.get("/ke-hoach/tong-hop/doi-tuong.csv").body

        assert 'id="vndata-headline"' in page
        hue = page.split('data-body="46"')[1].split("</tr>")[0]
        assert "vndata-body-no_plan" in hue and "Thành phố Huế" in hue
        assert 'class="vndata-body-row vndata-body-row-no_plan" data-body="46"' in page
        bodies = {row["code"]: row for row in as_json["rows"]}
        assert bodies["46"]["status"] == "no_plan"
        assert bodies["48"]["status"] == "issued"
        assert as_json["headline"]["issued"] == 1
        reader = csv.DictReader(io.StringIO(as_csv.lstrip("\ufeff")))
        rows = {row["Mã cơ quan"]: row for row in reader}
        assert rows["46"]["Mã trạng thái"] == "no_plan"
        assert rows["46"]["Cơ quan"] == "Thành phố Huế"
        assert rows["48"]["Số kế hoạch"] == "1"

    def test_filters_narrow_the_bodies_and_a_bad_one_is_a_400(self, app):
        only = json.loads(
            app.get(
                "/ke-hoach/tong-hop/doi-tuong.json?kind=central&status=no_plan"
            ).body
        )

        assert only["rows"] and {r["kind"] for r in only["rows"]} != {"province"}
        assert {r["status"] for r in only["rows"]} == {"no_plan"}
        assert app.get("/ke-hoach/tong-hop?status=bogus").status_code == 400
        assert app.get("/ke-hoach/tong-hop/doi-tuong.csv?kind=x").status_code == 400

    def test_the_csv_keeps_a_formula_like_body_title_as_text(self, app):
        call(
            "vndata_roster_body_create",
            factories.Sysadmin(),
            code="G38",
            kind="ministry",
            title='=HYPERLINK("http://x","y")',
        )

        body = app.get("/ke-hoach/tong-hop/doi-tuong.csv?body=G38").body

        (row,) = csv.DictReader(io.StringIO(body.lstrip("\ufeff")))
        assert row["Cơ quan"] == '\'=HYPERLINK("http://x","y")'

    def test_a_roster_edit_shows_on_the_dashboard(self, app):
        call(
            "vndata_roster_body_update", factories.Sysadmin(), code="G16",
            merged_into="G03",
        )  # fmt: skip

        codes = [
            r["code"]
            for r in json.loads(app.get("/ke-hoach/tong-hop/doi-tuong.json").body)[
                "rows"
            ]
        ]

        assert "G16" not in codes and "G03" in codes


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestDashboardLabels:
    def test_the_level_filter_shows_level_names_not_codes(self, app):
        agency = make_agency("Sở Xây dựng Đà Nẵng", "48", agency_level="so_nganh")
        plan_in(agency, "published")

        page = app.get("/ke-hoach/tong-hop").body
        english = app.get("/en/ke-hoach/tong-hop").body

        level = page.split('id="filter-agency_level"')[1].split("</select>")[0]
        assert '<option value="so_nganh" >Sở, ban, ngành</option>' in level
        assert ">so_nganh<" not in level
        level = english.split('id="filter-agency_level"')[1].split("</select>")[0]
        assert ">Department</option>" in level

    def test_the_csvs_give_labels_and_keep_only_the_codes_a_reuser_needs(self, app):
        agency = make_agency("Sở Xây dựng Đà Nẵng", "48", agency_level="so_nganh")
        plan_in(agency, "published")

        plans = app.get("/ke-hoach/tong-hop.csv").body.lstrip("\ufeff")
        bodies = app.get("/ke-hoach/tong-hop/doi-tuong.csv").body.lstrip("\ufeff")

        (row,) = csv.DictReader(io.StringIO(plans))
        assert (row["Trạng thái kế hoạch"], row["Mã trạng thái"]) == (
            "đã công bố",
            "published",
        )
        assert row["Cấp cơ quan"] == "Sở, ban, ngành"
        assert (row["Tỉnh, thành phố"], row["Mã tỉnh, thành phố"]) == (
            "Thành phố Đà Nẵng",
            "48",
        )
        assert "so_nganh" not in plans
        rows = {r["Mã cơ quan"]: r for r in csv.DictReader(io.StringIO(bodies))}
        assert rows["48"]["Loại cơ quan"] and rows["48"]["Loại cơ quan"] != "province"
        assert rows["48"]["Tình trạng"] == "đã ban hành, đúng tiến độ"
        assert rows["48"]["Tỉnh, thành phố"] == "Thành phố Đà Nẵng"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDashboardAgreesWithThePlanPage:
    def test_a_level_of_a_running_phase_is_not_due_on_dashboard_and_plan_page(
        self, app, agency
    ):
        today = datetime.date.today()
        plan = plan_in(agency, contact_email="dulieumo@danang.gov.vn")
        Phase(
            plan_id=plan["id"], label="Giai đoạn hiện tại", min_datasets=1,
            start_date=(today - datetime.timedelta(days=30)).isoformat(),
            end_date=(today + datetime.timedelta(days=300)).isoformat(),
        )  # fmt: skip
        Item(
            plan_id=plan["id"],
            target_date=(today + datetime.timedelta(days=200)).isoformat(),
        )
        walk(plan, "published", agency)

        page = app.get("/ke-hoach/tong-hop").body
        plan_page = app.get(f"/ke-hoach/{plan['id']}").body
        report = call("vndata_compliance_report", None)

        (row,) = [r for r in report["bodies"] if r["code"] == "48"]
        assert (row["status"], row["levels_failed"]) == ("issued", 0)
        agencies = page.split('id="vndata-dashboard-table"')[1]
        assert "vndata-fail" not in agencies and "vndata-unset" in agencies
        assert "Chưa đến hạn đánh giá" in plan_page
        legend = page.split('id="vndata-figure-statuses"')[1].split("</section>")[0]
        assert f"Đã ban hành kế hoạch: {report['headline']['issued']}" in legend
        assert "Đúng hạn, trên số mục đến hạn (%)" in page


def _bodies_csv(app, prefix: str = "") -> dict[str, dict[str, str]]:
    body = app.get(f"{prefix}/ke-hoach/tong-hop/doi-tuong.csv").body
    reader = csv.DictReader(io.StringIO(body.lstrip("\ufeff")))
    return {row["Body code" if prefix else "Mã cơ quan"]: row for row in reader}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDashboardQuality:
    """Each body's metadata quality: its organizations' public datasets' scores
    summed (a province's departments together), in the page, the JSON and the CSV."""

    def _danang(self):
        finance = make_agency("Sở Tài chính Đà Nẵng", "48")
        science = make_agency("Sở Khoa học và Công nghệ Đà Nẵng", "48")
        plan_in(science, "published")
        good = VnDataset(owner_org=finance.org["id"])
        bad = VnDataset(owner_org=science.org["id"])
        return science, store_score(good, "good"), store_score(bad, "bad"), bad

    def test_each_body_shows_its_summed_score_in_page_json_and_csv(self, app):
        _science, good, bad, _dataset = self._danang()
        # Each indicator judged once per dataset: the sum scores their average.
        points = round((good.total() + bad.total()) / 2)
        rating = "good" if points >= 221 else "sufficient" if points >= 121 else "bad"
        label = {"good": "Tốt", "sufficient": "Trung bình", "bad": "Kém"}[rating]

        as_json = json.loads(app.get("/ke-hoach/tong-hop/doi-tuong.json").body)
        page = app.get("/ke-hoach/tong-hop").body
        rows, english = _bodies_csv(app), _bodies_csv(app, "/en")

        bodies = {row["code"]: row for row in as_json["rows"]}
        assert bodies["48"]["quality"]["points"] == points
        assert bodies["48"]["quality"]["rating"] == rating
        assert bodies["48"]["quality"]["datasets"] == 2
        assert bodies["46"]["quality"]["points"] is None  # nothing scored: no rating
        assert as_json["headline"]["quality"]["datasets"] == 2
        danang = page.split('data-body="48"')[1].split("</tr>")[0]
        assert f"vndata-quality-{rating}" in danang
        assert f"{label} · {points}" in danang
        assert 'id="vndata-figure-quality"' in page
        assert rows["48"]["Chất lượng siêu dữ liệu (điểm)"] == str(points)
        assert rows["48"]["Mức chất lượng siêu dữ liệu"] == label
        assert rows["48"]["Số tập dữ liệu đã chấm điểm"] == "2"
        assert rows["46"]["Mức chất lượng siêu dữ liệu"] == ""
        assert english["48"]["Metadata quality rating"] == rating.capitalize()
        # Each agency with a plan: its own organization's datasets.
        (agency,) = json.loads(app.get("/ke-hoach/tong-hop.json").body)["rows"]
        assert agency["quality"]["points"] == bad.total()
        assert agency["quality"]["text"] == f"Kém · {bad.total()}"
        agencies = app.get("/en/ke-hoach/tong-hop.csv").body.lstrip("\ufeff")
        (line,) = csv.DictReader(io.StringIO(agencies))
        assert line["Metadata quality rating"] == "Bad"
        assert line["Datasets scored"] == "1"

    def test_a_rescore_shows_at_once_and_a_private_dataset_does_not_count(self, app):
        science, _good, _bad, dataset = self._danang()
        before = json.loads(app.get("/ke-hoach/tong-hop/doi-tuong.json").body)

        store_score(dataset, "excellent")  # a link check rescored it
        after = json.loads(app.get("/ke-hoach/tong-hop/doi-tuong.json").body)

        def danang(report):
            return next(r for r in report["rows"] if r["code"] == "48")["quality"]

        assert danang(after)["points"] > danang(before)["points"]
        private = VnDataset(owner_org=science.org["id"], private=True)
        store_score(private, "bad")
        again = json.loads(app.get("/ke-hoach/tong-hop/doi-tuong.json").body)
        assert danang(again) == danang(after)

    def test_the_trend_has_the_nation_and_the_chosen_body(self, app):
        science, *_ = self._danang()
        today = datetime.date.today()
        store_snapshot(science.org["id"], today - datetime.timedelta(days=1), "bad")
        store_snapshot(science.org["id"], today, "good")
        elsewhere = make_agency("Sở Tài chính Huế", "46")
        store_snapshot(elsewhere.org["id"], today, "excellent")

        page = app.get("/ke-hoach/tong-hop?body=48").body
        charts = json.loads(
            page.split('id="vndata-dashboard-data">')[1].split("</script>")[0]
        )

        quality = charts["quality"]
        assert quality["labels"] == [
            (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
            today.strftime("%d/%m/%Y"),
        ]
        nation, danang = quality["series"]
        assert nation["label"] == "Cả nước"
        assert danang["points"] == [
            tally_rated("bad").total(),
            tally_rated("good").total(),
        ]
        assert nation["points"][0] == tally_rated("bad").total()
        assert "Cả nước ngày" in page

    def test_a_body_title_that_closes_the_script_stays_data(self, app):
        # The trend's series are named by body titles, written into a <script> block.
        hostile = "Bộ </script><script>alert(1)</script><!-- & -->"
        ministry = make_agency(
            "Bộ Y tế", "01", agency_code="G18", agency_level="trung_uong"
        )
        plan_in(ministry, "published")
        today = datetime.date.today()
        store_snapshot(ministry.org["id"], today, "good")
        call(
            "vndata_roster_body_update", factories.Sysadmin(), code="G18", title=hostile
        )

        page = app.get("/ke-hoach/tong-hop?body=G18").body

        assert "<script>alert(1)" not in page
        block = page.split('id="vndata-dashboard-data">')[1].split("</script>")[0]
        (_nation, body) = json.loads(block)["quality"]["series"]
        assert body["label"] == hostile
