"""The ``vndata_ckan`` harvester: provincial portals that run CKAN (Action API v3).

It keeps ckanext-harvest's CKANHarvester paging through package_search, and changes
what the national portal needs: every run lists the whole catalogue (so records that
left it are found, and withdrawn safely: deletion.py), identity is scoped to the source
(the remote id is not reused as the national id, so two provinces cannot collide),
unchanged records are not written, every request uses the source's timeout, login,
retries, size cap and rate, and records are validated by the Vietnamese schema.
"""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
from ckanext.harvest.harvesters.ckanharvester import (
    CKANHarvester,
    ContentFetchError,
    SearchError,
)
from ckanext.harvest.model import HarvestObject

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import (
    deletion,
    gather_outcome,
    job_state,
    language,
    plan_gather,
    session,
)
from ckanext.vndata.harvester.import_stage import VndataImportMixin, object_status
from ckanext.vndata.lib import url_safety
from ckanext.vndata.lib.text import storable

log = logging.getLogger(__name__)

MAX_ID_CHARS = 500  # CKAN's own ids are 36; a longer one is not an id

# The fields of a remote organization that publisher rules and new organizations use.
AGENCY_FIELDS = ("title", "agency_code", "province_code", "website")
# Keys of a remote package_show dict that only make sense on the remote portal.
REMOTE_ONLY = (
    "id",
    "owner_org",
    "organization",
    "groups",
    "relationships_as_object",
    "relationships_as_subject",
    "revision_id",
    "metadata_created",
    "metadata_modified",
    "creator_user_id",
    "state",
    "num_resources",
    "num_tags",
    "tracking_summary",
    "openness_stars",  # computed again here
)
REMOTE_ONLY_RESOURCE = (
    "id",
    "package_id",
    "revision_id",
    "url_type",
    "position",
    "state",
    "metadata_modified",
    "cache_url",
    "cache_last_updated",
    "datastore_active",
    "tracking_summary",
    "openness_stars",
)


