"""Retention: old harvest history goes, what later harvests read stays."""

from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.cli.cli import ckan
from ckanext.harvest.model import (
    HarvestJob,
    HarvestLog,
    HarvestObject,
    HarvestObjectExtra,
)

from ckanext.vndata.harvester import deletion, retention
from ckanext.vndata.harvester.page_cache import Page
from tests.harvester.helpers import catalogue
from tests.harvester.sources import (
    harvest_source,
    newest_job_report,
    objects_of_a_running_job,
)
from tests.helpers import run_harvest

RECORDS = 60


def _rotated(ids: list[int], by: int) -> list[int]:
    """The same records in another order: another page (page_cache.py parses it),
    the same datasets (identity.py finds them unchanged)."""
    return ids[by:] + ids[:by]


def _count(table) -> int:
    return model.Session.query(sa.func.count(table.id)).scalar()


def _current() -> dict[str, str]:
    rows = model.Session.query(HarvestObject.guid, HarvestObject.package_id).filter(
        HarvestObject.current.is_(True)
    )
    return dict(rows)


def _jobs_oldest_first(source_id: str) -> list[HarvestJob]:
    return (
        model.Session.query(HarvestJob)
        .filter(HarvestJob.source_id == source_id)
        .order_by(HarvestJob.created)
        .all()
    )


def _old_finished_jobs(count: int) -> None:
    """A source's running job (new) and ``count`` finished ones of 2001, with one
    harvest object each."""
    objects_of_a_running_job(0)
    source_id = model.Session.query(HarvestJob).one().source_id
    for number in range(count):
        job = HarvestJob(source_id=source_id, status="Finished")
        job.created = datetime.datetime(2001, 1, 1 + number)
        job.save()
        HarvestObject(guid="x", job=job, source=job.source).save()


