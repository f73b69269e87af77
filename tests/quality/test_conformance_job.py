"""The conformance job: a write queues the dataset, one background job judges the
waiting datasets in batches and stores each verdict; unchanged datasets are skipped."""

from __future__ import annotations

import json

import pytest
import redis

from ckan import model
from ckan.cli.cli import ckan
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories, helpers

from ckanext.vndata.quality import conformance, conformance_job
from ckanext.vndata.quality.indicators import RATING_KEYS
from ckanext.vndata.quality.model import DatasetScore
from tests.harvester.helpers import ckan_record, harvest_ckan
from tests.quality.shacl_helpers import made_datasets

TITLE = "vndata_quality: DCAT-AP conformance"


def _waiting() -> set[str]:
    waiting, _queued, _attempts = conformance_job._keys()
    return {i.decode() for i in connect_to_redis().zrange(waiting, 0, -1)}


def _jobs() -> list[str]:
    return [
        job["title"]
        for job in helpers.call_action("job_list", context={"ignore_auth": True})
    ]


def _patch(package_id: str, **fields) -> None:
    sysadmin = factories.Sysadmin()
    helpers.call_action(
        "package_patch", context={"user": sysadmin["name"]}, id=package_id, **fields
    )


def _row(package_id: str) -> DatasetScore | None:
    model.Session.expire_all()
    return model.Session.get(DatasetScore, package_id)


@pytest.fixture
def settled(monkeypatch):
    """Writes count as committed at once (the job waits SETTLE_SECONDS otherwise)."""
    monkeypatch.setattr(conformance_job, "SETTLE_SECONDS", 0)


