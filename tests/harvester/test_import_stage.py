"""The import stage both Vietnamese harvesters share: an exception is one record's
error, names from Vietnamese titles, the status gather gave a record.

What the stage does with a record is tested with the rule it applies: unchanged
records in test_identity.py, held-back records in test_quarantine.py, duplicates in
test_duplicates.py, the source's rules in test_rules.py and test_policy.py.
"""

from __future__ import annotations

import contextlib
import json
import threading

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.tests import helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.vndata.harvester import (
    consumers,
    duplicates,
    identity,
    import_stage,
    policy,
)
from tests.harvester.helpers import (
    bare_ckan_record,
    ckan_api,
    connection_lost_at_activity_insert,
    connection_lost_in_activity,
)
from tests.harvester.sources import (
    harvest_source,
    newest_job_report,
    turtle_catalogue,
    turtle_record,
)
from tests.helpers import run_harvest


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestImportErrors:
    @pytest.mark.ckan_config("ckanext.vndata.harvester.search_commit_interval", 3600)
    def test_an_exception_in_one_record_is_that_records_error(
        self, catalogue_server, monkeypatch
    ):
        handler, url = catalogue_server
        # A defect of ours on one record (here planted in the harvest policy), between
        # two records that import, within the commit interval.
        prepare = policy.prepare

        def broken_on_record_1(package, defaulted):
            if package.get("title") == bare_ckan_record(1)["title"]:
                raise TypeError("string indices must be integers")
            return prepare(package, defaulted)

        monkeypatch.setattr(policy, "prepare", broken_on_record_1)
        handler.respond = ckan_api(
            [bare_ckan_record(2), bare_ckan_record(1), bare_ckan_record(3)]
        )
        portal = url.replace("/catalog.ttl", "")
        source = harvest_source(portal, source_type="vndata_ckan")

        first, broken, last = run_harvest(source["id"], "vndata_ckan")  # no escape

        states = (first.state, broken.state, last.state)
        assert states == ("COMPLETE", "ERROR", "COMPLETE")
        (error,) = broken.errors
        assert "Không nhập được bản ghi (TypeError" in error.message
        assert "Traceback" not in error.message
        assert broken.package_id is None and not broken.current
        report = newest_job_report(source["id"])
        assert report["status"] == "Finished"
        assert (report["counts"]["added"], report["counts"]["errors"]) == (2, 1)

    def test_a_database_lost_after_the_dataset_is_made_is_not_a_record_error(
        self, catalogue_server, monkeypatch
    ):
        # ckanext-dcat commits the dataset before our last steps: had the lost
        # connection been the record's error, the report would say "not imported"
        # of a dataset that is there. The import lets it out (the consumer sends the
        # record again: consumers.py); imported again, it finds its dataset.
        handler, url = catalogue_server
        handler.respond = ckan_api([bare_ckan_record(1)])
        source = harvest_source(
            url.replace("/catalog.ttl", ""), source_type="vndata_ckan"
        )
        others = duplicates.others
        lost, asked = [], []

        def connection_lost_once(harvest_object, keys):
            asked.append(harvest_object.id)
            if not lost:
                lost.append(harvest_object.id)
                model.Session.execute(
                    sa.text("SELECT pg_terminate_backend(pg_backend_pid())")
                )
            return others(harvest_object, keys)

        monkeypatch.setattr(duplicates, "others", connection_lost_once)

        with pytest.raises(sa.exc.OperationalError):
            run_harvest(source["id"], "vndata_ckan")
        model.Session.rollback()
        model.Session.remove()

        (object_id,) = lost
        assert HarvestObject.get(object_id).state == "IMPORT"  # not ERROR
        assert len(_datasets_of(source)) == 1  # made, then the connection lost
        queue.fetch_and_import_stages(
            queue.get_harvester("vndata_ckan"), HarvestObject.get(object_id)
        )
        assert HarvestObject.get(object_id).state == "COMPLETE"
        assert HarvestObject.get(object_id).errors == []
        assert len(_datasets_of(source)) == 1
        # The last steps the lost connection cut short were done the second time.
        assert asked == [object_id, object_id]
        fingerprints = [
            e
            for e in HarvestObject.get(object_id).extras
            if e.key == identity.FINGERPRINT
        ]
        assert len(fingerprints) == 1

    @pytest.mark.parametrize(
        "where", ["user lookup", "activity insert"], ids=["lookup", "insert"]
    )
    def test_a_database_lost_in_ckans_activity_after_the_commit_is_not_a_record_error(
        self, catalogue_server, monkeypatch, where
    ):
        # ckanext-dcat reports any exception of its import as the record's error, and
        # CKAN's activity runs after package_create's commit: a connection lost there
        # left the record an error with its dataset made (the fault test found it,
        # first at the activity's user lookup, then at its INSERT, in its commit's
        # flush).
        handler, url = catalogue_server
        handler.body = turtle_catalogue({1: turtle_record(1)})
        source = harvest_source(url)

        with contextlib.ExitStack() as faults:
            if where == "user lookup":
                lost = connection_lost_in_activity(monkeypatch)
            else:
                lost = faults.enter_context(connection_lost_at_activity_insert())
            with pytest.raises(sa.exc.SQLAlchemyError) as raised:
                run_harvest(source["id"], "vndata_dcat")
        model.Session.rollback()
        model.Session.remove()

        assert lost, "the activity was not reached"
        # ckanext-dcat's `finally: commit` makes it a PendingRollbackError ("Can't
        # reconnect..." after the lookup, "rolled back due to a previous exception
        # during flush" after the insert): a lost connection all the same to the
        # consumer, which sends the record again.
        assert consumers.connection_lost(raised.value)
        (record,) = HarvestObject.filter(harvest_source_id=source["id"]).all()
        assert record.state == "IMPORT"  # not ERROR
        assert record.errors == []
        assert len(_datasets_of(source)) == 1  # made, then the connection lost
        queue.fetch_and_import_stages(
            queue.get_harvester("vndata_dcat"), HarvestObject.get(record.id)
        )
        assert HarvestObject.get(record.id).state == "COMPLETE"
        assert HarvestObject.get(record.id).errors == []
        assert len(_datasets_of(source)) == 1

    def test_a_record_taken_twice_at_once_is_imported_once_and_completes(
        self, app, catalogue_server, monkeypatch
    ):
        # A record sent again while a consumer imports it (ckanext-harvest's
        # resubmit_objects; a try that lost the database and goes on) is taken by a
        # second consumer. Both made its dataset: the fault test saw the second fail
        # on the name the first had just taken, the record ERROR with its dataset
        # made. The second waits for the first, then finds its dataset.
        source = _ckan_source_of_one_record(catalogue_server)
        second = _taken_again_during_the_first_try(app, monkeypatch, source, 3)

        (record,) = run_harvest(source["id"], "vndata_ckan")
        second["thread"].join(timeout=60)

        assert second["waited"] and not second["thread"].is_alive()
        assert "error" not in second
        _assert_imported_once(source, record)

    def test_a_second_try_that_waits_too_long_gives_the_record_back_untouched(
        self, app, catalogue_server, monkeypatch
    ):
        # A first try held up (a very large record, a slow database): the second does
        # not wait for ever. It is Busy, which the consumer sends again
        # (test_consumers.py), and it leaves the record to the first.
        source = _ckan_source_of_one_record(catalogue_server)
        monkeypatch.setattr(import_stage, "IMPORT_WAIT", 0.5)
        second = _taken_again_during_the_first_try(app, monkeypatch, source, 30)

        (record,) = run_harvest(source["id"], "vndata_ckan")

        assert not second["waited"]  # ended while the first still held the record
        assert consumers.to_try_again(second["error"])
        _assert_imported_once(source, record)

    def test_a_record_given_up_on_after_its_dataset_was_made_is_updated_next_run(
        self, catalogue_server
    ):
        # Its first try committed the dataset and lost the connection; ckanext-harvest
        # gave up at the fifth delivery (ERROR, no import): the next run must find
        # that dataset, not make the record's second.
        handler, url = catalogue_server
        handler.body = turtle_catalogue({1: turtle_record(1)})
        source = harvest_source(url)
        with connection_lost_at_activity_insert() as lost:
            with pytest.raises(sa.exc.SQLAlchemyError):
                run_harvest(source["id"], "vndata_dcat")
        model.Session.rollback()
        model.Session.remove()
        assert lost
        (record,) = HarvestObject.filter(harvest_source_id=source["id"]).all()
        record.retry_times = 4  # four more deliveries, each lost
        record.save()
        queue.fetch_callback(
            _Channel(), _Channel(), None, json.dumps({"harvest_object_id": record.id})
        )
        model.Session.remove()
        assert HarvestObject.get(record.id).state == "ERROR"
        made = _datasets_of(source)
        assert len(made) == 1
        helpers.call_action("harvest_jobs_run", context={"ignore_auth": True})

        run_harvest(source["id"], "vndata_dcat")

        assert _datasets_of(source) == made


