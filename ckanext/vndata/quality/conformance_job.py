"""DCAT-AP conformance judged outside the request: after each dataset write the
dataset waits in Redis, and one background job (CKAN's RQ jobs, the default queue that
the site's ``ckan jobs worker`` drains) judges the waiting datasets ``BATCH`` at a time,
stores each verdict in ``DatasetScore`` and rescores the datasets whose verdict changed.

A harvest of thousands of records queues one job, not thousands: a write only notes the
dataset (with the time) and queues a job when none is queued yet (a flag the job clears
when it starts, so a write during a run queues the next run). The hooks run before the
write is committed, so a dataset is judged only once ``SETTLE_SECONDS`` have passed
since its last write: a dataset written ten times in a row is judged once, as committed.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import redis

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis

from ckanext.vndata.lib import text
from ckanext.vndata.quality import conformance, dataset_score
from ckanext.vndata.quality.model import DatasetScore

log = logging.getLogger(__name__)

# A queued job that never ran (a flushed queue) stops blocking new ones after this.
FLAG_SECONDS = 6 * 3600
# Time for the write that noted a dataset to be committed (after_dataset_create and
# _update run inside the action's transaction).
SETTLE_SECONDS = 2.0
# One run judges at most this many batches (well within its timeout, at about 5 s a
# batch here), then queues the next run for the datasets still waiting.
BATCHES_PER_RUN = 60
RUN_SECONDS = 3600
# A batch whose judging raised is tried again; a dataset failing this often is dropped.
ATTEMPTS = 3


def _keys() -> tuple[str, str, str]:
    site = tk.config.get("ckan.site_id")
    return (
        f"vndata:{site}:quality:conformance:waiting",  # {id: time of its last write}
        f"vndata:{site}:quality:conformance:queued",
        f"vndata:{site}:quality:conformance:attempts",  # {id: failed judgements}
    )


def vndata_quality_judge_later(pkg_dict: dict[str, Any]) -> None:
    """After a write: have the dataset (not a harvest source or other type) judged."""
    if pkg_dict.get("type", "dataset") == "dataset" and pkg_dict.get("id"):
        vndata_quality_conformance_enqueue([pkg_dict["id"]])


def vndata_quality_conformance_enqueue(package_ids: Iterable[str]) -> None:
    """Have ``package_ids`` judged by the background job (queued if none is)."""
    now = time.time()
    written = {i: now for i in package_ids if i}
    if not written:
        return
    waiting, _queued, _attempts = _keys()
    try:
        connection = connect_to_redis()
        connection.zadd(waiting, written)
        _queue_run(connection)
    except redis.RedisError as error:
        # A write must not fail for the quality check: the CLI can judge it later.
        log.warning("Conformance of %s not queued: %r", list(written), error)


def vndata_quality_conformance_job(package_ids: list[str] | None = None) -> None:
    """The background job: judge ``package_ids``, then every waiting dataset."""
    waiting, queued, attempts = _keys()
    connection = connect_to_redis()
    connection.delete(queued)
    ids = list(package_ids or [])
    for _run in range(BATCHES_PER_RUN):
        batch, ids = ids[: conformance.BATCH], ids[conformance.BATCH :]
        taken = {} if batch else _settled(connection, waiting)
        if taken is None:
            break
        batch = batch or list(taken)
        if not batch:  # only datasets written a moment ago: wait for their commit
            time.sleep(SETTLE_SECONDS / 4)
            continue
        try:
            vndata_quality_judge(batch)
        except Exception:  # noqa: BLE001 - one bad batch must not stop the others
            log.exception("Conformance of %s failed", batch)
            model.Session.rollback()
            _failed(connection, batch)
        else:
            connection.hdel(attempts, *batch)
        # Judged or given another chance: out of the set unless written meanwhile.
        _taken_out(connection, waiting, taken)
    # Long enough for one run (its timeout): what is left goes to the next run.
    if ids:
        connection.zadd(waiting, dict.fromkeys(ids, 0), nx=True)
    if connection.zcard(waiting):
        _queue_run(connection)


def _settled(connection, waiting: str) -> dict[str, float] | None:
    """Up to ``BATCH`` waiting datasets last written ``SETTLE_SECONDS`` ago or more,
    {id: time of that write}, left in the set until judged (a run that is killed
    loses none); None when none waits at all."""
    if not connection.zcard(waiting):
        return None
    due = time.time() - SETTLE_SECONDS
    taken = connection.zrangebyscore(
        waiting, "-inf", due, start=0, num=conformance.BATCH, withscores=True
    )
    return {member.decode(): score for member, score in taken}


# Removes each member still at the score it was taken at: a write meanwhile moved it
# to a later time and it waits to be judged again.
_TAKE_OUT = """
local n = 0
for i = 1, #ARGV, 2 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then
    n = n + redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return n
