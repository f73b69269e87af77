"""Clearing or deleting a source withdraws the plans it brought (removal_action.py;
what becomes of its datasets: tests/harvester/test_source_deletion.py)."""

from __future__ import annotations

import pytest
from hypothesis import given

from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestSource

from tests.fuzz import FUZZ, HOSTILE
from tests.harvester.helpers import (
    ckan_api_with_plans,
    ckan_record,
    ckan_source,
    remote_plan,
)
from tests.harvester.sources import harvest_source
from tests.helpers import run_harvest, token_headers

API = "/api/3/action/"


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestPlansOfAGoneSource:
    """Review finding 2: a cleared or deleted source's plans stayed published."""

    def _harvested(self, catalogue_server) -> tuple[dict, dict]:
        handler, url = catalogue_server
        handler.respond = ckan_api_with_plans([ckan_record(1)], [remote_plan()])
        source = ckan_source(url)
        run_harvest(source["id"], "vndata_ckan")
        (plan,) = helpers.call_action("vndata_plan_list")
        return source, plan

    @pytest.mark.parametrize(
        "action", ["harvest_source_clear", "harvest_source_delete"]
    )
    def test_the_sources_plans_are_withdrawn(self, app, catalogue_server, action):
        source, plan = self._harvested(catalogue_server)
        sysadmin = factories.Sysadmin()

        app.post(
            API + action, json={"id": source["id"]}, headers=token_headers(sysadmin)
        )

        shown = helpers.call_action("vndata_plan_show", id=plan["id"])
        assert shown["status"] == "withdrawn"
        assert helpers.call_action("vndata_plan_list") == []

    def test_a_refused_clear_withdraws_nothing(self, app, catalogue_server):
        source, plan = self._harvested(catalogue_server)

        app.post(
            API + "harvest_source_clear",
            json={"id": source["id"]},
            headers=token_headers(factories.User()),
            status=403,
        )

        shown = helpers.call_action("vndata_plan_show", id=plan["id"])
        assert shown["status"] == "published"


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestHostileSourceId:
    """Review finding: an id that is no text reached Package.get, a 500."""

    def test_it_is_a_409_or_a_404(self, app):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl")
        headers = token_headers(factories.Sysadmin())

        @FUZZ
        @given(value=HOSTILE)
        def delete(value):
            answer = app.post(
                API + "harvest_source_delete",
                json={"id": value},
                headers=headers,
            )
            assert answer.status_code in (404, 409), (value, answer.status_code)

        delete()
        assert HarvestSource.get(source["id"]).active
