"""`ckan vndata_harvester`: run one source now, the overview, the scheduler."""

from __future__ import annotations

import pytest

from ckan.cli.cli import ckan
from ckan.tests import helpers

from tests.harvester.helpers import TOO_LONG, catalogue
from tests.harvester.sources import harvest_source, turtle_catalogue, turtle_record


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestRunCommand:
    def test_run_imports_with_progress_and_exits_zero(self, catalogue_server, cli):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2])
        source = harvest_source(url)

        result = cli.invoke(ckan, ["vndata_harvester", "run", source["name"]])

        assert result.exit_code == 0, result.output
        assert "thêm mới 2, cập nhật 0" in result.output
        assert helpers.call_action("package_search")["count"] == 2

    def test_run_of_a_failing_source_exits_non_zero_and_says_why(
        self, catalogue_server, cli
    ):
        handler, url = catalogue_server
        handler.pages = {"/khac": b""}  # 404 for the catalogue
        source = harvest_source(url)

        result = cli.invoke(ckan, ["vndata_harvester", "run", source["id"]])

        assert result.exit_code == 1
        assert "404" in result.output

    def test_run_of_an_unknown_source_is_refused(self, cli):
        result = cli.invoke(ckan, ["vndata_harvester", "run", "khong-co"])

        assert result.exit_code != 0
        assert "Không tìm thấy nguồn thu thập: khong-co" in result.output
        assert "Error" not in result.output  # click's English prefix

    def test_run_says_everything_in_vietnamese_naming_records_by_title(
        self, catalogue_server, cli
    ):
        handler, url = catalogue_server
        handler.body = turtle_catalogue(
            {1: turtle_record(1), 2: turtle_record(2, title=TOO_LONG)}
        )
        source = harvest_source(url)

        result = cli.invoke(ckan, ["vndata_harvester", "run", source["name"]])

        # A record held back (the harvest policy cannot make it a dataset) is for
        # review: the run itself succeeded.
        assert result.exit_code == 0, result.output
        assert "Đang đọc danh mục" in result.output
        assert "thêm mới 1, cập nhật 0" in result.output
        assert "chờ xem xét 1, lỗi 0, cảnh báo 0" in result.output
        refused = next(
            line for line in result.output.splitlines() if "(chờ xem xét)" in line
        )
        assert refused.startswith("«Tập dữ liệu có tên quá dài")
        assert "Tên tập dữ liệu:" in refused
        assert source["id"] not in result.output  # no guid
        for english in ("errored", "Invalid", "Error", "dataset", "[errors]"):
            assert english not in result.output
