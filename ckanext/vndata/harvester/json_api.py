"""The ``vndata_json`` harvester: provincial portals and data-sharing gateways that
serve neither DCAT nor CKAN's API, described in the source's config (issue 21).

The source's URL is the API's list endpoint; ``paging`` says how it is paged,
``mapping`` where a record's identity, modification stamp, publisher, fields and
files are (json_mapping.py), and the source's login (login.py: Basic, a bearer or API
key, OAuth 2 client credentials) goes to that origin only. What the other types
guarantee holds here too, through the same code: identity scoped to the source, the
whole list read each run so that records that left it are withdrawn safely
(deletion.py), an unchanged record not written, the source's limits and network
safety on every request, publisher rules, quarantine, the Vietnamese schema's
validation, and the job's report.

When ``detail_url`` is set, each record is read again there in the fetch stage,
unless the list gives the same ``modified`` value as the record's last import: an
unchanged record costs one listing, not one request.
"""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import (
    deletion,
    gather_outcome,
    identity,
    job_state,
    json_mapping,
    json_records,
    json_source,
    language,
)
from ckanext.vndata.harvester.import_stage import VndataImportMixin, object_status
from ckanext.vndata.lib import url_safety
from ckanext.vndata.lib.text import storable

log = logging.getLogger(__name__)

MAX_MESSAGES = 20  # records left out named in the job's report; then a count
# The harvest object's extra that keeps the list's modification stamp of the record.
MODIFIED = "vndata_modified"