class VndataCKANHarvester(VndataImportMixin, CKANHarvester):
    # One instance serves every job of the process: a job's state is a
    # job_state.VndataHarvestJob, made by each stage, never kept here. ckanext-harvest
    # has no public extension point for what changes here; private methods overridden:
    # - _get_content: each page of the dataset list within the source's limits, read
    #   through session.py, checked for shape (search_page) before the parent's
    #   _search_for_datasets reads it;
    # - _set_config: CKANHarvester's own options stay at their defaults;
    # - in import_stage.py, _save_object_error and _gen_new_name, as for vndata_dcat.

    def info(self) -> dict[str, str]:
        return {
            "name": "vndata_ckan",
            "title": "CKAN API (Việt Nam)",
            "description": "Thu thập từ cổng dữ liệu tỉnh, bộ chạy CKAN (API v3).",
        }

    def validate_config(self, config: str | None) -> str | None:
        try:
            source_config.parse(config)
        except source_config.ConfigError as error:
            raise ValueError(str(error))
        return config  # ckanext-harvest stores what this returns

    def _set_config(self, config_str: str | None) -> None:
        # CKANHarvester's own options (remote_orgs, default_tags ...) stay at defaults;
        # organizations are chosen by the source's publisher rules instead. The
        # source's config is the job's (job_state.py), never kept here.
        self.config = {}

    @language.in_portal_language  # the job's messages
    def gather_stage(self, harvest_job) -> list[str]:
        try:
            object_ids = self._gather(harvest_job)
        except Exception as error:  # ours, ckanext-harvest's, requests': never out
            gather_outcome.fail(self, harvest_job, error)
            object_ids = []
        return gather_outcome.queued_only(harvest_job, object_ids)

    def _gather(self, harvest_job) -> list[str]:
        self._set_config(harvest_job.source.config)
        job = job_state.VndataHarvestJob.for_gather(harvest_job)
        config = job.config
        base_url = harvest_job.source.url.rstrip("/")
        try:
            url_safety.check_url(base_url)
            with job_state.running(job):  # for the parent's calls back into us
                listed = self._search_for_datasets(base_url)
        except url_safety.UnsafeTarget as error:
            self._save_gather_error(str(error), harvest_job)
            return []  # an unreadable catalogue withdraws nothing
        except gather_outcome.CatalogueError as error:
            self._save_gather_error(str(error), harvest_job)
            return []
        except SearchError:
            # Every other failure of a listing page is raised by _get_content as a
            # CatalogueError; what ckanext-harvest's _search_for_datasets still raises
            # itself is its check that paging moves on.
            self._save_gather_error(
                tk._(
                    "The portal {url} answered the same page of its dataset list "
                    "twice; the list is incomplete and nothing was harvested."
                ).format(url=base_url),
                harvest_job,
            )
            return []
        for message in job.unusable:  # records of the listing that were left out
            self._save_gather_error(message, harvest_job)
        object_ids, guids = [], []
        publishers = self._publishers(job, base_url, listed)
        for record in listed:
            if record.get("type") == "harvest":
                continue
            organization = record.get("organization") or {}
            if organization.get("id") in publishers:
                record["organization"] = publishers[organization["id"]]
            guid = f"{harvest_job.source.id}/{record['id']}"
            obj = HarvestObject(guid=guid, job=harvest_job, content=json.dumps(record))
            obj.save()
            object_ids.append(obj.id)
            guids.append(guid)
        withdrawals = []
        # A catalogue error withdraws nothing.
        if not gather_outcome.has_errors(harvest_job):
            withdrawals, refusal = deletion.mark(
                harvest_job, guids, config["deletion"], datetime.date.today()
            )
            if refusal:
                self._save_gather_error(refusal, harvest_job)
        if not listed:
            self._save_gather_error(
                tk._("The portal {url} lists no dataset.").format(url=base_url),
                harvest_job,
            )
        plans = plan_gather.action_api_plans(self, harvest_job, job, base_url)
        return object_ids + withdrawals + plans

    def _publishers(
        self, job: job_state.VndataHarvestJob, base_url: str, listed: list[dict]
    ) -> dict[str, dict]:
        """The remote organizations in full, by id, once per run.

        package_search shows an organization without its schema fields, so the agency
        code that publisher rules match on is only in organization_show. An
        organization that cannot be read keeps the short form (rules by name apply).
        """
        ids = {
            (record.get("organization") or {}).get("id")
            for record in listed
            if not (record.get("organization") or {}).get("agency_code")
        }
        publishers = {}
        for org_id in sorted(filter(None, ids)):
            url = f"{base_url}/api/3/action/organization_show?" + urlencode(
                {"id": org_id, "include_users": "false", "include_datasets": "false"}
            )
            try:
                shown = json.loads(self._fetch(job, url))["result"]
                # Only what the rules read: counts and dates would make every record
                # of the organization look changed whenever it publishes another.
                publishers[org_id] = {
                    k: shown[k] for k in ("id", "name", *AGENCY_FIELDS) if k in shown
                }
            except (ContentFetchError, ValueError, KeyError, TypeError) as error:
                log.warning("Organization %s of %s not read: %s", org_id, url, error)
        return publishers

    def _get_content(self, url: str) -> str:
        """One page of the dataset list, within the source's limits, in the shape
        ckanext-harvest's _search_for_datasets reads (it fails on any other shape,
        and dumps the remote answer into its error): CatalogueError otherwise."""
        job = job_state.current()
        job.pages_read += 1
        if job.pages_read > job.config["max_pages"]:
            raise gather_outcome.CatalogueError(
                tk._("The catalogue has more than {max} pages.").format(
                    max=job.config["max_pages"]
                )
            )
        try:
            content = self._fetch(job, url)
        except ContentFetchError as error:
            raise gather_outcome.CatalogueError(
                tk._("The portal could not be read: {error}").format(error=error)
            ) from None
        answer = search_page(content, url)
        results = answer["result"]["results"]
        usable = [r for r in results if isinstance(r, dict) and _usable_id(r)]
        for position, record in enumerate(results, start=1):
            if record not in usable:
                job.unusable.append(
                    tk._(
                        "Record {n} of {url} has no id; it was left out, and nothing "
                        "is withdrawn this run."
                    ).format(n=position, url=url_safety.shown(url))
                )
        for record in usable:
            if not isinstance(record.get("organization") or {}, dict):
                record["organization"] = None  # a name alone: the rules cannot match
        answer["result"]["results"] = usable
        return json.dumps(answer)

    def _fetch(self, job: job_state.VndataHarvestJob, url: str) -> str:
        """Every request of this harvester goes through session.py."""
        try:
            return session.fetch_text(job.session, url)[0]
        except session.FetchFailed as error:
            raise ContentFetchError(str(error)) from None

    def fetch_stage(self, harvest_object) -> bool:
        return True  # the listing already holds each record

    def import_stage(self, harvest_object) -> bool | str:
        return self._vndata_import(harvest_object, self._import_record)

    def _vndata_compared(self, harvest_object) -> Any:
        """The record as modify_package_dict reads it: what only makes sense on the
        remote portal (its ids, counts, dates, view counts, the organization's other
        fields) changes there without the record changing, and is never written."""
        record = super()._vndata_compared(harvest_object)
        if not isinstance(record, dict):
            return record
        compared = {k: v for k, v in record.items() if k not in REMOTE_ONLY}
        organization = record.get("organization")
        if isinstance(organization, dict):
            compared["organization"] = {
                key: organization[key] for key in AGENCY_FIELDS if organization.get(key)
            }
        if isinstance(record.get("resources"), list):
            compared["resources"] = [
                {k: v for k, v in resource.items() if k not in REMOTE_ONLY_RESOURCE}
                if isinstance(resource, dict)
                else resource
                for resource in record["resources"]
            ]
        return compared

    def _import_record(self, job: job_state.VndataHarvestJob, harvest_object) -> bool:
        if object_status(harvest_object) == "delete":
            return self._vndata_withdraw(harvest_object)
        package = self._prepared(
            job, json.loads(harvest_object.content), harvest_object
        )
        return self._vndata_write(job, harvest_object, package)

    def _prepared(
        self,
        job: job_state.VndataHarvestJob,
        package_dict: dict[str, Any],
        harvest_object,
    ) -> dict[str, Any]:
        """The remote package as a dataset here (CKANHarvester's modify_package_dict,
        which only its own import_stage calls, with the job passed in)."""
        organization = package_dict.get("organization") or {}
        agency = {
            key: organization[key] for key in AGENCY_FIELDS if organization.get(key)
        }
        for key in REMOTE_ONLY:
            package_dict.pop(key, None)
        for resource in package_dict.get("resources") or []:
            for key in REMOTE_ONLY_RESOURCE:
                resource.pop(key, None)
        return self._vndata_prepare(job, package_dict, agency, [], harvest_object)


