"""A stored score as the reader sees it: dimensions and indicators add up to the
points, labels translated, fixes most points first."""

from __future__ import annotations

import datetime
import json

import pytest

from ckanext.vndata.quality.breakdown import vndata_quality_breakdown
from ckanext.vndata.quality.indicators import INDICATOR_KEYS
from ckanext.vndata.quality.model import DatasetScore
from ckanext.vndata.quality.tally import Tally


def _row(counts: dict) -> DatasetScore:
    tally = Tally(counts, 1)
    return DatasetScore(
        package_id="p", points=tally.total(), rating=tally.rating(),
        tally=json.dumps(tally.as_dict()), conformant=None,
        computed=datetime.datetime(2026, 11, 30, 8, 0),
    )  # fmt: skip


@pytest.mark.usefixtures("with_plugins")
def test_every_part_adds_up_and_is_labelled(app):
    counts = {key: (1, 1) for key in INDICATOR_KEYS}
    counts["licence"] = (0, 1)
    counts["format"] = (1, 3)  # a third of the resources: 6.7 of 20 points
    with app.flask_app.test_request_context():
        shown = vndata_quality_breakdown(_row(counts))

    assert shown["maximum"] == 405
    assert shown["points"] == round(sum(i["points"] for i in shown["indicators"]))
    assert [d["maximum"] for d in shown["dimensions"]] == [100, 100, 110, 75, 20]
    assert abs(sum(d["points"] for d in shown["dimensions"]) - shown["points"]) < 1
    by_key = {i["key"]: i for i in shown["indicators"]}
    assert by_key["format"]["points"] == 6.7
    assert (by_key["format"]["passed"], by_key["format"]["judged"]) == (1, 3)
    assert by_key["licence"]["points"] == 0 and by_key["keywords"]["points"] == 30
    assert shown["rating_label"] == "Xuất sắc"
    assert all("_" not in i["label"] for i in shown["indicators"])
    # Most points first; a licence earns 20 here.
    assert shown["fixes"][0]["points"] >= shown["fixes"][-1]["points"] > 0
    assert {"text": "Chọn giấy phép", "points": 20} in shown["fixes"]
    assert shown["computed"] == "2026-11-30T08:00:00" and shown["conformant"] is None
