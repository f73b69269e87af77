"""Which links are due for a check, the background jobs that check them, and what is
kept of each check (the LinkCheck table, which the accessibility dimension reads).

A resource is due when it was never checked, its address changed, or its next check
time has passed: new and changed addresses first. A link that works is checked again
after ``link_check_interval_days``; one that fails after 6 hours, then 12, 24...
(at most four intervals): a short outage is seen to end, a dead link costs little.
Jobs (CKAN's RQ jobs, ``tk.enqueue_job``) each check a batch with a few threads, every
request through link_gate.py's per-host limits; a host that asks to be left alone
(429/503 with Retry-After) is held for every worker and its links are put off, with no
failure counted. After a batch, the datasets concerned are scored again.
"""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
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
    loses the verdict about the old one. Returns their resource ids."""
    now, ids = _now(), []
    for resource_id, package_id, url in due:
        link = model.Session.get(LinkCheck, resource_id)
        if link is None:
            link = LinkCheck(resource_id=resource_id, failures=0)
            model.Session.add(link)
        if link.url != url:
            link.url, link.status, link.ok, link.error = url, None, None, None
            link.checked, link.last_ok, link.failures = None, None, 0
        link.package_id, link.next_check = package_id, now + LEASE
        ids.append(resource_id)
    model.Session.commit()
    return ids


def vndata_links_enqueue(
    org_id: str | None = None, source_id: str | None = None, everything: bool = False
) -> int:
    """Enqueue jobs for the due links (batches of ``link_check_batch``); their count."""
    ids = vndata_links_lease(vndata_links_due(org_id, source_id, everything))
    size = _config_int("link_check_batch")
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
        model.Session.query(model.Resource)
        .filter(model.Resource.id.in_(list(resource_ids)))
        .filter(model.Resource.state == "active")
        .all()
    )
    targets = [
        (res.id, res.package_id, res.url or "", _target(res)) for res in resources
    ]
    model.Session.remove()  # no connection held while the network is waited for
    gate = link_gate.HostGate()

    def run(target: tuple[str, str]) -> link_check.LinkResult | link_gate.HostBusy:
        try:
            return _check(target, gate)
        except link_gate.HostBusy as busy:
            return busy
        except Exception:  # a bug must not stop the batch: one link fails, logged
            log.exception("link check of %s", url_safety.shown(target[1]))
            return link_check.LinkResult(None, False, "connection")

    summary: dict[str, int] = {}
    retry: list[str] = []
    with ThreadPoolExecutor(_config_int("link_check_threads")) as pool:
        for (rid, pid, url, target), result in zip(
            targets, pool.map(run, [t[3] for t in targets]), strict=True
        ):
            code = _store(rid, pid, url, result, gate)
            if code == "later" and _wait_seconds(result) <= gate.max_wait:
                retry.append(rid)  # a short pause or a busy host: ask again soon
            summary[code] = summary.get(code, 0) + 1
            if progress:
                progress(None if code == "ok" else code)
    model.Session.commit()
    if retry and attempt < _MAX_ATTEMPTS:
        _enqueue(retry, attempt + 1)
    dataset_score.vndata_quality_rescore(
        sorted({pid for _rid, pid, _url, _t in targets})
    )
    return summary


def _target(resource: model.Resource) -> tuple[str, str]:
    """What to ask: ("link", its address), or for an uploaded file ("upload", its
    path), checked in the portal's storage (the portal does not ask itself over
    HTTP). A pair, never a marked string: a link may be written ``file:/etc/...``."""
    if resource.url_type == "upload":
        upload = uploader.get_resource_uploader(
            {"id": resource.id, "url_type": "upload"}
        )
        path = upload.get_path(resource.id) if upload.storage_path else ""
        return ("upload", path)
    return ("link", resource.url or "")


def _check(target: tuple[str, str], gate) -> link_check.LinkResult:
    kind, value = target
    if kind == "upload":
        found = bool(value) and os.path.isfile(value)
        return link_check.LinkResult(None, found, None if found else "missing_file")
    return link_check.vndata_check_link(value, gate)


def _store(resource_id, package_id, url, result, gate) -> str:
    """Keep ``result`` for the resource; the summary code it counts under."""
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
        return "later"
    if result.error == "rate_limited":
        host = url_safety.origin(url)
        if host:
            gate.hold(host[1], result.retry_after or link_check.DEFAULT_RETRY_AFTER)
        link.next_check = now + datetime.timedelta(seconds=result.retry_after or 60)
        return "later"
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
        return "ok"
    if result.error == "http_error":
        return f"http_error:{result.status}"  # the summary counts each status apart
    return result.error or "connection"


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
