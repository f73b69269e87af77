"""The dataset page's and the search page's quality helpers, and the page itself."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from ckan.tests import factories, helpers

from ckanext.vndata.quality import helpers as quality_helpers
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
