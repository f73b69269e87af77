"""The quality figures as JSON and CSV downloads: public, in the reader's language,
and hostile parameters answered with an error page, never a 500."""

from __future__ import annotations

import datetime
import json

import pytest

from ckan.tests import factories

from ckanext.vndata.quality import scoring
from tests.factories import VnDataset
from tests.quality.helpers import source_bringing

URL = "/chat-luong/tong-hop"


def _scored() -> tuple[dict, dict]:
    org = factories.Organization()
    dataset = VnDataset(owner_org=org["id"])
    source = source_bringing(dataset)
    yesterday = datetime.datetime.utcnow().date() - datetime.timedelta(days=1)
    scoring.vndata_quality_score_all()
    scoring.vndata_quality_take_snapshots(day=yesterday)
    return org, source


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDownloads:
    def test_json_for_an_organization_a_source_and_the_nation(self, app):
        org, source = _scored()
        queries = (f"scope=organization&id={org['name']}",
                   f"scope=source&id={source['name']}", "scope=nation", "")  # fmt: skip
        for query in queries:
            result = json.loads(app.get(f"{URL}.json?{query}").get_data(as_text=True))
            assert result["datasets"] == 1, query
            assert [d["day"] for d in result["history"]] == [
                (
                    datetime.datetime.utcnow().date() - datetime.timedelta(days=n)
                ).isoformat()
                for n in (1, 0)
            ]
            assert len(result["dimensions"]) == 5

    def test_csv_in_vietnamese_with_a_bom(self, app):
        org, _source = _scored()

        response = app.get(f"{URL}.csv?scope=organization&id={org['id']}")

        text = response.get_data(as_text=True)
        assert text.startswith("\ufeffNgày,Tập dữ liệu,Điểm,Mức xếp hạng,")
        assert "attachment" in response.headers["Content-Disposition"]
        lines = text.strip().splitlines()
        assert len(lines) == 3
        assert lines[1].split(",")[0].count("/") == 2  # dd/mm/yyyy

    def test_csv_in_english(self, app):
        org, _source = _scored()
        text = app.get(f"/en{URL}.csv?scope=organization&id={org['id']}").get_data(
            as_text=True
        )
        assert text.startswith("\ufeffDay,Datasets,Points,Rating,Findability")
        assert text.splitlines()[1][4] == "-"  # dates as the English pages write them

    @pytest.mark.parametrize(
        "query, status",
        [
            ("scope=organization&id=khong-co", 404),
            ("scope=source&id=khong-co", 404),
            ("scope=organization", 400),
            ("scope=tinh", 400),
            ("scope=organization&id=%00", 400),
            ("scope=organization&id=" + "x" * 5000, 400),
            ("scope=organization&id=%27%3B+drop+table", 404),
        ],
    )
    def test_hostile_parameters_are_refused(self, app, query, status):
        app.get(f"{URL}.json?{query}", status=status)

    def test_an_unknown_format_is_not_found(self, app):
        app.get(f"{URL}.xml", status=404)
