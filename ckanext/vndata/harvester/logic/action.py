"""Read-only actions over the Vietnamese harvests (report.py does the counting)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict
from ckanext.harvest.model import HarvestJob

from ckanext.vndata.harvester import duplicates, report


@tk.side_effect_free
def vndata_harvest_job_report(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Counts (added, updated, unchanged, withdrawn, quarantined, errors), gather
    errors and each record's messages for one job.

    :param id: the harvest job id
    """
    tk.check_access("vndata_harvest_job_report", context, data_dict)
    job = HarvestJob.get(tk.get_or_bust(data_dict, "id"))
    if job is None:
        raise tk.ObjectNotFound(tk._("Harvest job not found"))
    return report.job_report(job)


@tk.side_effect_free
def vndata_harvest_overview(context: Context, data_dict: DataDict) -> list[dict]:
    """Every Vietnamese harvest source by province: its datasets, its last job, its
    last successful harvest and its cross-source duplicates."""
    tk.check_access("vndata_harvest_overview", context, data_dict)
    return report.overview()


@tk.side_effect_free
def vndata_harvest_duplicates(context: Context, data_dict: DataDict) -> list[dict]:
    """Datasets harvested from more than one source, with every origin."""
    tk.check_access("vndata_harvest_duplicates", context, data_dict)
    return duplicates.duplicate_pairs()


def get_actions() -> dict:
    return {
        "vndata_harvest_job_report": vndata_harvest_job_report,
        "vndata_harvest_overview": vndata_harvest_overview,
        "vndata_harvest_duplicates": vndata_harvest_duplicates,
    }
