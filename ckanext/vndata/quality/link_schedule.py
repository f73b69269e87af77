"""Which links are due for a check, the background jobs that check them, and what is
kept of each check (the LinkCheck table, which the accessibility dimension reads).

A resource is due when it was never checked, its address changed, or its next check
time has passed: new and changed addresses first. A link that works is checked again
after ``link_check_interval_days``; one that fails after 6 hours, then 12, 24...
(at most four intervals): a short outage is seen to end, a dead link costs little.
Jobs (CKAN's RQ jobs, ``tk.enqueue_job``) each check a batch with a few threads, every
request through link_gate.py's per-host limits; a host that asks to be left alone
(429/503 with Retry-After) is held for every worker and its links are put off, with no
failure counted. Each verdict is committed as it comes; after a batch, the datasets
whose verdicts changed are scored again (a run's batches hold a dataset's links
together). Data held only in the DataStore works when its table exists.
"""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import ckan.plugins.toolkit as tk
from ckan import model, plugins
from ckan.lib import uploader
from ckanext.harvest.model import HarvestObject

from ckanext.vndata.lib import url_safety
from ckanext.vndata.quality import dataset_score, link_check, link_gate
from ckanext.vndata.quality.model import LinkCheck

log = logging.getLogger(__name__)

# A link handed to a job is not handed out again for this long (the job may wait in
# the queue); if the job is lost, the link is due again afterwards.
LEASE = datetime.timedelta(hours=6)
FIRST_RETRY = datetime.timedelta(hours=6)
_MAX_ATTEMPTS = 3  # re-queues of a batch whose host asked for a pause
_LEASE_CHUNK = 1000  # links leased by one statement
_MAX_JOBS = 200  # jobs queued by one run (a first run does not queue the whole portal)


def _now() -> datetime.datetime:
    return datetime.datetime.utcnow()


def _config_int(key: str) -> int:
    return max(1, tk.asint(tk.config.get(f"ckanext.vndata.quality.{key}")))


def vndata_links_due(
    org_id: str | None = None,
    source_id: str | None = None,
    everything: bool = False,
    limit: int | None = None,
) -> list[tuple[str, str, str]]:
    """(resource id, dataset id, address) of the active resources of active datasets
    that are due, new and changed addresses first (``everything``: all of them).
    ``org_id``: of that organization; ``source_id``: brought by that harvest source."""
    now = _now()
    fresh = sa.or_(LinkCheck.resource_id.is_(None), LinkCheck.url != model.Resource.url)
    query = (
        model.Session.query(
            model.Resource.id, model.Resource.package_id, model.Resource.url
        )
        .join(model.Package, model.Package.id == model.Resource.package_id)
        .outerjoin(LinkCheck, LinkCheck.resource_id == model.Resource.id)
        .filter(
            model.Package.state == "active",
            model.Package.type == "dataset",
            model.Resource.state == "active",
        )
    )
    if org_id:
        query = query.filter(model.Package.owner_org == org_id)
    if source_id:
        query = query.join(
            HarvestObject, HarvestObject.package_id == model.Package.id
        ).filter(
            HarvestObject.current.is_(True),
            HarvestObject.harvest_source_id == source_id,
        )
    if not everything:
        query = query.filter(
            sa.or_(fresh, LinkCheck.next_check.is_(None), LinkCheck.next_check <= now)
        )
    query = query.order_by(
        sa.case((fresh, 0), else_=1), LinkCheck.next_check.asc().nullsfirst()
    )
    if limit:
        query = query.limit(limit)
    return [tuple(row) for row in query]


