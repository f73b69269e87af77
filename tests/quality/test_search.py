"""Each dataset's rating and points are in the search index: the rating is a facet
labelled in the reader's language, best first; the points sort."""

from __future__ import annotations

import json

import pytest

from ckan import model
from ckan.tests import factories, helpers

from ckanext.vndata.quality import search
from ckanext.vndata.quality.model import DatasetScore
from tests.metadata.helpers import vn_dataset


def _dataset(**fields) -> dict:
    return helpers.call_action(
        "package_create",
        context={"user": factories.Sysadmin()["name"]},
        **vn_dataset(factories.Organization()["id"], **fields),
    )


def _score(package_id: str, points: int, rating: str) -> None:
    """Give a dataset a stored score and reindex it, as a rescore would."""
    row = model.Session.get(DatasetScore, package_id)
    row.points, row.rating = points, rating
    model.Session.commit()
    from ckan.lib import search as core_search

    core_search.rebuild(package_id)


def test_facets_put_the_rating_after_openness():
    facets = search.dataset_facets({"organization": "A", "openness_stars": "O", "x": 1})
    assert list(facets) == ["organization", "openness_stars", search.RATING_FIELD, "x"]
    assert list(search.dataset_facets({"tags": "T"})) == ["tags", search.RATING_FIELD]


def test_an_unscored_dataset_gets_no_rating_field(monkeypatch):
    class _NoRows:
        def __getattr__(self, name):
            return lambda *a, **k: self

        def first(self):
            return None

    monkeypatch.setattr(search.model.Session, "query", lambda *a: _NoRows())
    doc = search.index_score({"id": "p"})
    assert search.RATING_FIELD not in doc and search.POINTS_FIELD not in doc


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestIndex:
    def test_rating_facet_counts_and_points_sort(self):
        low, high, mid = _dataset(), _dataset(), _dataset()
        _score(low["id"], 87, "bad")
        _score(high["id"], 360, "excellent")
        _score(mid["id"], 130, "sufficient")

        found = helpers.call_action(
            "package_search",
            sort=f"{search.POINTS_FIELD} desc",
            **{"facet.field": json.dumps([search.RATING_FIELD])},
        )
        assert [d["id"] for d in found["results"]] == [high["id"], mid["id"], low["id"]]
        facet = found["search_facets"][search.RATING_FIELD]
        # Labelled (outside a request, untranslated; package_search sorts by label).
        assert {(i["name"], i["display_name"], i["count"]) for i in facet["items"]} == {
            ("excellent", "Excellent", 1),
            ("sufficient", "Sufficient", 1),
            ("bad", "Bad", 1),
        }
        narrowed = helpers.call_action(
            "package_search", fq=f"{search.RATING_FIELD}:excellent"
        )
        assert [d["id"] for d in narrowed["results"]] == [high["id"]]

    def test_search_pages_label_the_facet_and_results_in_each_language(self, app):
        dataset = _dataset()
        _score(dataset["id"], 300, "good")
        for points, rating in ((90, "bad"), (100, "bad"), (360, "excellent")):
            _score(_dataset()["id"], points, rating)
        vi = app.get("/dataset/").body
        # Best first on the page, though "bad" has the most datasets.
        assert vi.index(">Xuất sắc<") < vi.index(">Tốt<") < vi.index(">Kém<")
        en = app.get("/en/dataset/").body
        assert "Chất lượng siêu dữ liệu" in vi and ">Tốt<" in vi
        assert "Metadata quality" in en and ">Good<" in en
        # Each result's rating says what it rates.
        assert "Siêu dữ liệu: Tốt" in vi and "Metadata: Good" in en
        assert "vndata_quality_rating" not in vi.replace(
            "vndata_quality_rating=", ""
        )  # the key only in the filter links

    def test_badge_of_a_result_and_of_an_unscored_one(self, app):
        dataset = _dataset()
        with app.flask_app.test_request_context():
            badge = search.vndata_quality_badge({"id": dataset["id"]})
            assert search.vndata_quality_badge({"id": "nothing"}) is None
            assert search.vndata_quality_badge("not a dict") is None
        row = model.Session.get(DatasetScore, dataset["id"])
        assert badge["rating"] == row.rating and badge["points"] == row.points
        assert badge["maximum"] == 405 and badge["label"]
