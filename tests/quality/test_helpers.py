"""The dataset page's and the search page's quality helpers, and the page itself.

The organization page: its quality (rating, points, the five dimensions) and the
trend of its daily points, in the reader's language.
"""

from __future__ import annotations

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup

from ckan import model
from ckan.tests import factories, helpers

from ckanext.vndata.quality import helpers as quality_helpers
from ckanext.vndata.quality import scoring
from ckanext.vndata.quality.model import DatasetScore
from tests.factories import VnDataset
from tests.metadata.helpers import vn_dataset


@pytest.mark.parametrize(
    ("points", "maximum", "width"),
    [
        (0, 100, 0),
        (50, 100, 50),
        (6.7, 20, 34),
        (120, 110, 100),
        (-1, 10, 0),
        (5, 0, 0),
    ],
)
def test_bar_width_is_a_percentage_within_bounds(points, maximum, width):
    assert quality_helpers.vndata_quality_bar_width(points, maximum) == width


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDatasetPage:
    def test_the_page_shows_the_rating_dimensions_and_fixes(self, app):
        dataset = helpers.call_action(
            "package_create",
            context={"user": factories.Sysadmin()["name"]},
            **vn_dataset(factories.Organization()["id"]),
        )
        score = helpers.call_action("vndata_quality_show", id=dataset["id"])
        page = app.get(f"/dataset/{dataset['name']}")
        block = BeautifulSoup(page.body, "html.parser").find(id="vndata-quality")
        assert block is not None, page.body[-2000:]
        text = " ".join(block.get_text().split())
        assert f"{score['points']}/405 điểm" in text
        assert "Khả năng tìm thấy" in text and "Nên sửa trước" in text
        assert "Liên kết của 1 tài nguyên chưa được kiểm tra" in text
        assert "Sự phù hợp với DCAT-AP chưa được kiểm tra" in text
        assert len(block.select(".vndata-quality-fixes li")) == min(
            3, len(score["fixes"])
        )

    def test_an_unreadable_dataset_gives_no_block(self):
        assert quality_helpers.vndata_quality_of("no-such-dataset") is None
        assert quality_helpers.vndata_quality_of("\x00") is None


VIETNAMESE_LETTERS = r"[ảạắằẳẵặấầẩẫậđẻẽẹếềểễệỉĩịỏọốồổỗộớờởỡợủũụứừửữựỳỷỹỵ]"


def _organization_with_history() -> dict:
    org = factories.Organization(title="Sở Thông tin Đà Nẵng")
    VnDataset(owner_org=org["id"], tags=[{"name": "y tế"}])
    VnDataset(owner_org=org["id"], private=True)  # does not count
    yesterday = datetime.datetime.utcnow().date() - datetime.timedelta(days=1)
    scoring.vndata_quality_score_all()
    scoring.vndata_quality_take_snapshots(day=yesterday)
    return org


def _block(page: str) -> str:
    start = page.index('id="vndata-quality-group"')
    return page[start : page.index("</section>", start)]


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOrganizationPage:
    def test_rating_points_dimensions_and_trend_in_vietnamese(self, app):
        org = _organization_with_history()
        summary = quality_helpers.vndata_quality_group("organization", org["id"])

        page = app.get(f"/organization/{org['name']}").get_data(as_text=True)

        block = _block(page)
        label = {"bad": "Kém", "sufficient": "Trung bình", "good": "Tốt"}
        assert f"{label[summary['rating']]} · {summary['points']}/405" in block
        assert "Chất lượng siêu dữ liệu" in block
        assert "1 tập dữ liệu công khai" in block
        for name in ("Khả năng tìm thấy", "Khả năng truy cập", "Khả năng liên thông",
                     "Khả năng tái sử dụng", "Thông tin ngữ cảnh"):  # fmt: skip
            assert name in block, name
        assert 'id="vndata-quality-trend"' in block
        data = re.search(
            r'id="vndata-quality-trend-data">(.*?)</script>', block, re.S
        ).group(1)
        trend = json.loads(data)
        assert trend["points"] == [summary["points"]] * 2
        assert re.fullmatch(r"\d\d/\d\d/\d{4}", trend["labels"][0])
        points = summary["points"]
        text = (
            f"{trend['labels'][0]}: {points} điểm; {trend['labels'][1]}: {points} điểm."
        )
        assert text in block
        assert "Findability" not in block and "Download:" not in block
        # Chart.js (the shared asset) comes before the page's trend script.
        scripts = re.findall(r'<script src="([^"]+)"', page)
        chart = [i for i, src in enumerate(scripts) if "vndata_chart" in src]
        trend = [i for i, src in enumerate(scripts) if "trend" in src]
        assert chart and trend and chart[0] < trend[0], scripts

    def test_the_english_page_stays_english(self, app):
        org = _organization_with_history()

        page = app.get(f"/en/organization/{org['name']}").get_data(as_text=True)

        block = _block(page)
        assert "Metadata quality" in block and "Findability" in block
        assert not re.search(
            r"[ảạắằẳẵặấầẩẫậđẻẽẹếềểễệỉĩịỏọốồổỗộớờởỡợủũụứừửữựỳỷỹỵ]", block
        )

    def test_no_block_without_a_scored_public_dataset(self, app):
        org = factories.Organization()
        # Not scored yet, as a dataset written before the plugin was enabled.
        unscored = VnDataset(owner_org=org["id"])
        model.Session.query(DatasetScore).filter(
            DatasetScore.package_id == unscored["id"]
        ).delete()
        model.Session.commit()

        page = app.get(f"/organization/{org['name']}").get_data(as_text=True)

        assert 'id="vndata-quality-group"' not in page
        assert quality_helpers.vndata_quality_group("organization", "khong-co") is None


def test_the_trend_data_cannot_close_its_script_block():
    summary = {"history": [{"day": "2026-11-29", "points": 1}]}
    text = str(quality_helpers.vndata_quality_trend_json(summary))
    assert "<" not in text
