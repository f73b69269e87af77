"""Records left half-way with no consumer holding them are sent again, once, late.

The case: a fetch consumer died in the middle of a record after Redis had lost its
queue (restarted without its data), so ckanext-harvest's resubmission (a held message
after 3 minutes, a WAITING record missing from the queue) never sends it again.
"""

from __future__ import annotations

import datetime
import json
import time

import pytest

from ckan import model
from ckan.tests import helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.vndata.harvester import stuck_objects
from tests.harvester.helpers import catalogue
from tests.harvester.sources import (
    harvest_consumers,
    harvest_source,
    harvest_through_queues,
    objects_of_a_running_job,
)


def _long_ago() -> datetime.datetime:
    """20 minutes before now: taken when the test runs, not when the module was
    imported (the whole suite takes longer than the setting under test)."""
    return datetime.datetime.utcnow() - datetime.timedelta(minutes=20)


def _in_fetch_queue() -> set[str]:
    redis = queue.get_connection()
    return {
        json.loads(message)["harvest_object_id"]
        for message in redis.lrange(queue.get_fetch_routing_key(), 0, -1)
    }


@pytest.fixture
def empty_queues():
    queue.purge_queues()
    yield
    queue.purge_queues()


@pytest.mark.usefixtures("with_plugins", "clean_db", "empty_queues")
def test_only_records_long_untouched_and_held_by_no_consumer_are_sent_again():
    lost, held, recent, fetching = objects_of_a_running_job(4)
    for harvest_object in (lost, held):
        harvest_object.import_started = _long_ago()
    fetching.state, fetching.fetch_started = "FETCH", _long_ago()
    recent.import_started = datetime.datetime.utcnow()
    for harvest_object in (lost, held, recent, fetching):
        harvest_object.save()
    # What a consumer keeps while it works on a record (RedisConsumer.consume).
    held_key = queue.get_fetch_routing_key() + ":" + held.id
    redis = queue.get_connection()
    redis.set(held_key, str(datetime.datetime.now()))
    try:
        helpers.call_action("harvest_jobs_run", context={"ignore_auth": True})
    finally:
        redis.delete(held_key)

    states = {o.id: HarvestObject.get(o.id).state for o in (lost, held, recent)}
    assert states == {lost.id: "WAITING", held.id: "IMPORT", recent.id: "IMPORT"}
    assert HarvestObject.get(fetching.id).state == "WAITING"
    # ckanext-harvest's resubmit_objects, in the same run, sent both.
    assert _in_fetch_queue() == {lost.id, fetching.id}


@pytest.mark.usefixtures("with_plugins", "clean_db", "empty_queues")
def test_records_of_a_finished_job_are_left_alone():
    (harvest_object,) = objects_of_a_running_job(1)
    harvest_object.import_started = _long_ago()
    harvest_object.save()
    job = HarvestJob.get(harvest_object.harvest_job_id)
    job.status = "Finished"
    job.save()
    assert stuck_objects.vndata_requeue_stuck_objects() == []
    assert HarvestObject.get(harvest_object.id).state == "IMPORT"


@pytest.mark.ckan_config("ckanext.vndata.harvester.stuck_record_minutes", 30)
@pytest.mark.usefixtures("with_plugins", "clean_db", "empty_queues")
def test_the_limit_is_the_setting():
    (harvest_object,) = objects_of_a_running_job(1)
    harvest_object.import_started = _long_ago()  # 20 minutes: under 30
    harvest_object.save()
    assert stuck_objects.vndata_requeue_stuck_objects() == []
    later = datetime.datetime.utcnow() + datetime.timedelta(minutes=11)
    assert stuck_objects.vndata_requeue_stuck_objects(now=later) == [harvest_object.id]


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "empty_queues")
def test_a_record_sent_again_after_its_dataset_was_committed_makes_no_second(
    catalogue_server, tmp_path
):
    """A consumer killed after the import's commit, before the record was marked
    COMPLETE: the record is imported again, its job finishes, one dataset each."""
    handler, url = catalogue_server
    handler.pages = {"/catalog.ttl": catalogue([1, 2, 3])}
    source = harvest_source(url)
    with harvest_consumers(tmp_path, fetch_consumers=1):
        job = harvest_through_queues([source["id"]])[source["id"]]
        assert job.status == "Finished"
        half_way = HarvestObject.filter(harvest_job_id=job.id).first()
        half_way.state, half_way.import_started = "IMPORT", _long_ago()
        half_way.save()
        job.status = "Running"
        job.save()

        helpers.call_action("harvest_jobs_run", context={"ignore_auth": True})
        deadline = time.monotonic() + 60
        while HarvestObject.get(half_way.id).state not in ("COMPLETE", "ERROR"):
            assert time.monotonic() < deadline, "the record was not imported again"
            time.sleep(0.5)
            model.Session.remove()
        helpers.call_action("harvest_jobs_run", context={"ignore_auth": True})

    model.Session.remove()
    retried = HarvestObject.get(half_way.id)
    assert retried.state == "COMPLETE", [e.message for e in retried.errors]
    # Imported again unchanged, it is still reported as what its first import did.
    assert retried.report_status == "added"
    assert HarvestJob.get(job.id).status == "Finished"
    datasets = helpers.call_action("package_search", rows=10)["results"]
    assert sorted(d["title"] for d in datasets) == [
        f"Tập dữ liệu {n}" for n in (1, 2, 3)
    ]


@pytest.mark.usefixtures("with_plugins", "clean_db", "empty_queues")
def test_a_gather_under_way_is_seen_until_it_returns_or_outlives_the_limit():
    (harvest_object,) = objects_of_a_running_job(1)
    job = HarvestJob.get(harvest_object.harvest_job_id)
    job.gather_started, job.gather_finished = datetime.datetime.utcnow(), None
    job.save()
    assert stuck_objects.vndata_gather_under_way()
    later = datetime.datetime.utcnow() + datetime.timedelta(minutes=16)
    assert not stuck_objects.vndata_gather_under_way(now=later)  # died mid-way
    job.gather_finished = datetime.datetime.utcnow()
    job.save()
    assert not stuck_objects.vndata_gather_under_way()
