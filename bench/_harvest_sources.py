"""68 harvest sources with jobs, for the dashboard step of bench_plan_report.py.

The national portal harvests the 34 provinces' portals and 34 ministries' (issue #20's
national bench): each source here has two finished jobs, the last one's 250 records
mostly unchanged, some updated, a few held back or imported with a message, and its 250
live datasets (17,000 in all). Rows are inserted in bulk: the step measures the
dashboard and the harvest overview, not the harvest.
"""

from __future__ import annotations

import datetime
import json
import uuid

SOURCES = 68
RECORDS = 250


def _id() -> str:
    return str(uuid.uuid4())


def insert_sources(session, province_codes: list[str]) -> list[str]:
    """The sources' ids (half provincial, half ministries' under province 01)."""
    from ckan import model
    from ckanext.harvest.model import (
        HarvestGatherError,
        HarvestJob,
        HarvestObject,
        HarvestObjectError,
        HarvestObjectExtra,
        HarvestSource,
    )

    from ckanext.vndata.harvester.quarantine import QUARANTINE

    now = datetime.datetime(2025, 9, 29, 2, 0)
    tables = {t: [] for t in ("package", "source", "job", "object", "extra", "error")}
    gather_errors, ids = [], []
    for n in range(SOURCES):
        source_id = _id()
        ids.append(source_id)
        province = province_codes[n % len(province_codes)] if n < 34 else "01"
        tables["source"].append(
            {"id": source_id, "url": f"https://du-lieu-{n}.gov.vn/catalog.ttl",
             "title": f"Cổng dữ liệu {n}", "type": "vndata_dcat", "active": True,
             "created": now, "frequency": "MANUAL",
             "config": json.dumps({"province_code": province})}
        )  # fmt: skip
        jobs = []
        for back in (1, 0):
            job_id = _id()
            jobs.append(job_id)
            start = now - datetime.timedelta(days=back)
            tables["job"].append(
                {"id": job_id, "source_id": source_id, "status": "Finished",
                 "created": start, "gather_started": start,
                 "gather_finished": start, "finished": start}
            )  # fmt: skip
        if n % 10 == 0:  # a tenth of the last jobs could not read their catalogue
            gather_errors.append(
                {"id": _id(), "harvest_job_id": jobs[-1], "created": now,
                 "message": "Không đọc được danh mục: hết thời gian chờ"}
            )  # fmt: skip
        for r in range(RECORDS):
            package_id = _id()
            tables["package"].append(
                {"id": package_id, "name": f"du-lieu-{n}-{r}", "type": "dataset",
                 "title": f"Dữ liệu {r} của nguồn {n}", "state": "active",
                 "private": False, "metadata_created": now,
                 "metadata_modified": now}
            )  # fmt: skip
            for job_id in jobs:
                last = job_id == jobs[-1]
                status = "updated" if r % 10 == 0 else "not modified"
                status = status if last else "added"
                if last and r % 50 == 1:
                    status = "errored"
                object_id = _id()
                tables["object"].append(
                    {"id": object_id, "guid": f"{n}-{r}", "harvest_job_id": job_id,
                     "harvest_source_id": source_id, "package_id": package_id,
                     "current": last and status != "errored",
                     "state": "ERROR" if status == "errored" else "COMPLETE",
                     "report_status": status, "gathered": now, "fetch_started": now,
                     "import_finished": now,
                     "content": json.dumps({"title": f"Dữ liệu {r}"})}
                )  # fmt: skip
                if last and r % 50 == 1:
                    tables["extra"].append(
                        {"id": _id(), "harvest_object_id": object_id,
                         "key": QUARANTINE, "value": "tiêu đề quá dài"}
                    )  # fmt: skip
                if last and r % 25 in (1, 2):
                    tables["error"].append(
                        {"id": _id(), "harvest_object_id": object_id, "stage": "Import",
                         "message": "Thiếu giấy phép; đã dùng giấy phép mặc định",
                         "created": now}
                    )  # fmt: skip
    for table, rows in (
        (model.Package.__table__, tables["package"]),
        (HarvestSource.__table__, tables["source"]),
        (HarvestJob.__table__, tables["job"]),
        (HarvestObject.__table__, tables["object"]),
        (HarvestObjectExtra.__table__, tables["extra"]),
        (HarvestObjectError.__table__, tables["error"]),
        (HarvestGatherError.__table__, gather_errors),
    ):  # fmt: skip
        session.execute(table.insert(), rows)
    session.commit()
    return ids
