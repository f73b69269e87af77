"""Harvest sources and their job reports, as the harvester tests make and read them."""

from __future__ import annotations

import json

from ckan.tests import factories, helpers

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


def newest_job_report(source_id: str) -> dict:
    """vndata_harvest_job_report of the source's latest job."""
    jobs = helpers.call_action(
        "harvest_job_list",
        context={"user": factories.Sysadmin()["name"]},
        source_id=source_id,
    )
    newest = max(jobs, key=lambda job: job["created"])
    return helpers.call_action("vndata_harvest_job_report", id=newest["id"])
