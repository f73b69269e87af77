"""Helpers of the quality tests: a dataset brought by a harvest source."""

from __future__ import annotations

from ckanext.harvest.model import HarvestJob, HarvestObject

from tests.harvester.sources import harvest_source


def source_bringing(*datasets: dict, name: str = "cong-du-lieu-da-nang") -> dict:
    """A harvest source whose current harvest objects are ``datasets``."""
    source = harvest_source("http://127.0.0.1:9/catalog", name=name)
    job = HarvestJob(source_id=source["id"], status="Finished")
    job.save()
    for number, dataset in enumerate(datasets):
        HarvestObject(
            guid=f"{name}-{number}", job=job, source=job.source,
            package_id=dataset["id"], current=True, state="COMPLETE",
        ).save()  # fmt: skip
    return source