def vndata_links_lease(due: Iterable[tuple[str, str, str]]) -> list[str]:
    """Mark ``due`` as handed to a job (not due again for LEASE); a changed address
    loses the verdict about the old one. One upsert per chunk of _LEASE_CHUNK links.
    Returns their resource ids."""
    due, until = list(due), _now() + LEASE
    table = LinkCheck.__table__
    for start in range(0, len(due), _LEASE_CHUNK):
        rows = [
            dict(resource_id=r, package_id=p, url=u, failures=0, next_check=until)
            for r, p, u in due[start : start + _LEASE_CHUNK]
        ]
        insert = postgresql.insert(table).values(rows)
        new = insert.excluded
        moved = table.c.url.is_distinct_from(new.url)  # the old verdict is dropped
        kept = {
            name: sa.case((moved, None), else_=table.c[name])
            for name in ("status", "ok", "error", "checked", "last_ok")
        }
        model.Session.execute(
            insert.on_conflict_do_update(
                index_elements=[table.c.resource_id],
                set_={
                    **kept,
                    "failures": sa.case((moved, 0), else_=table.c.failures),
                    "url": new.url,
                    "package_id": new.package_id,
                    "next_check": until,
                },
            )
        )
    model.Session.commit()
    return [resource_id for resource_id, _p, _u in due]


def vndata_links_enqueue(
    org_id: str | None = None, source_id: str | None = None, everything: bool = False
) -> int:
    """Enqueue jobs for the due links (at most _MAX_JOBS batches of
    ``link_check_batch`` a run: the rest stay due for the next run), a dataset's links
    together so that it is rescored once; their count."""
    size = _config_int("link_check_batch")
    due = vndata_links_due(org_id, source_id, everything, limit=size * _MAX_JOBS)
    due.sort(key=lambda row: row[1])  # by dataset
    ids = vndata_links_lease(due)
    for start in range(0, len(ids), size):
        _enqueue(ids[start : start + size], 0)
    return len(ids)


def _enqueue(resource_ids: list[str], attempt: int) -> None:
    tk.enqueue_job(
        vndata_links_check_job,
        [resource_ids, attempt],
        title=f"vndata_quality link check ({len(resource_ids)})",
        queue=tk.config.get("ckanext.vndata.quality.link_check_queue") or "default",
        rq_kwargs={"timeout": 3600},
    )


def vndata_links_check_job(resource_ids: list[str], attempt: int = 0) -> None:
    """The background job: check ``resource_ids``, store, rescore their datasets."""
    vndata_links_check(resource_ids, attempt=attempt)


def vndata_links_check(
    resource_ids: list[str],
    attempt: int = 0,
    progress: Callable[[str | None], None] | None = None,
) -> dict[str, int]:
    """Check the links of ``resource_ids`` now and store the results; ``progress``
    is called after each with its error code (None: it works). Returns the count of
    links per error code ("ok" for those that work, "http_error:404" per status,
    "later" for those put off)."""
    resources = (
        model.Session.query(
            model.Resource.id,
            model.Resource.package_id,
            model.Resource.url,
            model.Resource.url_type,
        )
        .filter(model.Resource.id.in_(list(resource_ids)))
        .filter(model.Resource.state == "active")
        .all()
    )
    model.Session.remove()  # no connection held while the network is waited for
    gate = link_gate.HostGate()

    def run(resource) -> link_check.LinkResult | link_gate.HostBusy:
        try:  # the storage's path too: another uploader may raise
            return _check(_target(resource), gate)
        except link_gate.HostBusy as busy:
            return busy
        except Exception:  # a bug must not stop the batch: one link fails, logged
            log.exception("link check of %s", url_safety.shown(resource.url or ""))
            return link_check.LinkResult(None, False, "connection")

    summary: dict[str, int] = {}
    retry: list[str] = []
    changed: set[str] = set()
    with ThreadPoolExecutor(_config_int("link_check_threads")) as pool:
        futures = {pool.submit(run, res): res for res in resources}
        for future in as_completed(futures):
            rid, pid, url, _type = futures[future]
            result = future.result()
            code, moved = _store(rid, pid, url or "", result, gate)
            model.Session.commit()  # each verdict kept as it comes (a job may die)
            if moved:
                changed.add(pid)
            if code == "later" and _wait_seconds(result) <= gate.max_wait:
                retry.append(rid)  # a short pause or a busy host: ask again soon
            summary[code] = summary.get(code, 0) + 1
            if progress:
                progress(None if code == "ok" else code)
    model.Session.remove()
    if retry and attempt < _MAX_ATTEMPTS:
        _enqueue(retry, attempt + 1)
    if changed:  # a dataset whose links kept their verdicts keeps its score
        _rescore(sorted(changed))
    return summary