class _Channel:
    """A queue channel and delivery, as ckanext-harvest's fetch_callback uses them."""

    delivery_tag = "1"

    def basic_ack(self, tag):
        pass


def _datasets_of(source: dict) -> list[str]:
    return [
        package_id
        for (package_id,) in model.Session.query(model.Package.id).filter(
            model.Package.type == "dataset",
            model.Package.state == "active",
            model.Package.owner_org == source["owner_org"],
        )
    ]


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_harvesters_name_new_datasets_from_their_vietnamese_titles():
    harvester = queue.get_harvester("vndata_dcat")

    assert harvester._gen_new_name("Danh sách trường học") == "danh-sach-truong-hoc"


@pytest.mark.parametrize(
    ("extras", "status"),
    [
        ([("status", "delete")], "delete"),
        ([("guid", "x"), ("status", "change")], "change"),
        ([], None),
    ],
)
def test_the_status_gather_gave_an_object_is_read_from_its_extras(extras, status):
    harvest_object = HarvestObject(
        extras=[HarvestObjectExtra(key=key, value=value) for key, value in extras]
    )

    assert import_stage.object_status(harvest_object) == status


def _ckan_source_of_one_record(catalogue_server) -> dict:
    handler, url = catalogue_server
    handler.respond = ckan_api([bare_ckan_record(1)])
    return harvest_source(url.replace("/catalog.ttl", ""), source_type="vndata_ckan")


