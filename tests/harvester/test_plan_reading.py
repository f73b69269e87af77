"""Reading a source's published plans through its Action API or its plans index,
within the source's limits, with failures said in the report's words."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from ckanext.vndata.harvester import config, job_state, plan_reading, session
from ckanext.vndata.plan import exchange_rdf
from tests.fuzz import FUZZ, HOSTILE
from tests.harvester.helpers import (
    catalogue,
    ckan_api_with_plans,
    dcat_plans_pages,
    remote_plan,
)


def _job(url: str, **given) -> job_state.VndataHarvestJob:
    parsed = config.parse(json.dumps(given))
    return job_state.VndataHarvestJob(
        job_id=None,
        source_id="nguon",
        parsed_config=parsed,
        session=session.session_for(parsed, url),
    )


def _base(url: str) -> str:
    return url.removesuffix("/catalog.ttl")


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestFromActionApi:
    def test_published_plans_become_records_with_their_organization(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        shown, organization = remote_plan(links=("remote-1",))
        handler.respond = ckan_api_with_plans([], [(shown, organization)])

        (record,) = plan_reading.from_action_api(_job(url), _base(url))

        assert record["series_id"] == shown["series_id"]
        assert record["organization"]["agency_code"] == "H17.14"
        assert record["url"] == f"{_base(url)}/ke-hoach/{shown['id']}"
        assert [d["id"] for d in record["items"][0]["datasets"]] == ["remote-1"]

    def test_a_draft_listed_to_a_login_is_not_even_shown(self, catalogue_server):
        handler, url = catalogue_server
        seen: list[str] = []
        handler.respond = ckan_api_with_plans([], [remote_plan(status="draft")], seen)

        assert plan_reading.from_action_api(_job(url), _base(url)) == []
        assert not any("vndata_plan_show" in path for path in seen)

    def test_a_plan_the_portal_harvested_itself_is_not_its_own(self, catalogue_server):
        handler, url = catalogue_server
        own, organization = remote_plan()
        brought, _ = remote_plan()
        brought["harvest_source"] = {"id": "nguon-khac", "title": "Cổng khác"}
        handler.respond = ckan_api_with_plans(
            [], [(own, organization), (brought, organization)]
        )

        records = plan_reading.from_action_api(_job(url), _base(url))

        assert [r["id"] for r in records] == [own["id"]]

    def test_a_portal_without_the_plan_actions_has_no_plans(self, catalogue_server):
        handler, url = catalogue_server
        handler.respond = lambda path: None  # 404 everywhere

        assert plan_reading.from_action_api(_job(url), _base(url)) is None

    @pytest.mark.parametrize(
        "answer",
        [b"<html>", b'{"success": false}', b'{"success": true, "result": {}}'],
        ids=["not-json", "not-success", "not-a-list"],
    )
    def test_an_answer_of_another_shape_is_unreadable(self, catalogue_server, answer):
        handler, url = catalogue_server
        handler.respond = lambda path: answer

        with pytest.raises(plan_reading.PlansUnreadable):
            plan_reading.from_action_api(_job(url), _base(url))

    def test_more_plans_than_the_cap_are_refused(self, catalogue_server, monkeypatch):
        handler, url = catalogue_server
        monkeypatch.setattr(plan_reading, "MAX_PLANS", 1)
        plans = [remote_plan(), remote_plan()]
        handler.respond = ckan_api_with_plans([], plans)

        with pytest.raises(plan_reading.PlansUnreadable, match="more than 1 plans"):
            plan_reading.from_action_api(_job(url), _base(url))


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db")
@FUZZ
@given(entry=HOSTILE, shown=HOSTILE, field=HOSTILE)
def test_hostile_answers_are_records_to_check_or_unreadable(
    catalogue_server, entry, shown, field
):
    handler, url = catalogue_server
    plan = {"id": "p1", "series_id": "s1", "status": "published", "items": field}
    answers = {
        "vndata_plan_list": [entry, plan],
        "vndata_plan_show": shown if shown is not None else plan,
        "organization_show": field,
    }

    def respond(path: str) -> bytes:
        action = path.split("?")[0].rsplit("/", 1)[-1]
        return json.dumps({"success": True, "result": answers[action]}).encode()

    handler.respond = respond
    try:
        records = plan_reading.from_action_api(_job(url), _base(url))
    except plan_reading.PlansUnreadable:
        return
    assert isinstance(records, list)
    assert all(record["status"] == "published" for record in records)


@pytest.mark.usefixtures("with_plugins")
class TestFromIndex:
    def test_no_index_no_plans(self):
        assert plan_reading.from_index(_job("http://127.0.0.1/"), None, "") is None

    def test_an_index_on_a_refused_address_is_unreadable(self):
        job = _job("http://127.0.0.1/")  # loopback is not allowed here

        with pytest.raises(plan_reading.PlansUnreadable):
            plan_reading.from_index(
                job, "http://127.0.0.1:9/ke-hoach/catalog.ttl", "http://127.0.0.1:9/"
            )

    @pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
    def test_an_index_that_is_not_rdf_is_unreadable(self, catalogue_server):
        handler, url = catalogue_server
        handler.pages = {"/ke-hoach/catalog.ttl": b"@prefix broken <"}

        with pytest.raises(plan_reading.PlansUnreadable, match="catalog.ttl"):
            plan_reading.from_index(
                _job(url), _base(url) + "/ke-hoach/catalog.ttl", _base(url)
            )


def _other_port(url: str) -> str:
    """The source's host on another port (where, say, a Solr admin answers)."""
    port = int(url.split(":")[2].split("/")[0])
    return f"http://127.0.0.1:{port + 1}"


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestOnlyTheSourcesOwnOrigin:
    def test_an_index_on_another_port_of_the_source_host_is_not_fetched(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.headers_seen.clear()

        with pytest.raises(plan_reading.PlansUnreadable, match="own address"):
            plan_reading.from_index(
                _job(url), _other_port(url) + "/ke-hoach/catalog.ttl", _base(url)
            )
        assert handler.headers_seen == []

    def test_a_plan_document_elsewhere_is_unreadable_and_not_fetched(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        elsewhere = dcat_plans_pages(_other_port(url), [remote_plan()], catalogue([1]))
        handler.pages = {"/ke-hoach/catalog.ttl": elsewhere["/ke-hoach/catalog.ttl"]}
        handler.headers_seen.clear()

        (record,) = plan_reading.from_index(
            _job(url), _base(url) + "/ke-hoach/catalog.ttl", _base(url)
        )

        assert "own address" in record[plan_reading.UNREADABLE]
        assert len(handler.headers_seen) == 1  # the index only

    def test_plan_records_beyond_the_cap_are_refused_not_only_entries(
        self, catalogue_server, monkeypatch
    ):
        handler, url = catalogue_server
        first, second = remote_plan(), remote_plan()
        pages = dcat_plans_pages(_base(url), [first], catalogue([1]))
        both = exchange_rdf.plan_graph(*first) + exchange_rdf.plan_graph(*second)
        pages[f"/ke-hoach/{first[0]['id']}.ttl"] = both.serialize(
            format="turtle"
        ).encode("utf-8")
        handler.pages = pages
        monkeypatch.setattr(plan_reading, "MAX_PLANS", 1)

        with pytest.raises(plan_reading.PlansUnreadable, match="more than 1 plans"):
            plan_reading.from_index(
                _job(url), _base(url) + "/ke-hoach/catalog.ttl", _base(url)
            )

    @pytest.mark.ckan_config(plan_reading.BUDGET_KEY, 0)
    def test_past_the_time_budget_the_rest_is_unreadable_and_not_fetched(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        plans = [remote_plan(), remote_plan()]
        handler.pages = dcat_plans_pages(_base(url), plans, catalogue([1]))
        handler.headers_seen.clear()

        records = plan_reading.from_index(
            _job(url), _base(url) + "/ke-hoach/catalog.ttl", _base(url)
        )

        assert len(records) == 2
        assert all(r[plan_reading.OUT_OF_TIME] for r in records)
        assert {r["series_id"] for r in records} == {s["series_id"] for s, _ in plans}
        assert len(handler.headers_seen) == 1  # the index only
