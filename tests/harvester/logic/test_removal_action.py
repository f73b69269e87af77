"""Clearing or deleting a source withdraws the plans it brought, clearing its history
keeps what identifies its datasets (removal_action.py; what becomes of its datasets
when it is deleted: tests/harvester/test_source_deletion.py)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from hypothesis import given

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestObject, HarvestSource

from ckanext.vndata.harvester import source_deletion
from ckanext.vndata.harvester.page_cache import Page
from tests.fuzz import FUZZ, HOSTILE
from tests.harvester.helpers import (
    catalogue,
    ckan_api_with_plans,
    ckan_record,
    ckan_source,
    remote_plan,
)
from tests.harvester.sources import harvest_source
from tests.helpers import run_harvest, token_headers

API = "/api/3/action/"
HISTORY_CLEARS = [
    "harvest_source_job_history_clear",
    "harvest_sources_job_history_clear",
]


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


def _objects(source_id: str) -> tuple[int, int]:
    """The source's harvest objects: (all, current)."""
    rows = model.Session.query(HarvestObject).filter_by(harvest_source_id=source_id)
    return rows.count(), rows.filter(HarvestObject.current.is_(True)).count()


def _object_jobs(source_id: str) -> str:
    """The one job the source's objects belong to."""
    rows = model.Session.query(HarvestObject.harvest_job_id).filter_by(
        harvest_source_id=source_id
    )
    (job_id,) = {job_id for (job_id,) in rows}
    return job_id


def _names(source_id: str) -> list[str]:
    found = helpers.call_action(
        "package_search", fq=f"harvest_source_id:{source_id}", rows=100
    )
    return sorted(d["name"] for d in found["results"])


def _job(source: dict) -> dict:
    return helpers.call_action(
        "harvest_job_create",
        context={"user": factories.Sysadmin()["name"]},
        source_id=source["id"],
        run=False,
    )


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHistoryClear:
    """Review finding: clearing a source's history (ckanext-harvest's
    clearsource-history, without --keep-current) deleted its current objects, so
    the next harvest made a second copy of every dataset; and it ran under a job."""

    def _harvested_twice(self, catalogue_server, name: str = "nguon-a") -> dict:
        handler, url = catalogue_server
        handler.body = catalogue([1, 2, 3])
        source = harvest_source(f"{url.rsplit('/', 1)[0]}/{name}.ttl", name=name)
        run_harvest(source["id"], "vndata_dcat")
        # Every record changed: the first job's objects are history.
        changed = catalogue([1, 2, 3, 4]).decode().replace("Mô tả", "Ghi chú")
        handler.body = changed.encode()
        run_harvest(source["id"], "vndata_dcat")
        assert _objects(source["id"]) == (7, 4)
        return source

    @pytest.mark.parametrize("action", HISTORY_CLEARS)
    def test_the_next_harvest_finds_its_datasets_again(self, catalogue_server, action):
        source = self._harvested_twice(catalogue_server)
        names = _names(source["id"])
        assert len(names) == 4 and _objects(source["id"])[1] == 4

        pages = model.Session.query(Page).filter_by(source_id=source["id"])
        assert pages.count() == 2  # one per job

        helpers.call_action(action, id=source["id"], keep_current=False)

        assert _objects(source["id"]) == (4, 4)  # the history went, not the rest
        assert [page.job_id for page in pages] == [_object_jobs(source["id"])]
        run_harvest(source["id"], "vndata_dcat")
        assert _names(source["id"]) == names  # no second copy
        assert helpers.call_action("package_search", rows=0)["count"] == 4

    @pytest.mark.parametrize("action", HISTORY_CLEARS)
    def test_refused_while_a_job_waits_and_nothing_is_cleared(
        self, catalogue_server, action
    ):
        source = self._harvested_twice(catalogue_server)
        other = self._harvested_twice(catalogue_server, "nguon-b")
        sysadmin = factories.Sysadmin()
        helpers.call_action("harvest_job_create", context={"user": sysadmin["name"]},
                            source_id=source["id"], run=False)  # fmt: skip
        before = _objects(source["id"]), _objects(other["id"])

        with pytest.raises(tk.ValidationError) as refused:
            helpers.call_action(action, context={"user": sysadmin["name"]},
                                id=source["id"], keep_current=False)  # fmt: skip

        assert "not yet finished" in str(refused.value.error_dict["harvest_job"])
        assert source["title"] in str(refused.value.error_dict["harvest_job"])
        model.Session.rollback()
        assert (_objects(source["id"]), _objects(other["id"])) == before

    def test_no_job_is_created_between_a_clears_check_and_its_commit(
        self, catalogue_server
    ):
        # Review finding: a job created then was deleted by the clear as it was New.
        source = self._harvested_twice(catalogue_server)
        held, release = threading.Event(), threading.Event()

        def clear_in_progress():  # its own session: another request's
            source_deletion.hold_new_jobs([source["id"]])
            held.set()
            release.wait(30)
            model.Session.rollback()
            model.Session.remove()

        clearing = threading.Thread(target=clear_in_progress)
        clearing.start()
        try:
            assert held.wait(30)
            model.Session.execute(sa.text("SET lock_timeout = '500ms'"))
            with pytest.raises(sa.exc.OperationalError, match="lock timeout"):
                _job(source)
            model.Session.rollback()
        finally:
            release.set()
            clearing.join(30)
        model.Session.execute(sa.text("SET lock_timeout = 0"))
        assert _job(source)["status"] == "New"  # once the clear has ended

    @pytest.mark.parametrize("action", HISTORY_CLEARS)
    def test_it_needs_the_right_to_clear(self, catalogue_server, action):
        source = self._harvested_twice(catalogue_server)
        editor = factories.User()
        helpers.call_action("organization_member_create", id=source["owner_org"],
                            username=editor["name"], role="editor")  # fmt: skip

        with pytest.raises(tk.NotAuthorized):
            helpers.call_action(
                action,
                context={"user": editor["name"], "ignore_auth": False},
                id=source["id"],
            )
        assert _objects(source["id"]) == (7, 4)
