"""Template helpers of the harvest pages: a Vietnamese job in the overview's words."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.harvest.model import HarvestJob

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import (
    config_keys,
    json_source,
    labels,
    report,
    schedule,
    source_urls,
)


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


def vndata_harvest_config_help(harvesters: list[dict]) -> list[dict[str, Any]]:
    """For the source form: each Vietnamese harvester type's example config and the
    meaning and default of each of its keys (config_keys.py)."""
    return [
        {
            "type": harvester["name"],
            "title": labels.harvester_title(harvester["name"]),
            "example": config_keys.example(harvester["name"]),
            "fields": config_keys.documented(harvester["name"]),
        }
        for harvester in harvesters
        if harvester.get("name") in report.VNDATA_TYPES
    ]


def vndata_harvest_config_errors(
    source_type: Any, config: Any
) -> list[tuple[str, list[str]]]:
    """The config's mistakes under their keys ("" first: the config as a whole)."""
    if source_type not in report.VNDATA_TYPES:
        return []
    by_key: dict[str, list[str]] = {}
    text = config if isinstance(config, str) else None
    for key, message in json_source.problems(source_type, text):
        by_key.setdefault(key, []).append(message)
    return sorted(by_key.items())


def vndata_harvest_sources_at_url(url: Any, source_type: Any, own_id: Any = None):
    return source_urls.sources_at(url, source_type, own_id, user=tk.g.user)


def vndata_harvest_overview_anchor(source: dict) -> str:
    """The overview's section of the source's province (views.py, overview.html)."""
    try:
        code = source_config.parse(source.get("config")).get("province_code")
    except source_config.ConfigError:
        code = None
    return f"tinh-{code or 'khac'}"


def vndata_schedule_weekdays() -> list[tuple[int, str]]:
    """(ISO weekday, its name) for the source form's schedule."""
    return [(day, tk._(name)) for day, name in schedule.WEEKDAYS.items()]


def get_helpers() -> dict:
    return {
        "vndata_harvest_overview_anchor": vndata_harvest_overview_anchor,
        "vndata_harvest_config_help": vndata_harvest_config_help,
        "vndata_harvest_config_errors": vndata_harvest_config_errors,
        "vndata_harvest_sources_at_url": vndata_harvest_sources_at_url,
        "vndata_harvester_title": labels.harvester_title,
        "vndata_harvester_description": labels.harvester_description,
        "vndata_harvest_frequency": labels.frequency,
        "vndata_harvest_job_status": labels.job_status,
        "vndata_harvest_plan_counts": vndata_harvest_plan_counts,
        "vndata_harvest_job_report": vndata_harvest_job_report,
        "vndata_harvest_status_label": vndata_harvest_status_label,
        "vndata_schedule_weekdays": vndata_schedule_weekdays,
    }