@pytest.fixture
def five_jobs(catalogue_server):
    """A source harvested five times: 60 records, then record 60 missing (not yet
    withdrawn: grace one day), the 59 others unchanged four times (295 objects)."""
    handler, url = catalogue_server
    source = harvest_source(url, deletion={"grace_days": 1, "max_share": 0.5})
    everything = list(range(1, RECORDS + 1))
    handler.body = catalogue(everything)
    run_harvest(source["id"], "vndata_dcat")
    for by in range(1, 5):
        handler.body = catalogue(_rotated(everything[:-1], by))
        run_harvest(source["id"], "vndata_dcat")
    return handler, source


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestPrune:
    def test_removes_the_history_beyond_the_last_jobs_and_harvests_go_on(
        self, five_jobs
    ):
        _, source = five_jobs
        jobs = _jobs_oldest_first(source["id"])
        old = [job.id for job in jobs[:3]]
        gone = [
            id_
            for (id_,) in model.Session.query(HarvestObject.id).filter(
                HarvestObject.harvest_job_id.in_(old),
                HarvestObject.current.isnot(True),
            )
        ]
        extras = (
            model.Session.query(HarvestObjectExtra)
            .filter(HarvestObjectExtra.harvest_object_id.in_(gone))
            .count()
        )
        pages = model.Session.query(Page).filter(Page.job_id.in_(old[1:])).count()
        before = {t: _count(t) for t in (HarvestObject, HarvestObjectExtra, HarvestJob)}
        current = _current()

        counted = retention.prune(2, dry_run=True)
        assert _count(HarvestObject) == before[HarvestObject]  # a dry run counts only
        progress = []
        pruned = retention.prune(2, progress=progress.append)

        # Job 1 keeps record 60's object (still current: missing, in its grace
        # period) and so stays; jobs 2 and 3 go whole.
        assert len(gone) == 59 * 3
        assert pruned == counted
        assert (pruned.objects, pruned.jobs, pruned.pages) == (177, 2, pages)
        assert pruned.object_extras == extras > 0
        assert _count(HarvestObject) == before[HarvestObject] - 177
        assert _count(HarvestObjectExtra) == before[HarvestObjectExtra] - extras
        assert _count(HarvestJob) == before[HarvestJob] - 2
        assert [job.id for job in _jobs_oldest_first(source["id"])] == [
            jobs[0].id,
            jobs[3].id,
            jobs[4].id,
        ]
        assert _current() == current
        assert progress and progress[-1] == pruned
        assert retention.prune(2) == retention.VndataPruned()  # nothing left to do
        self._reharvest_writes_nothing_and_withdraws(*five_jobs, current)

    def _reharvest_writes_nothing_and_withdraws(self, handler, source, current):
        modified = dict(
            model.Session.query(model.Package.id, model.Package.metadata_modified)
        )
        # The grace period of record 60 (missing since job 2) has passed.
        model.Session.query(HarvestObjectExtra).filter(
            HarvestObjectExtra.key == deletion.MISSING_SINCE
        ).update(
            {"value": (datetime.date.today() - datetime.timedelta(days=2)).isoformat()}
        )
        model.Session.commit()

        handler.body = catalogue(_rotated(list(range(1, RECORDS)), 7))
        run_harvest(source["id"], "vndata_dcat")

        counts = newest_job_report(source["id"])["counts"]
        assert (counts["added"], counts["updated"]) == (0, 0)
        assert (counts["unchanged"], counts["withdrawn"]) == (59, 1)
        after = _current()
        assert after == {g: p for g, p in current.items() if g.split("/")[-1] != "60"}
        for package_id in after.values():  # identity: the same datasets, untouched
            assert (
                model.Package.get(package_id).metadata_modified == modified[package_id]
            )
        (withdrawn,) = set(current) - set(after)  # record 60's dataset
        assert model.Package.get(current[withdrawn]).state == "deleted"

    def test_never_touches_a_running_job_nor_the_last_jobs(self):
        running = objects_of_a_running_job(3, state="COMPLETE")
        job = running[0].job
        job.created = datetime.datetime(2000, 1, 1)  # older than any other
        for number in range(3):
            finished = HarvestJob(source_id=job.source_id, status="Finished")
            finished.created = datetime.datetime(2001, 1, 1 + number)
            finished.save()
            HarvestObject(guid="x", job=finished, source=job.source).save()
        model.Session.commit()

        pruned = retention.prune(2)

        assert (pruned.objects, pruned.jobs) == (1, 1)  # the oldest finished job
        assert (
            model.Session.query(HarvestObject).filter_by(harvest_job_id=job.id).count()
            == 3
        )

    def test_log_older_than_every_kept_job_goes(self):
        objects_of_a_running_job(0)
        running_job = model.Session.query(HarvestJob).one()
        running_job.created = datetime.datetime(2020, 1, 1)
        for day in (1, 2):
            model.Session.add(
                HarvestLog(
                    content="cũ", level="INFO", created=datetime.datetime(2019, 1, day)
                )
            )
        model.Session.add(
            HarvestLog(
                content="mới", level="INFO", created=datetime.datetime(2021, 1, 1)
            )
        )
        model.Session.commit()

        assert retention.prune(1).log == 2
        contents = [log.content for log in model.Session.query(HarvestLog)]
        assert "mới" in contents and "cũ" not in contents


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestPruneCommand:
    def test_dry_run_counts_in_vietnamese_and_removes_nothing(self, cli):
        _old_finished_jobs(3)

        dry = cli.invoke(
            ckan, ["vndata_harvester", "prune", "--keep", "2", "--dry-run"]
        )
        assert dry.exit_code == 0, dry.output
        assert "Sẽ xóa: 2 bản ghi thu thập" in dry.output
        assert _count(HarvestObject) == 3

        done = cli.invoke(ckan, ["vndata_harvester", "prune", "--keep", "2"])
        assert done.exit_code == 0, done.output
        assert "Đã xóa: 2 bản ghi thu thập" in done.output
        assert _count(HarvestObject) == 1

    def test_the_scheduler_prunes_when_asked(self, cli, monkeypatch):
        """Through the jobs worker (run here at once), 24 hours after the last."""
        _old_finished_jobs(12)  # keep_jobs (10) and two more
        last = datetime.datetime.utcnow() - datetime.timedelta(hours=25)
        model.Session.add(retention.VndataChoreRun(name=retention.PRUNE, started=last))
        model.Session.commit()
        monkeypatch.setattr(retention.tk, "enqueue_job", lambda fn, **kw: fn())

        ran = cli.invoke(
            ckan,
            ["vndata_harvester", "scheduler", "--runs", "1", "--prune-hours", "24"],
        )

        assert ran.exit_code == 0, ran.output
        assert _count(HarvestObject) == 9  # the running job is one of the last 10