def _taken_again_during_the_first_try(app, monkeypatch, source, wait: float) -> dict:
    """While the record's first try prepares its dataset, a second consumer (its own
    thread and session) takes the record; the first goes on once the second has
    ended, or after ``wait`` seconds. What it fills in: ``thread``, ``waited`` (the
    second still running after the wait) and ``error`` (what it let out)."""
    harvester = queue.get_harvester(source["source_type"])
    prepare, second = policy.prepare, {}

    def second_try(object_id):
        with app.flask_app.app_context():
            try:
                queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
            except Exception as error:  # noqa: BLE001 (what the consumer gets)
                second["error"] = error
            finally:
                model.Session.remove()

    def taken_again_before_the_dataset_is_made(package, defaulted):
        if not second:  # the first try, before it writes the dataset
            (record,) = HarvestObject.filter(harvest_source_id=source["id"])
            second["thread"] = threading.Thread(target=second_try, args=(record.id,))
            second["thread"].start()
            second["thread"].join(timeout=wait)
            second["waited"] = second["thread"].is_alive()
        return prepare(package, defaulted)

    monkeypatch.setattr(policy, "prepare", taken_again_before_the_dataset_is_made)
    return second


def _assert_imported_once(source: dict, record) -> None:
    model.Session.remove()
    record = HarvestObject.get(record.id)
    assert (record.state, record.errors) == ("COMPLETE", [])
    assert len(_datasets_of(source)) == 1
