"""A job's state stays with its job: one harvester instance serves every job of a
process (the gather and fetch consumers run job after job), and nothing one job
learned (its login, its limits, its pages, its province) reaches the next."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import requests

from ckan.tests import helpers
from ckanext.harvest import queue

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import job_state
from tests.harvester.helpers import (
    catalogue,
    ckan_api,
    ckan_record,
    ckan_source,
    gather_errors,
)
from tests.harvester.sources import harvest_source
from tests.helpers import run_harvest

LOGIN = "Basic dGluaC1hOmJpLW1hdA=="


def _provinces(objects) -> set[str]:
    return {
        helpers.call_action("package_show", id=o.package_id)["province_code"]
        for o in objects
    }


def _keeps_no_job(harvester) -> bool:
    """Nothing on the shared instance is a job's state."""
    kept = (job_state.VndataHarvestJob, job_state.PageBookkeeping, requests.Session)
    return not any(isinstance(value, kept) for value in vars(harvester).values())


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestJobsBackToBack:
    def test_dcat_jobs_of_two_sources_share_nothing(self, catalogue_server):
        handler, url = catalogue_server
        base = url.replace("/catalog.ttl", "")
        handler.pages = {
            "/a.ttl": catalogue([1, 2], next_page=f"{base}/a2.ttl"),
            "/a2.ttl": catalogue([3]),
            "/b.ttl": catalogue([4, 5], next_page=f"{base}/b2.ttl"),
            "/b2.ttl": catalogue([6]),
        }
        # A: a login, one page at most (its catalogue has two), Đà Nẵng.
        tinh_a = harvest_source(
            f"{base}/a.ttl", name="tinh-a", auth_header=LOGIN, max_pages=1
        )
        # B: no login, the default page limit, Thừa Thiên Huế.
        tinh_b = harvest_source(f"{base}/b.ttl", name="tinh-b", province_code="46")

        run_harvest(tinh_a["id"], "vndata_dcat")
        assert gather_errors(tinh_a["id"])  # its catalogue is over its page limit
        assert all(h.get("Authorization") == LOGIN for h in handler.headers_seen)
        handler.headers_seen.clear()
        objects = run_harvest(tinh_b["id"], "vndata_dcat")

        assert gather_errors(tinh_b["id"]) == []  # A's page limit is not B's
        assert len(objects) == 3
        assert [h.get("Authorization") for h in handler.headers_seen] == [None, None]
        assert _provinces(objects) == {"46"}
        assert _keeps_no_job(queue.get_harvester("vndata_dcat"))
        assert job_state.current() is None

    def test_ckan_jobs_of_two_sources_share_nothing(self, catalogue_server):
        handler, url = catalogue_server
        records = [ckan_record(n) for n in range(1, 4)]
        handler.respond = ckan_api(records)
        tinh_a = ckan_source(url, "tinh-a", auth_header=LOGIN)
        tinh_b = ckan_source(url + "/tinh-b", "tinh-b", province_code="46")

        first = run_harvest(tinh_a["id"], "vndata_ckan")
        assert all(h.get("Authorization") == LOGIN for h in handler.headers_seen)
        handler.headers_seen.clear()
        second = run_harvest(tinh_b["id"], "vndata_ckan")

        assert len(first) == len(second) == 3
        assert handler.headers_seen
        assert all("Authorization" not in h for h in handler.headers_seen)
        assert _provinces(first) == {"48"}
        assert _provinces(second) == {"46"}
        assert _keeps_no_job(queue.get_harvester("vndata_ckan"))
        assert job_state.current() is None


class TestCurrentJob:
    def _job(self, job_id: str) -> job_state.VndataHarvestJob:
        return job_state.VndataHarvestJob(
            job_id=job_id, source_id="s", parsed_config={}
        )

    def test_a_job_is_current_only_while_its_stage_runs(self):
        job = self._job("job-a")

        with job_state.running(job):
            assert job_state.current() is job
            assert job_state.current("job-a") is job
            assert job_state.current("job-b") is None  # another harvester's job
        assert job_state.current() is None

    def test_a_stage_that_raises_leaves_no_current_job(self):
        with pytest.raises(RuntimeError), job_state.running(self._job("job-a")):
            raise RuntimeError

        assert job_state.current() is None

    def test_an_inner_job_gives_way_to_the_outer_one(self):
        outer, inner = self._job("job-a"), self._job("job-b")

        with job_state.running(outer):
            with job_state.running(inner):
                assert job_state.current() is inner
            assert job_state.current() is outer


class TestImportConfig:
    """An import reads its source's config only when a step needs it: withdrawing or
    confirming a record does not depend on the config still parsing."""

    def _object(self, config: str):
        source = SimpleNamespace(config=config)
        return SimpleNamespace(
            harvest_job_id="job-a", harvest_source_id="s", source=source
        )

    @pytest.mark.usefixtures("with_request_context")
    def test_a_config_that_no_longer_parses_fails_only_the_step_that_reads_it(self):
        job = job_state.VndataHarvestJob.for_import(
            self._object('{"no_such_key": 1}'), "harvest"
        )

        with pytest.raises(source_config.ConfigError):
            job.config

    def test_the_config_is_parsed_once_with_its_defaults(self):
        job = job_state.VndataHarvestJob.for_import(
            self._object('{"province_code": "48"}'), "harvest"
        )

        assert job.config["province_code"] == "48"
        assert job.config is job.config