class VndataJSONHarvester(VndataImportMixin, HarvesterBase):
    def info(self) -> dict[str, str]:
        return {
            "name": "vndata_json",
            "title": "JSON API (Việt Nam)",
            "description": "Thu thập từ cổng dữ liệu, trục chia sẻ có API JSON riêng, "
            "mô tả bằng cấu hình nguồn (JMESPath).",
        }

    def validate_config(self, config: str | None) -> str | None:
        """Every mistake at once: the keys all types read (config.py) and this
        type's paging, detail, login and mapping (json_source.py)."""
        problems = json_source.problems("vndata_json", config)
        if problems:
            raise ValueError(" ".join(message for _key, message in problems))
        return config

    # -- gather ----------------------------------------------------------------------
    @language.in_portal_language  # the job's messages
    def gather_stage(self, harvest_job) -> list[str]:
        try:
            object_ids = self._gather(harvest_job)
        except Exception as error:  # ours, the session's: never out
            gather_outcome.fail(self, harvest_job, error)
            object_ids = []
        return gather_outcome.queued_only(harvest_job, object_ids)

    def _gather(self, harvest_job) -> list[str]:
        job = job_state.VndataHarvestJob.for_gather(harvest_job)
        mapping, problems = json_source.check(job.config)
        if mapping is None or problems:
            for _key, message in problems:
                self._save_gather_error(message, harvest_job)
            return []
        url = harvest_job.source.url
        try:
            url_safety.check_url(url)
            listed = self._listed(job, mapping, url)
        except (url_safety.UnsafeTarget, gather_outcome.CatalogueError) as error:
            self._save_gather_error(str(error), harvest_job)
            return []  # an unreadable list withdraws nothing
        for message in job.unusable:  # records of the list that were left out
            self._save_gather_error(message, harvest_job)
        if not listed:
            self._save_gather_error(
                tk._("The API {url} lists no dataset; nothing was withdrawn.").format(
                    url=url_safety.shown(url)
                ),
                harvest_job,
            )
        object_ids, guids = [], []
        for record_id, record in listed.items():
            guid = f"{harvest_job.source.id}/{record_id}"
            extras = []
            stamp = json_records.modified(mapping, record)
            if stamp is not None:
                extras.append(HarvestObjectExtra(key=MODIFIED, value=storable(stamp)))
            obj = HarvestObject(
                guid=guid, job=harvest_job, content=json.dumps(record), extras=extras
            )
            obj.save()
            object_ids.append(obj.id)
            guids.append(guid)
        withdrawals = []
        if not gather_outcome.has_errors(harvest_job):  # an error withdraws nothing
            withdrawals, refusal = deletion.mark(
                harvest_job, guids, job.config["deletion"], datetime.date.today()
            )
            if refusal:
                self._save_gather_error(refusal, harvest_job)
        return object_ids + withdrawals

    def _listed(self, job, mapping: json_mapping.Mapping, url: str) -> dict[str, Any]:
        """{identity: record} of every page of the list, in its order."""
        listed: dict[str, Any] = {}
        path, left_out = mapping.identity.source, 0
        for page_url, records in json_source.pages(job, mapping, url):
            for position, record in enumerate(records, start=1):
                record_id = json_records.identity(mapping, record)
                if record_id is None or not json_records.usable_identity(record_id):
                    message = tk._(
                        "Record {n} of {url} has no usable identity at {path}; it "
                        "was left out, and nothing is withdrawn this run."
                    ).format(n=position, url=url_safety.shown(page_url), path=path)
                elif record_id in listed:
                    message = tk._(
                        "The identity {id} is listed twice; only its first record "
                        "was taken, and nothing is withdrawn this run."
                    ).format(id=record_id)
                else:
                    listed[record_id] = record
                    continue
                left_out += 1
                if left_out <= MAX_MESSAGES:  # a row each in the job's report
                    job.unusable.append(message)
        if left_out > MAX_MESSAGES:
            job.unusable.append(
                tk._("{n} more records were left out.").format(
                    n=left_out - MAX_MESSAGES
                )
            )
        return listed

    # -- fetch -----------------------------------------------------------------------
    @language.in_portal_language
    def fetch_stage(self, harvest_object) -> bool | str:
        """The record's detail, when the source has a detail endpoint and the record
        changed (or cannot tell): read into the object's content."""
        if object_status(harvest_object) == "delete":
            return True
        config = source_config.parse(harvest_object.source.config)
        if not config.get("detail_url"):
            return True
        previous = identity.previous_import(harvest_object)
        stamp = _extra(harvest_object, MODIFIED)
        if (
            previous is not None
            and previous is not harvest_object
            and stamp is not None
            and _extra(previous, MODIFIED) == stamp
        ):
            harvest_object.content = previous.content  # its detail, read before
            harvest_object.save()
            return True
        job = job_state.VndataHarvestJob.for_gather(harvest_object.job)
        record_id = harvest_object.guid.split("/", 1)[1]
        try:
            found = json_source.detail(job, record_id)
        except gather_outcome.CatalogueError as error:
            self._save_object_error(str(error), harvest_object, "Fetch")
            return False
        if not isinstance(found, dict):
            self._save_object_error(
                tk._("The detail of record {id} is not a JSON object.").format(
                    id=record_id
                ),
                harvest_object,
                "Fetch",
            )
            return False
        harvest_object.content = json.dumps(found)
        harvest_object.save()
        return True

    # -- import ----------------------------------------------------------------------
    def import_stage(self, harvest_object) -> bool | str:
        return self._vndata_import(harvest_object, self._import_record)

    def _import_record(self, job: job_state.VndataHarvestJob, harvest_object) -> bool:
        if object_status(harvest_object) == "delete":
            return self._vndata_withdraw(harvest_object)
        mapping = json_mapping.parse(
            job.config["mapping"], *json_mapping.schema_fields()
        )
        record = json.loads(harvest_object.content)
        package, notes = json_records.package(mapping, record)
        publisher = json_records.publisher(mapping, record)
        agency = {"title": publisher} if publisher else {}
        package = self._vndata_prepare(job, package, agency, notes, harvest_object)
        for note in notes:  # what was left out, on the record's report (warn)
            self._save_object_error(note, harvest_object, "Import")
        return self._vndata_write(job, harvest_object, package)


def _extra(harvest_object: HarvestObject, key: str) -> str | None:
    return next((e.value for e in harvest_object.extras if e.key == key), None)
