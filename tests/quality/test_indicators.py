"""The MQA indicators: five dimensions, 405 points, each weight where MQA puts it."""

from __future__ import annotations

from ckanext.vndata.quality import indicators


def test_the_dimensions_add_up_to_mqas_405_points():
    assert indicators.MAXIMUM == 405
    by_dimension = {d.key: 0 for d in indicators.DIMENSIONS}
    for indicator in indicators.INDICATORS:
        by_dimension[indicator.dimension] += indicator.weight
    assert by_dimension == {
        "findability": 100,
        "accessibility": 100,
        "interoperability": 110,
        "reusability": 75,
        "contextuality": 20,
    }


def test_each_indicator_key_is_declared_once():
    assert len(set(indicators.INDICATOR_KEYS)) == len(indicators.INDICATORS)