def _usable_id(record: dict) -> bool:
    """An id that can name the record here (its guid is stored: no NUL in it)."""
    remote_id = record.get("id")
    return (
        isinstance(remote_id, str)
        and bool(remote_id.strip())
        and storable(remote_id) == remote_id
        and len(remote_id) <= MAX_ID_CHARS
    )


def search_page(content: str, url: str) -> dict:
    """A package_search answer of the CKAN Action API, or CatalogueError."""
    try:
        answer = json.loads(content)
    except ValueError:
        raise gather_outcome.CatalogueError(
            tk._("The answer of {url} is not JSON.").format(url=url_safety.shown(url))
        ) from None
    problem = None
    result = answer.get("result") if isinstance(answer, dict) else None
    if not isinstance(answer, dict):
        problem = tk._("the answer is not a JSON object")
    elif answer.get("success") is not True:
        problem = tk._("success is not true")
    elif not isinstance(result, dict):
        problem = tk._("result is not an object")
    elif not isinstance(result.get("results"), list):
        problem = tk._("result.results is not a list")
    elif "count" in result and (
        not isinstance(result["count"], int) or isinstance(result["count"], bool)
    ):
        problem = tk._("result.count is not a number")
    if problem:
        raise gather_outcome.CatalogueError(
            tk._(
                "The answer of {url} is not a CKAN package_search answer ({problem}); "
                "nothing was harvested or withdrawn."
            ).format(url=url_safety.shown(url), problem=problem)
        )
    return answer
