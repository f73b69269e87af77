"""vndata_quality_show: a dataset's score for whoever may read the dataset; any id a
client sends gets the score, NotFound or a validation error, never a 500.

vndata_quality_summary: public figures of a group; hostile input is a validation
error or not found, never a database error.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.vndata.quality import scoring
from ckanext.vndata.quality.indicators import INDICATOR_KEYS
from ckanext.vndata.quality.model import DatasetScore
from tests.factories import VnDataset
from tests.fuzz import FUZZ, HOSTILE
from tests.harvester.sources import harvest_source
from tests.metadata.helpers import vn_dataset

API = "/api/3/action/vndata_quality_show"


@pytest.fixture
def dataset():
    return helpers.call_action(
        "package_create",
        context={"user": factories.Sysadmin()["name"]},
        **vn_dataset(factories.Organization()["id"], name="truong-hoc"),
    )


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestQualityShow:
    def test_by_id_or_name_with_every_part(self, dataset):
        by_id = helpers.call_action("vndata_quality_show", id=dataset["id"])
        by_name = helpers.call_action("vndata_quality_show", id="truong-hoc")
        assert by_id == by_name
        assert set(by_id) == {
            "points", "rating", "rating_label", "maximum", "dimensions",
            "indicators", "fixes", "conformant", "computed", "links_unchecked",
        }  # fmt: skip
        assert by_id["maximum"] == 405
        assert [i["key"] for i in by_id["indicators"]] == list(INDICATOR_KEYS)
        assert {"key", "label", "points", "maximum"} == set(by_id["dimensions"][0])
        assert {"text", "points"} == set(by_id["fixes"][0])

    def test_links_not_checked_yet_are_counted(self, dataset):
        from ckan import model

        from ckanext.vndata.quality.model import LinkCheck

        shown = helpers.call_action("vndata_quality_show", id=dataset["id"])
        assert shown["links_unchecked"] == len(dataset["resources"]) == 1
        (resource,) = dataset["resources"]
        # A verdict counts once checked, and only for the address it was about.
        link = LinkCheck(resource_id=resource["id"], package_id=dataset["id"],
                         url=resource["url"] + "/old", ok=False,
                         checked=datetime.datetime.utcnow())  # fmt: skip
        model.Session.add(link)
        model.Session.commit()
        shown = helpers.call_action("vndata_quality_show", id=dataset["id"])
        assert shown["links_unchecked"] == 1
        link.url = model.Session.get(model.Resource, resource["id"]).url
        model.Session.commit()
        shown = helpers.call_action("vndata_quality_show", id=dataset["id"])
        assert shown["links_unchecked"] == 0

    def test_what_no_check_has_judged_yet_is_offered_as_no_fix(self, dataset):
        from ckan import model

        from ckanext.vndata.quality.model import LinkCheck

        def fixes():
            shown = helpers.call_action("vndata_quality_show", id=dataset["id"])
            return {fix["text"] for fix in shown["fixes"]}

        # Nothing checked: neither "fix the broken links" nor "complete what DCAT-AP
        # requires" (the dataset page says they are not checked yet).
        assert not {"Fix the broken links", "Complete what DCAT-AP requires"} & fixes()
        (resource,) = dataset["resources"]
        model.Session.add(
            LinkCheck(resource_id=resource["id"], package_id=dataset["id"],
                      url=model.Session.get(model.Resource, resource["id"]).url,
                      ok=False, checked=datetime.datetime.utcnow())
        )  # fmt: skip
        model.Session.commit()
        assert "Fix the broken links" in fixes()

    def test_a_harvest_source_has_no_score(self):
        source = harvest_source(
            "https://opendata.danang.gov.vn/catalog.ttl",
            owner_org=factories.Organization()["id"],
        )
        with pytest.raises(tk.ObjectNotFound):
            helpers.call_action("vndata_quality_show", id=source["id"])

    def test_anonymous_reads_a_public_dataset_over_http(self, app, dataset):
        response = app.get(API, query_string={"id": dataset["name"]})
        assert response.status_code == 200
        assert response.json["result"]["rating"] in {
            "excellent", "good", "sufficient", "bad",
        }  # fmt: skip

    def test_a_private_dataset_is_refused_to_outsiders(self, app):
        org = factories.Organization()
        private = helpers.call_action(
            "package_create",
            context={"user": factories.Sysadmin()["name"]},
            **vn_dataset(org["id"], private=True),
        )
        assert app.get(API, query_string={"id": private["id"]}).status_code == 403
        outsider = factories.User()
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action(
                "vndata_quality_show",
                context={"user": outsider["name"], "ignore_auth": False},
                id=private["id"],
            )

    def test_a_dataset_without_a_stored_score_is_scored_not_saved(self, dataset):
        from ckan import model

        model.Session.query(DatasetScore).delete()
        model.Session.commit()
        shown = helpers.call_action("vndata_quality_show", id=dataset["id"])
        assert shown["points"] > 0
        model.Session.commit()
        assert model.Session.get(DatasetScore, dataset["id"]) is None

    def test_unknown_and_missing_ids(self, app):
        assert app.get(API, query_string={"id": "khong-co"}).status_code == 404
        assert app.get(API).status_code == 409
        assert app.post(API, json={"id": ["a"]}).status_code == 409

    @FUZZ
    @given(value=HOSTILE)
    def test_hostile_ids_never_give_a_500(self, app, value):
        response = app.post(API, json={"id": value})
        assert response.status_code in (404, 409), (value, response.status_code)
        assert app.get("/api/3/action/status_show").status_code == 200


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_anyone_reads_an_organizations_public_figures():
    org = factories.Organization()
    VnDataset(owner_org=org["id"])
    VnDataset(owner_org=org["id"], private=True)
    scoring.vndata_quality_score_all()

    result = helpers.call_action(
        "vndata_quality_summary", {"user": ""}, scope="organization", id=org["name"]
    )

    assert result["datasets"] == 1 and result["id"] == org["id"]
    assert result["maximum"] == 405 and len(result["history"]) == 1


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_deleted_organization_or_a_dataset_is_not_a_group():
    org = factories.Organization()
    dataset = VnDataset(owner_org=org["id"])
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("vndata_quality_summary", scope="source", id=dataset["id"])
    admin = {"user": factories.Sysadmin()["name"]}
    helpers.call_action("organization_delete", admin, id=org["id"])
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action(
            "vndata_quality_summary", scope="organization", id=org["id"]
        )


@pytest.mark.usefixtures("with_plugins", "clean_db")
@FUZZ
@given(
    scope=st.one_of(HOSTILE, st.sampled_from(["organization", "source"])), id=HOSTILE
)
def test_hostile_input_is_an_error_not_a_crash(scope, id):
    try:
        helpers.call_action("vndata_quality_summary", scope=scope, id=id)
    except (tk.ValidationError, tk.ObjectNotFound):
        pass
