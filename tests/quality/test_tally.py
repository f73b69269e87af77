"""Tallies: a dataset's points per indicator, their sum over datasets, MQA's bands."""

from __future__ import annotations

import pytest

from ckanext.vndata.quality.indicators import Facts
from ckanext.vndata.quality.tally import Tally, rating_of, vndata_quality_tally


@pytest.mark.parametrize(
    ("points", "rating"),
    [(405, "excellent"), (351, "excellent"), (350, "good"), (221, "good"),
     (220, "sufficient"), (121, "sufficient"), (120, "bad"), (0, "bad")],
)  # fmt: skip
def test_mqa_bands(points, rating):
    assert rating_of(points) == rating


def test_an_empty_dataset_scores_nothing_and_says_what_to_fix_first():
    tally = vndata_quality_tally({"resources": []})
    assert tally.total() == 0
    assert tally.rating() == "bad"
    fixes = dict(tally.fixes())
    # Keywords and sectors are worth 30 each; the distribution indicators judge no
    # resource, so no fix is offered for them.
    assert fixes["Add keywords"] == 30
    assert "Fix the broken links" not in fixes


def test_distribution_indicators_weigh_the_share_of_resources_that_pass():
    dataset = {
        "resources": [
            {"id": "a", "format": "CSV"},
            {"id": "b", "format": ""},
        ]
    }
    tally = vndata_quality_tally(dataset, Facts(reachable={"a": True, "b": False}))
    points = tally.indicator_points()
    assert points["format"] == 10  # 20 x 1/2
    assert points["access_url_reachable"] == 25  # 50 x 1/2
    # No downloadURL: its reachability judges no resource and scores nothing.
    assert tally.counts["download_url_reachable"] == (0, 0)


def test_tallies_add_up_like_a_catalogue():
    one = vndata_quality_tally({"resources": [{"id": "a", "format": "CSV"}]})
    two = vndata_quality_tally({"resources": [{"id": "b"}, {"id": "c"}]})
    catalogue = one + two
    assert catalogue.datasets == 2
    assert catalogue.counts["format"] == (1, 3)
    assert Tally.from_dict(catalogue.as_dict()) == catalogue
