"""A source's published plans come with its datasets (vndata_ckan: its Action API;
vndata_dcat: the plans index its catalogue advertises), one harvest object per plan
series, with the datasets' bookkeeping (identity, changes, withdrawal)."""

from __future__ import annotations

import pytest

from ckan.tests import helpers

from ckanext.vndata.harvester import plan_gather, plan_reading
from tests.harvester.helpers import (
    ckan_api_with_plans,
    ckan_record,
    ckan_source,
    dcat_plans_pages,
    remote_plan,
)
from tests.harvester.sources import (
    harvest_source,
    newest_job_report,
    turtle_catalogue,
    turtle_record,
)
from tests.helpers import run_harvest


def _plans(**data) -> list[dict]:
    return helpers.call_action("vndata_plan_list", **data)


def _linked(plan_id: str) -> list[list[str]]:
    shown = helpers.call_action("vndata_plan_show", id=plan_id)
    return [[d["package_id"] for d in item["datasets"]] for item in shown["items"]]


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestPlansOfACkanSource:
    def test_a_published_plan_arrives_with_its_item_linked_to_the_national_copy(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        plan = remote_plan(links=("remote-1",))
        handler.respond = ckan_api_with_plans([ckan_record(1)], [plan])
        source = ckan_source(url, deletion={"grace_days": 0, "max_share": 1})

        objects = run_harvest(source["id"], "vndata_ckan")

        dataset = next(o.package_id for o in objects if o.package_id)
        (national,) = _plans()
        assert national["title"] == plan[0]["title"]
        assert national["status"] == "published"
        assert national["id"] != plan[0]["id"]
        assert _linked(national["id"]) == [[dataset]]
        report = newest_job_report(source["id"])
        assert report["plan_counts"] == {
            "added": 1, "updated": 0, "unchanged": 0, "withdrawn": 0, "errors": 0
        }  # fmt: skip
        assert report["counts"]["added"] == 1  # the dataset alone
        assert report["outcome"] == "ok"

    def test_drafts_and_plans_under_review_never_travel(self, catalogue_server):
        handler, url = catalogue_server
        plans = [remote_plan(status=s) for s in ("draft", "submitted", "approved")]
        handler.respond = ckan_api_with_plans([ckan_record(1)], plans)
        source = ckan_source(url)

        objects = run_harvest(source["id"], "vndata_ckan")

        assert len(objects) == 1  # the dataset's record alone
        assert _plans() == []
        assert newest_job_report(source["id"])["gather_errors"] == []

    def test_an_unchanged_plan_writes_nothing(self, catalogue_server):
        handler, url = catalogue_server
        handler.respond = ckan_api_with_plans(
            [ckan_record(1)], [remote_plan(links=("remote-1",))]
        )
        source = ckan_source(url)
        run_harvest(source["id"], "vndata_ckan")
        (before,) = _plans()

        run_harvest(source["id"], "vndata_ckan")

        (after,) = _plans()
        assert after == before  # same row, same modified, same history
        assert newest_job_report(source["id"])["plan_counts"]["unchanged"] == 1

    def test_a_new_version_supersedes_the_old_and_history_keeps_both(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        shown, organization = remote_plan(links=("remote-1",))
        handler.respond = ckan_api_with_plans([ckan_record(1)], [(shown, organization)])
        source = ckan_source(url)
        run_harvest(source["id"], "vndata_ckan")
        (first,) = _plans()
        shown.update(id="phien-ban-2", version=2, title="Kế hoạch đã sửa đổi")

        run_harvest(source["id"], "vndata_ckan")

        (current,) = _plans()
        assert (current["version"], current["title"]) == (2, "Kế hoạch đã sửa đổi")
        versions = {p["id"]: p["status"] for p in _plans(all_versions=True)}
        assert versions == {first["id"]: "superseded", current["id"]: "published"}
        assert newest_job_report(source["id"])["plan_counts"]["updated"] == 1
        assert len(_linked(current["id"])[0]) == 1  # the link carried over

    def test_a_dataset_harvested_after_its_plan_is_linked_when_it_arrives(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        records = [ckan_record(1)]
        handler.respond = ckan_api_with_plans(
            records, [remote_plan(links=("remote-2",))]
        )
        source = ckan_source(url)
        run_harvest(source["id"], "vndata_ckan")
        (national,) = _plans()
        assert _linked(national["id"]) == [[]]  # remote-2 is not harvested yet
        records.append(ckan_record(2))

        objects = run_harvest(source["id"], "vndata_ckan")

        second = next(o.package_id for o in objects if o.guid.endswith("/remote-2"))
        assert _linked(national["id"]) == [[second]]

    def test_a_plan_the_source_no_longer_publishes_is_withdrawn_by_its_rules(
        self, catalogue_server
    ):
        plans, source = _two_plans_harvested(
            catalogue_server, "Kế hoạch sẽ bị rút", 0.5
        )
        gone = next(p for p in _plans() if p["title"] == "Kế hoạch sẽ bị rút")
        del plans[1]

        run_harvest(source["id"], "vndata_ckan")  # marked missing
        run_harvest(source["id"], "vndata_ckan")  # past the grace: withdrawn

        shown = helpers.call_action("vndata_plan_show", id=gone["id"])
        assert shown["status"] == "withdrawn"
        assert newest_job_report(source["id"])["plan_counts"]["withdrawn"] == 1

    def test_more_plans_missing_than_the_limit_withdraws_none(self, catalogue_server):
        handler, url = catalogue_server
        plans = [remote_plan()]
        handler.respond = ckan_api_with_plans([ckan_record(1)], plans)
        source = ckan_source(url, deletion={"grace_days": 0, "max_share": 0.5})
        run_harvest(source["id"], "vndata_ckan")
        plans.clear()

        run_harvest(source["id"], "vndata_ckan")
        run_harvest(source["id"], "vndata_ckan")

        assert [p["status"] for p in _plans()] == ["published"]
        (message,) = newest_job_report(source["id"])["gather_errors"]
        assert "không rút kế hoạch nào" in message

    def test_an_unreadable_plan_is_reported_and_kept_and_the_others_go_on(
        self, catalogue_server
    ):
        plans, source = _two_plans_harvested(catalogue_server, "Kế hoạch sẽ hỏng", 1)
        plans[1][0]["items"] = "không phải danh sách"
        plans[0][0]["title"] = "Kế hoạch đã sửa"

        run_harvest(source["id"], "vndata_ckan")
        run_harvest(source["id"], "vndata_ckan")

        statuses = {p["title"]: p["status"] for p in _plans(all_versions=True)}
        assert statuses == {"Kế hoạch đã sửa": "published",
                            "Kế hoạch sẽ hỏng": "published"}  # fmt: skip
        (message,) = newest_job_report(source["id"])["gather_errors"]
        assert message.startswith("Không đọc được kế hoạch")

    def test_a_portal_without_plans_is_harvested_without_a_message(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        seen: list[str] = []
        handler.respond = ckan_api_with_plans([ckan_record(1)], [], seen)
        handler.respond = _without_plan_actions(handler.respond)
        source = ckan_source(url)

        run_harvest(source["id"], "vndata_ckan")

        report = newest_job_report(source["id"])
        assert report["gather_errors"] == [] and report["outcome"] == "ok"
        assert any("vndata_plan_list" in path for path in seen)

    def test_plans_false_asks_the_source_for_no_plan(self, catalogue_server):
        handler, url = catalogue_server
        seen: list[str] = []
        handler.respond = ckan_api_with_plans([ckan_record(1)], [remote_plan()], seen)
        source = ckan_source(url, plans=False)

        run_harvest(source["id"], "vndata_ckan")

        assert _plans() == []
        assert not any("vndata_plan" in path for path in seen)

    def test_a_hostile_plan_is_an_error_of_its_own_in_vietnamese(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        shown, organization = remote_plan()
        shown["title"] = "Kế hoạch\x00" + "x" * 5000
        shown["items"][0]["target_date"] = "không phải ngày"
        handler.respond = ckan_api_with_plans([ckan_record(1)], [(shown, organization)])
        source = ckan_source(url)

        run_harvest(source["id"], "vndata_ckan")

        assert _plans() == []
        report = newest_job_report(source["id"])
        assert report["plan_counts"]["errors"] == 1
        assert report["counts"]["added"] == 1  # the dataset still came in
        (record,) = report["records"]
        assert "không được nhập" in record["messages"][0]
        assert "items.0.target_date" in record["messages"][0]


def _two_plans_harvested(catalogue_server, second: str, max_share: float):
    """Two published plans (the second titled ``second``) harvested once by a source
    that withdraws without grace up to ``max_share``; the plans, changed in place by
    the test, and the source."""
    handler, url = catalogue_server
    plans = [remote_plan(), remote_plan()]
    plans[1][0]["title"] = second
    handler.respond = ckan_api_with_plans([ckan_record(1)], plans)
    source = ckan_source(url, deletion={"grace_days": 0, "max_share": max_share})
    run_harvest(source["id"], "vndata_ckan")
    return plans, source


def _without_plan_actions(respond):
    """A CKAN without vndata_plan behind a proxy: its plan actions answer 404."""

    def answer(path: str):
        if "/api/3/action/vndata_plan" in path:
            respond(path)  # recorded
            return None  # the loopback server answers 404
        return respond(path)

    return answer


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestPlansOfADcatSource:
    def _serve(self, catalogue_server, plans, records=(1,)):
        handler, url = catalogue_server
        base = url.removesuffix("/catalog.ttl")
        body = turtle_catalogue({n: turtle_record(n) for n in records})
        handler.pages = dcat_plans_pages(base, plans, body)
        return url

    def test_the_advertised_index_brings_the_plans_linked_to_the_national_copies(
        self, catalogue_server
    ):
        plan = remote_plan(links=("remote-1",))
        url = self._serve(catalogue_server, [plan])
        source = harvest_source(url)

        objects = run_harvest(source["id"], "vndata_dcat")

        dataset = next(o.package_id for o in objects if o.package_id)
        (national,) = _plans()
        assert national["title"] == plan[0]["title"]
        assert _linked(national["id"]) == [[dataset]]
        assert newest_job_report(source["id"])["plan_counts"]["added"] == 1

    def test_a_second_run_of_the_same_plans_writes_nothing(self, catalogue_server):
        url = self._serve(catalogue_server, [remote_plan(links=("remote-1",))])
        source = harvest_source(url)
        run_harvest(source["id"], "vndata_dcat")
        before = _plans()

        run_harvest(source["id"], "vndata_dcat")

        assert _plans() == before
        report = newest_job_report(source["id"])
        assert report["plan_counts"]["unchanged"] == 1
        assert report["outcome"] == "ok"

    def test_plans_url_names_an_index_the_catalogue_does_not_advertise(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        url = self._serve(catalogue_server, [remote_plan()])
        base = url.removesuffix("/catalog.ttl")
        handler.pages["/catalog.ttl"] = turtle_catalogue({1: turtle_record(1)})

        unadvertised = harvest_source(url, name="khong-quang-ba")
        run_harvest(unadvertised["id"], "vndata_dcat")
        assert _plans() == []
        # the same catalogue at a second address: one source per address
        handler.pages["/danh-muc.ttl"] = handler.pages["/catalog.ttl"]
        named = harvest_source(
            f"{base}/danh-muc.ttl",
            name="co-dia-chi",
            plans_url=f"{base}/ke-hoach/catalog.ttl",
        )
        run_harvest(named["id"], "vndata_dcat")
        assert len(_plans()) == 1

    def test_an_unreadable_index_withdraws_nothing(self, catalogue_server):
        handler, url = catalogue_server
        url = self._serve(catalogue_server, [remote_plan()])
        source = harvest_source(url, deletion={"grace_days": 0, "max_share": 1})
        run_harvest(source["id"], "vndata_dcat")
        handler.pages["/ke-hoach/catalog.ttl"] = b"@prefix broken <"

        run_harvest(source["id"], "vndata_dcat")
        run_harvest(source["id"], "vndata_dcat")

        assert [p["status"] for p in _plans()] == ["published"]
        (message,) = newest_job_report(source["id"])["gather_errors"]
        assert "Không đọc được các kế hoạch của nguồn" in message


def test_plans_left_unread_for_lack_of_time_withdraw_nothing():
    read = {"series_id": "s1", "status": "published", "version": 1}
    late = {
        "series_id": "s2",
        "status": "published",
        plan_reading.UNREADABLE: "hết giờ",
        plan_reading.OUT_OF_TIME: True,
    }

    chosen, listed, problems = plan_gather._one_per_series([read, late])

    assert list(chosen) == ["s1"]
    assert listed is None  # nothing may be said to be gone
    assert problems == ["hết giờ"]