@pytest.mark.usefixtures(
    "with_plugins", "clean_db", "clean_index", "clean_redis", "clean_queues"
)
class TestQueue:
    def test_writes_queue_one_job_for_all_their_datasets(self):
        datasets = made_datasets(3)
        _patch(datasets[0]["id"], notes="Mô tả mới")

        assert _waiting() == {d["id"] for d in datasets}
        assert _jobs() == [TITLE]

    @pytest.mark.usefixtures("settled")
    def test_the_job_judges_every_waiting_dataset_and_stores_the_verdicts(self):
        datasets = made_datasets(3)

        conformance_job.vndata_quality_conformance_job()

        assert _waiting() == set()
        for dataset in datasets:
            row = _row(dataset["id"])
            assert row.conformant is True
            assert row.conformance_digest and json.loads(row.violations) == []
            assert row.rating in RATING_KEYS and row.points > 0
            assert json.loads(row.tally)["counts"]["dcat_ap"] == [1, 1]
        # The job cleared its flag: the next write queues the next run.
        _patch(datasets[0]["id"], notes="Sửa")
        assert _jobs() == [TITLE, TITLE]

    def test_a_dataset_is_judged_once_its_last_write_has_settled(self, monkeypatch):
        (dataset,) = made_datasets(1)
        monkeypatch.setattr(conformance_job, "SETTLE_SECONDS", 60)
        monkeypatch.setattr(conformance_job, "BATCHES_PER_RUN", 2)
        helpers.call_action("job_clear", context={"ignore_auth": True})

        conformance_job.vndata_quality_conformance_job()

        # Not judged: its write may not be committed yet (its score is stored).
        assert _row(dataset["id"]).conformant is None
        assert _waiting() == {dataset["id"]}
        assert _jobs() == [TITLE]
        monkeypatch.setattr(conformance_job, "SETTLE_SECONDS", 0)
        conformance_job.vndata_quality_conformance_job()
        assert _row(dataset["id"]).conformant is True

    @pytest.mark.usefixtures("settled")
    def test_a_run_leaves_what_it_has_no_time_for_to_the_next_run(self, monkeypatch):
        datasets = made_datasets(3)
        monkeypatch.setattr(conformance_job.conformance, "BATCH", 1)
        monkeypatch.setattr(conformance_job, "BATCHES_PER_RUN", 2)
        helpers.call_action("job_clear", context={"ignore_auth": True})

        conformance_job.vndata_quality_conformance_job()

        assert len(_waiting()) == 1
        assert _jobs() == [TITLE]
        conformance_job.vndata_quality_conformance_job()
        assert _waiting() == set()
        assert all(_row(d["id"]).conformant for d in datasets)

    @pytest.mark.usefixtures("settled")
    def test_a_failed_batch_waits_again_then_is_given_up(self, monkeypatch):
        (dataset,) = made_datasets(1)
        tries = []

        def broken(batch, force=False):
            tries.append(batch)
            raise RuntimeError("SHACL engine failed")

        monkeypatch.setattr(conformance_job, "vndata_quality_judge", broken)
        conformance_job.vndata_quality_conformance_job()

        assert tries == [[dataset["id"]]] * conformance_job.ATTEMPTS
        assert _waiting() == set()
        _waiting_key, _queued, attempts = conformance_job._keys()
        assert not connect_to_redis().exists(attempts)

    @pytest.mark.usefixtures("settled")
    def test_a_batch_that_fails_once_is_judged_on_the_next_try(self, monkeypatch):
        (dataset,) = made_datasets(1)
        judge = conformance_job.vndata_quality_judge
        tries = []

        def flaky(batch, force=False):
            tries.append(batch)
            if len(tries) == 1:
                raise RuntimeError("database went away")
            return judge(batch, force)

        monkeypatch.setattr(conformance_job, "vndata_quality_judge", flaky)
        conformance_job.vndata_quality_conformance_job()

        assert len(tries) == 2
        assert _row(dataset["id"]).conformant is True
        assert _waiting() == set()

    @pytest.mark.usefixtures("settled")
    def test_a_killed_run_loses_no_dataset(self, monkeypatch):
        (dataset,) = made_datasets(1)

        def killed(batch, force=False):
            raise SystemExit("worker killed")

        monkeypatch.setattr(conformance_job, "vndata_quality_judge", killed)
        with pytest.raises(SystemExit):
            conformance_job.vndata_quality_conformance_job()

        assert _waiting() == {dataset["id"]}

    def test_a_failed_enqueue_does_not_block_the_next_runs(self, monkeypatch):
        def refused(*args, **kwargs):
            raise redis.ConnectionError("queue unreachable")

        monkeypatch.setattr(conformance_job.tk, "enqueue_job", refused)
        (dataset,) = made_datasets(1)  # the write succeeds
        assert _jobs() == []
        monkeypatch.undo()

        _patch(dataset["id"], notes="Sửa")

        assert _jobs() == [TITLE]

    def test_a_real_worker_drains_the_queue(self, cli):
        datasets = made_datasets(2)

        worked = cli.invoke(ckan, ["jobs", "worker", "--burst"])

        assert worked.exit_code == 0, worked.output
        assert _jobs() == []
        assert all(_row(d["id"]).conformant is True for d in datasets)

    def test_a_write_succeeds_when_redis_is_down(self, monkeypatch):
        def down():
            raise redis.ConnectionError("down")

        monkeypatch.setattr(conformance_job, "connect_to_redis", down)

        (dataset,) = made_datasets(1)

        assert helpers.call_action("package_show", id=dataset["id"])["id"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestJudge:
    def test_an_unchanged_dataset_is_skipped_a_changed_one_judged(self):
        (dataset,) = made_datasets(1)
        key = dataset["id"]

        assert conformance_job.vndata_quality_judge([key]) == {key: (True, [])}
        assert conformance_job.vndata_quality_judge([key]) == {}
        _patch(key, title="Tên mới của tập dữ liệu")
        assert conformance_job.vndata_quality_judge([key]) == {key: (True, [])}
        assert conformance_job.vndata_quality_judge([key], force=True) == {
            key: (True, [])
        }

    def test_a_changed_verdict_changes_the_score(self):
        (dataset,) = made_datasets(1)
        key = dataset["id"]
        conformance_job.vndata_quality_judge([key])
        before = _row(key).points
        row = _row(key)
        row.conformant, row.conformance_digest = False, None
        row.tally = json.dumps({"counts": {"dcat_ap": [0, 1]}, "datasets": 1})
        row.points = before - 30
        model.Session.commit()

        conformance_job.vndata_quality_judge([key])

        assert _row(key).conformant is True
        assert _row(key).points == before

    def test_unknown_deleted_and_non_dataset_ids_are_left_out(self):
        (dataset,) = made_datasets(1)
        sysadmin = factories.Sysadmin()
        helpers.call_action(
            "package_delete", context={"user": sysadmin["name"]}, id=dataset["id"]
        )
        organization = factories.Organization()

        judged = conformance_job.vndata_quality_judge(
            [dataset["id"], "khong-co", "\x00", "\ud800", 7, organization["id"]]
        )

        assert judged == {}

    def test_judging_all_counts_and_reports_progress(self):
        datasets = made_datasets(3)
        steps = []

        first = conformance_job.vndata_quality_judge_all(progress=steps.append)
        again = conformance_job.vndata_quality_judge_all()

        assert first == {"judged": 3, "skipped": 0, "conformant": 3}
        assert sum(steps) == len(datasets)
        assert again == {"judged": 0, "skipped": 3, "conformant": 0}


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures(
    "with_plugins", "clean_db", "clean_index", "clean_redis", "clean_queues"
)
class TestHarvest:
    def test_a_harvest_import_only_queues_its_datasets(
        self, catalogue_server, monkeypatch, settled
    ):
        def no_shacl(graphs):
            raise AssertionError("SHACL ran inside the harvest import")

        monkeypatch.setattr(conformance, "vndata_quality_judge_graphs", no_shacl)

        _source, harvested = harvest_ckan(catalogue_server, [ckan_record(1)])

        assert harvested.state == "COMPLETE"
        assert _waiting() == {harvested.package_id}
        assert _jobs() == [TITLE]
        monkeypatch.undo()
        conformance_job.vndata_quality_conformance_job()
        assert isinstance(_row(harvested.package_id).conformant, bool)
