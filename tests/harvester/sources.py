"""Harvest sources, their jobs (in-process or through the real queues) and reports."""

from __future__ import annotations

import contextlib
import json
import pathlib
import time
from typing import Iterator

from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from tests.helpers import ckan_process, csrf_token, ini_over_test_ini

# A Đà Nẵng source that fills what the test catalogues leave out.
SOURCE_CONFIG = {
    "province_code": "48",
    "defaults": {
        "data_sharing_class": "mo",
        "data_importance_class": "khac",
        "update_frequency": "khong_dinh_ky",
    },
    "personal_data_assessed": True,
}


def harvest_source(
    url: str,
    name: str = "cong-du-lieu-da-nang",
    source_type: str = "vndata_dcat",
    owner_org: str | None = None,
    title: str | None = None,
    **config,
) -> dict:
    """A source of its own organization, with SOURCE_CONFIG under ``config``."""
    data = {"title": title} if title else {}
    return helpers.call_action(
        "harvest_source_create",
        context={"user": factories.Sysadmin()["name"]},
        name=name,
        url=url,
        source_type=source_type,
        owner_org=owner_org or factories.Organization()["id"],
        config=json.dumps({**SOURCE_CONFIG, **config}),
        **data,
    )


def objects_of_a_running_job(count: int, state: str = "IMPORT") -> list[HarvestObject]:
    """A source's running job with ``count`` harvest objects in ``state``."""
    source = harvest_source("http://127.0.0.1:9/catalog")
    job = HarvestJob(source_id=source["id"], status="Running")
    job.save()
    objects = []
    for number in range(count):
        harvest_object = HarvestObject(
            guid=f"ds-{number}", job=job, source=job.source, state=state
        )
        harvest_object.save()
        objects.append(harvest_object)
    return objects


def newest_job_report(source_id: str) -> dict:
    """vndata_harvest_job_report of the source's latest job."""
    jobs = helpers.call_action(
        "harvest_job_list",
        context={"user": factories.Sysadmin()["name"]},
        source_id=source_id,
    )
    newest = max(jobs, key=lambda job: job["created"])
    return helpers.call_action("vndata_harvest_job_report", id=newest["id"])


@contextlib.contextmanager
def harvest_consumers(tmp_path: pathlib.Path, fetch_consumers: int = 2) -> Iterator:
    """ckanext-harvest's gather consumer and fetch consumers as `ckan` processes.

    They use the test database, Solr core and Redis, and may fetch from loopback.
    Their log is ``tmp_path / "consumers.log"``.
    """
    ini = ini_over_test_ini(
        tmp_path / "consumers.ini",
        **{"ckanext.vndata.harvester.allowed_hosts": "127.0.0.1"},
    )
    queue.purge_queues()  # jobs of earlier tests must not reach these consumers
    with (tmp_path / "consumers.log").open("w") as log, contextlib.ExitStack() as stack:
        kinds = ["gather-consumer"] + ["fetch-consumer"] * fetch_consumers
        for kind in kinds:
            stack.enter_context(ckan_process(ini, "vndata_harvester", kind, log=log))
        yield


def harvest_through_queues(
    source_ids: list[str], seconds: float = 180
) -> dict[str, HarvestJob]:
    """One job per source, run by the consumers; {source id: finished job}."""
    sysadmin = {"user": factories.Sysadmin()["name"]}
    jobs = {
        source_id: helpers.call_action(
            "harvest_job_create", context=sysadmin, source_id=source_id, run=True
        )["id"]
        for source_id in source_ids
    }
    deadline = time.monotonic() + seconds
    while not all(_done(job_id) for job_id in jobs.values()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"harvest jobs not done within {seconds}s")
        time.sleep(0.5)
    # As the scheduler would: mark the jobs finished once their objects are done.
    helpers.call_action("harvest_jobs_run", context={"ignore_auth": True})
    return {source_id: HarvestJob.get(job_id) for source_id, job_id in jobs.items()}


def _done(job_id: str) -> bool:
    model.Session.remove()  # see what the consumers committed
    job = HarvestJob.get(job_id)
    if job.gather_finished is None and job.status != "Finished":
        return False
    states = {o.state for o in HarvestObject.filter(harvest_job_id=job_id)}
    return states <= {"COMPLETE", "ERROR"}


TURTLE_PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vndata: <https://w3id.org/vndata/ns#> .
"""


def turtle_record(n: int, title: str | None = None, **distribution: str) -> str:
    """Record ``n`` in Turtle; ``distribution`` adds its predicates (Turtle values)."""
    title = f"Tập dữ liệu số {n}" if title is None else title
    lines = [f'dct:title "{title}"@vi'] if title else []
    body = f"""<http://127.0.0.1/ds/{n}> a dcat:Dataset ;
    {" ; ".join(lines + [f'dct:description "Mô tả {n}"@vi'])} ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/EDUC> ;
    dcat:distribution <http://127.0.0.1/ds/{n}/csv> .
<http://127.0.0.1/ds/{n}/csv> a dcat:Distribution ;
    dcat:accessURL <http://127.0.0.1/files/{n}.csv>"""
    for predicate, value in distribution.items():
        body += f" ;\n    {predicate.replace('__', ':')} {value}"
    return body + " .\n"


def turtle_catalogue(records: dict[int, str], catalog: str | None = None) -> bytes:
    """A page of ``records`` ({n: turtle_record(n)}); ``catalog`` replaces the
    dcat:Catalog node ("" leaves it out). The default one has no dct:publisher."""
    if catalog is None:
        catalog = '<http://127.0.0.1/catalog> a dcat:Catalog ; dct:title "Đà Nẵng"@vi'
        for n in records:
            catalog += f" ;\n    dcat:dataset <http://127.0.0.1/ds/{n}>"
        catalog += " .\n"
    return (TURTLE_PREFIXES + catalog + "".join(records.values())).encode("utf-8")


def overview_row(source_id: str) -> dict:
    """The source's row of vndata_harvest_overview."""
    rows = helpers.call_action("vndata_harvest_overview")
    return next(row for row in rows if row["source_id"] == source_id)


def active_datasets() -> int:
    return helpers.call_action("package_search", q="*:*")["count"]


def create_job(source_id: str) -> dict:
    """harvest_job_create as a sysadmin, without running the job."""
    return helpers.call_action(
        "harvest_job_create",
        context={"user": factories.Sysadmin()["name"]},
        source_id=source_id,
        run=False,
    )


def activities(dataset_id: str) -> int:
    """How many activities the dataset has (each write makes one)."""
    return len(
        helpers.call_action(
            "package_activity_list",
            context={"user": factories.Sysadmin()["name"]},
            id=dataset_id,
            limit=100,
        )
    )


def post_source_form(app, source: dict, headers: dict, **fields):
    """The source's edit form posted as a browser does: its values, ``fields`` over
    them (a sysadmin's ``headers``)."""
    form = app.get(f"/harvest/edit/{source['name']}", headers=headers)
    data = {
        "name": source["name"],
        "title": source.get("title") or "",
        "url": source["url"],
        "source_type": source["source_type"],
        "config": source["config"],
        "frequency": "MANUAL",
        "owner_org": source["owner_org"],
        "save": "",
        "_csrf_token": csrf_token(form.get_data(as_text=True)),
    }
    return app.post(
        f"/harvest/edit/{source['name']}", data={**data, **fields}, headers=headers
    )