"""


def _taken_out(connection, waiting: str, taken: dict[str, float]) -> None:
    if taken:
        pairs = [x for member, score in taken.items() for x in (member, repr(score))]
        connection.eval(_TAKE_OUT, 1, waiting, *pairs)


def _failed(connection, batch: list[str]) -> None:
    """A batch that could not be judged waits again, each dataset up to ``ATTEMPTS``
    times in all; then it is given up (logged: ``ckan vndata_quality`` can judge it)."""
    waiting, _queued, attempts = _keys()
    again = {}
    for package_id in batch:
        if connection.hincrby(attempts, package_id, 1) < ATTEMPTS:
            again[package_id] = time.time()
        else:
            connection.hdel(attempts, package_id)
            log.error("Conformance of %s given up: %d failures", package_id, ATTEMPTS)
    if again:  # later than when taken: _taken_out leaves it in the set
        connection.zadd(waiting, again, gt=True)


def _queue_run(connection) -> None:
    """Queue a run of the job unless one is queued already. The flag is set before
    enqueuing (two writers must not both enqueue) and cleared when enqueuing fails, so
    a failure does not stop every run for FLAG_SECONDS."""
    _waiting, queued, _attempts = _keys()
    if connection.set(queued, "1", nx=True, ex=FLAG_SECONDS):
        try:
            tk.enqueue_job(
                vndata_quality_conformance_job,
                title="vndata_quality: DCAT-AP conformance",
                rq_kwargs={"timeout": RUN_SECONDS},
            )
        except Exception:
            connection.delete(queued)
            raise


def vndata_quality_judge(
    package_ids: list[str], force: bool = False
) -> dict[str, conformance.Verdict]:
    """Judge the datasets ``package_ids`` as they are now, store the verdicts and
    rescore the datasets whose verdict changed. A dataset whose graph has the digest
    it was last judged on is skipped unless ``force``. Returns the verdicts reached
    (not those skipped); deleted or unknown datasets are left out."""
    datasets = [d for d in map(_dataset, package_ids) if d]
    graphs, verdicts = conformance.vndata_quality_graphs(datasets)
    digests = {i: conformance.vndata_quality_digest(g) for i, g in graphs.items()}
    rows = {
        row.package_id: row
        for row in model.Session.query(DatasetScore).filter(
            DatasetScore.package_id.in_([d["id"] for d in datasets])
        )
    }
    todo = {
        i: graph
        for i, graph in graphs.items()
        if force or i not in rows or rows[i].conformance_digest != digests[i]
    }
    verdicts.update(conformance.vndata_quality_judge_graphs(todo))
    changed = []
    for dataset in datasets:
        package_id = dataset["id"]
        if package_id not in verdicts:
            continue
        conformant, violations = verdicts[package_id]
        row = rows.get(package_id) or _new_row(dataset)
        if row.conformant is not conformant:
            changed.append(package_id)
        row.conformant = conformant
        row.conformance_digest = digests.get(package_id)
        row.violations = json.dumps(violations, ensure_ascii=False)
    model.Session.commit()
    if changed:
        dataset_score.vndata_quality_rescore(changed)
    return verdicts


def vndata_quality_judge_all(
    package_ids: Iterable[str] | None = None,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Judge many datasets (``package_ids``, or every active one), ``BATCH`` at a time,
    for the command line: ``progress(n)`` after each batch of n. Returns counts:
    {"judged", "skipped", "conformant"}."""
    if package_ids is None:
        package_ids = [
            row.id
            for row in model.Session.query(model.Package.id)
            .filter(model.Package.state == "active", model.Package.type == "dataset")
            .order_by(model.Package.id)
        ]
    ids = list(package_ids)
    counts = {"judged": 0, "skipped": 0, "conformant": 0}
    for start in range(0, len(ids), conformance.BATCH):
        batch = ids[start : start + conformance.BATCH]
        verdicts = vndata_quality_judge(batch, force=force)
        counts["judged"] += len(verdicts)
        counts["skipped"] += len(batch) - len(verdicts)
        counts["conformant"] += sum(1 for ok, _v in verdicts.values() if ok)
        if progress:
            progress(len(batch))
    return counts


def _dataset(package_id: str) -> dict[str, Any] | None:
    if not text.can_store(package_id):  # no dataset has such an id (NUL, surrogate)
        return None
    try:
        dataset = tk.get_action("package_show")(
            {"ignore_auth": True}, {"id": package_id}
        )
    except (tk.ObjectNotFound, tk.ValidationError):
        return None
    if dataset.get("state") != "active" or dataset.get("type") != "dataset":
        return None
    return dataset


def _new_row(dataset: dict[str, Any]) -> DatasetScore:
    # Filled by the rescore that follows a changed verdict (a new row always is one).
    row = DatasetScore(
        package_id=dataset["id"],
        points=0,
        rating="bad",
        tally="{}",
    )
    model.Session.add(row)
    return row