def _rescore(package_ids: list[str]) -> None:
    """Score ``package_ids`` again; one that cannot be (CKAN's package_show raises on
    an address urllib cannot parse, such as ``a://[``) keeps its old score, logged:
    the verdicts are stored already and the others are scored."""
    try:
        dataset_score.vndata_quality_rescore(package_ids)
        return
    except Exception:
        model.Session.rollback()
    for package_id in package_ids:
        try:
            dataset_score.vndata_quality_rescore([package_id])
        except Exception:
            model.Session.rollback()
            log.exception("rescoring %s after its link checks", package_id)


def _target(resource) -> tuple[str, str]:
    """What to ask: ("link", its address); for an uploaded file ("upload", its path),
    checked in the portal's storage (the portal does not ask itself over HTTP); for
    data held only in the DataStore ("datastore", the resource id). A pair, never a
    marked string: a link may be written ``file:/etc/...``."""
    if resource.url_type == "upload":
        upload = uploader.get_resource_uploader(
            {"id": resource.id, "url_type": "upload"}
        )
        path = upload.get_path(resource.id) if upload.storage_path else ""
        return ("upload", path)
    if resource.url_type == "datastore":
        return ("datastore", resource.id)
    return ("link", resource.url or "")


def _check(target: tuple[str, str], gate) -> link_check.LinkResult:
    kind, value = target
    if kind == "upload":
        found = bool(value) and os.path.isfile(value)
        return link_check.LinkResult(None, found, None if found else "missing_file")
    if kind == "datastore":
        found = _datastore_table(value)
        return link_check.LinkResult(None, found, None if found else "missing_table")
    return link_check.vndata_check_link(value, gate)


def _datastore_table(resource_id: str) -> bool:
    """Whether the DataStore holds the resource's table (False without a DataStore)."""
    if not plugins.plugin_loaded("datastore"):
        return False
    from ckanext.datastore.backend import DatastoreBackend  # only with the plugin

    return bool(DatastoreBackend.get_active_backend().resource_exists(resource_id))


def _store(resource_id, package_id, url, result, gate) -> tuple[str, bool]:
    """Keep ``result`` for the resource; the summary code it counts under and whether
    the verdict changed (the dataset's score has to be computed again)."""
    now = _now()
    link = model.Session.get(LinkCheck, resource_id)
    if link is None:
        link = LinkCheck(
            resource_id=resource_id, package_id=package_id, url=url, failures=0
        )
        model.Session.add(link)
    link.package_id = package_id
    if isinstance(result, link_gate.HostBusy):
        link.next_check = now + datetime.timedelta(seconds=result.seconds)
        return "later", False
    if result.error == "rate_limited":
        host = url_safety.origin(url)
        if host:
            gate.hold(host[1], result.retry_after or link_check.DEFAULT_RETRY_AFTER)
        link.next_check = now + datetime.timedelta(seconds=result.retry_after or 60)
        return "later", False
    moved = link.url != url or link.checked is None or link.ok != result.ok
    if link.url != url:
        link.last_ok, link.failures = None, 0
    link.url, link.status, link.ok, link.error = url, result.status, result.ok, None
    link.checked = now
    if result.ok:
        link.last_ok, link.failures = now, 0
    else:
        link.error, link.failures = result.error, (link.failures or 0) + 1
    link.next_check = now + _wait(result.ok, link.failures)
    if result.ok:
        return "ok", moved
    if result.error == "http_error":  # the summary counts each status apart
        return f"http_error:{result.status}", moved
    return result.error or "connection", moved


def _wait_seconds(result) -> float:
    """How long a put-off link has to wait (HostBusy or a rate-limited result)."""
    if isinstance(result, link_gate.HostBusy):
        return result.seconds
    return result.retry_after or link_check.DEFAULT_RETRY_AFTER


def _wait(ok: bool, failures: int) -> datetime.timedelta:
    interval = datetime.timedelta(days=_config_int("link_check_interval_days"))
    if ok:
        return interval
    return min(FIRST_RETRY * 2 ** min(failures - 1, 10), interval * 4)
