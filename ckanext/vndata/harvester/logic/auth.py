"""Harvest reports are for the national operators: sysadmins (CKAN passes them)."""

from __future__ import annotations

from ckan.types import AuthResult, Context, DataDict


def vndata_harvest_report(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": False}


def get_auth_functions() -> dict:
    return {
        "vndata_harvest_job_report": vndata_harvest_report,
        "vndata_harvest_overview": vndata_harvest_report,
        "vndata_harvest_duplicates": vndata_harvest_report,
    }
