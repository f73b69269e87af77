"""Template helpers of the harvest pages: a Vietnamese job in the overview's words."""

from __future__ import annotations

from typing import Any

from ckanext.harvest.model import HarvestJob

from ckanext.vndata.harvester import report


def vndata_harvest_job_report(job_id: str) -> dict[str, Any] | None:
    """report.job_report of a job of a Vietnamese source (None for other jobs).

    Only on the job's page, which ckanext-harvest shows after its own access check.
    """
    job = HarvestJob.get(job_id)
    if job is None or job.source is None or job.source.type not in report.VNDATA_TYPES:
        return None
    return report.job_report(job)


def vndata_harvest_status_label(status: str | None) -> str:
    return report.status_label(status)


def vndata_harvest_plan_counts(counts: dict[str, int]) -> str:
    return report.describe_plan_counts(counts)


def get_helpers() -> dict:
    return {
        "vndata_harvest_plan_counts": vndata_harvest_plan_counts,
        "vndata_harvest_job_report": vndata_harvest_job_report,
        "vndata_harvest_status_label": vndata_harvest_status_label,
    }
