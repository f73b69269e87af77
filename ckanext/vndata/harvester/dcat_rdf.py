"""The ``vndata_dcat`` harvester: DCAT RDF from provincial portals, mapped to the
Vietnamese schema with each source's own configuration (config.py).

It extends ckanext-dcat's DCATRDFHarvester and changes what the national portal needs:
the source address is checked before anything is fetched, records are parsed with the
Vietnamese profile, missing Vietnamese fields come from the source's defaults, URL
names are transliterated, publishers map to national organizations, and each dataset
records the catalogue it came from.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
from importlib.metadata import entry_points
from typing import Any

from rdflib import RDF, Graph

import ckan.plugins.toolkit as tk
from ckanext.dcat.harvesters.rdf import DCATRDFHarvester
from ckanext.dcat.processors import (
    DEFAULT_RDF_PROFILES,
    SUPPORTED_PAGINATION_COLLECTION_DESIGNS,
)
from ckanext.dcat.utils import url_to_rdflib_format

from ckanext.vndata.dcat.parse import PUBLISHER_KEY, REJECTION_KEY, REPORT_KEY
from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import (
    dcatus,
    deletion,
    gather_outcome,
    identity,
    job_state,
    jsonld,
    language,
    page_cache,
    plan_gather,
    rdf_reading,
    session,
)
from ckanext.vndata.harvester.import_stage import VndataImportMixin
from ckanext.vndata.lib import url_safety
from ckanext.vndata.plan import exchange_rdf

log = logging.getLogger(__name__)


class VndataDCATRDFHarvester(VndataImportMixin, DCATRDFHarvester):
    # One instance serves every job of the process: a job's state is a
    # job_state.VndataHarvestJob, made by each stage, never kept here. ckanext-dcat's
    # public extension points are used where they exist (IDCATRDFHarvester
    # after_download and after_parsing, wired in plugin.py; modify_package_dict).
    # Private methods still overridden, for want of one:
    # - ckanext-dcat _get_content_and_type: every page, next-page links included, is
    #   read through session.py (the parent's fetch follows redirects unchecked and
    #   opens local paths; before_download can only change the URL);
    # - ckanext-dcat _get_guid: identity scoped to the source (provinces reuse ids);
    # - ckanext-dcat _mark_datasets_for_deletion: withdraw only after a complete run,
    #   past the grace period (deletion.py);
    # - ckanext-dcat _get_existing_dataset: the dataset THIS source made for the
    #   record, not any source's with the same guid;
    # - ckanext-harvest _save_gather_error: no traceback in a job's report; and, in
    #   import_stage.py, _save_object_error (messages in the portal's language) and
    #   _gen_new_name (Vietnamese titles transliterated).
    # (ckanext-dcat's own gather_stage keeps _names_taken on the instance, reset by
    # each gather: the parent's, left as it is.)

    def info(self) -> dict[str, str]:
        return {
            "name": "vndata_dcat",
            "title": "DCAT RDF (Việt Nam)",
            "description": "Thu thập danh mục DCAT RDF/Turtle/JSON-LD của cổng dữ liệu "
            "tỉnh, bộ theo hồ sơ DCAT-AP Việt Nam.",
        }

    def validate_config(self, config: str | None) -> str | None:
        try:
            source_config.parse(config)
        except source_config.ConfigError as error:
            raise ValueError(str(error))
        super().validate_config(_without_own_keys(config))
        return config  # ckanext-harvest stores what this returns

    @language.in_portal_language  # the job's messages
    def gather_stage(self, harvest_job) -> list[str]:
        job = None
        try:
            url_safety.check_url(harvest_job.source.url)
            job = job_state.VndataHarvestJob.for_gather(harvest_job)
            with job_state.running(job):  # for the parent's calls back into us
                gathered = super().gather_stage(harvest_job)
            object_ids = identity.one_object_per_guid(gathered)
            if not job.pages.failed:  # plans only from a catalogue that was read
                object_ids += plan_gather.index_plans(self, harvest_job, job)
            if job.pages.complete:
                page_cache.remember(harvest_job.id, job.source_id, job.pages.read)
        except url_safety.UnsafeTarget as error:
            self._save_gather_error(str(error), harvest_job)
            object_ids = []
        except Exception as error:  # ours, ckanext-dcat's, rdflib's: never out
            url = job.pages.url if job else None
            gather_outcome.fail(self, harvest_job, error, url)
            object_ids = []
        return gather_outcome.queued_only(harvest_job, object_ids)

    def _save_gather_error(self, message: str, harvest_job) -> None:
        """No traceback in a job's report: ckanext-dcat (2.4.4) puts one in the
        message when processing a page's records fails; it goes to the log."""
        if "Traceback (most recent call last)" in message:
            log.error("Gather of job %s: %s", harvest_job.id, message)
            message = tk._(
                "The records of a catalogue page could not be processed; nothing was "
                "harvested or withdrawn."
            )
        super()._save_gather_error(message, harvest_job)

    # IDCATRDFHarvester (wired in plugin.py)

    def after_download(self, content, harvest_job):
        """The page is read here, within limits (rdf_reading.py); ckanext-dcat then
        parses an empty document of its format, and after_parsing hands on this
        graph."""
        job = job_state.current(harvest_job.id)
        if not content or job is None:  # another harvester's job
            return content, []
        pages = job.pages
        try:
            parsed = rdf_reading.read_page(
                content, pages.kind, self._profile_names(job.config), pages.url
            )
            dcatus.complete(parsed.g, pages.dcat_us)
        except rdf_reading.UnreadablePage as error:
            pages.failed = tk._("The page {url} was not read: {error}").format(
                url=url_safety.shown(pages.url), error=error
            )
            return None, [pages.failed]
        pages.parsed = parsed
        pages.plans_index = pages.plans_index or exchange_rdf.advertised_index(parsed.g)
        # Records of the page that could not be read are gather errors: the run is
        # then incomplete, and nothing is withdrawn (_mark_datasets_for_deletion).
        return rdf_reading.empty_document(pages.kind) or content, parsed.problems

    def after_parsing(self, rdf_parser, harvest_job):
        """An unchanged page keeps only its paging links (page_cache.py); the others are
        the graph after_download read, parsed record by record (rdf_reading.py)."""
        job = job_state.current(harvest_job.id)
        if rdf_parser is None or job is None:  # another harvester's job
            return rdf_parser, []
        profiles = self._profile_names(job.config)
        parsed, job.pages.parsed = job.pages.parsed, None
        parser = parsed or rdf_reading.VndataRDFParser(profiles=profiles)
        if parsed is None:
            parser.g = rdf_parser.g
        page = job.pages.read[-1] if job.pages.read else None
        if page and page["skipped"]:
            paging = rdf_reading.VndataRDFParser(profiles=profiles)
            paging.g = _paging_only(parser.g)
            paging.next_url = parser.next_url
            return paging, []
        return parser, []

    @staticmethod
    def _profile_names(config) -> list[str]:
        """The portal's profiles, then the source's extra ones (e.g. vn_hue_od); a
        profile that another listed one extends is not run a second time."""
        configured = (tk.config.get("ckanext.dcat.rdf.profiles") or "").split()
        names = list(configured or DEFAULT_RDF_PROFILES)
        names += [n for n in config["extra_profiles"] if n not in names]
        return profiles_run_once(tuple(names))

    def _get_content_and_type(self, url, harvest_job, page=1, content_type=None):
        """Every page, next-page links included, is read through session.py (never
        ckanext-dcat's fetch, which follows redirects unchecked and opens local
        paths)."""
        job = job_state.current(harvest_job.id)
        pages, config = job.pages, job.config
        job.pages_read += 1
        problem = None  # a message template ({url}, {max})
        failure = None  # a finished message (it may quote the URL, braces and all)
        if url in pages.urls:
            problem = tk._("The next-page link {url} repeats an earlier page.")
        elif job.pages_read > config["max_pages"]:
            problem = tk._("The catalogue has more than {max} pages.")
        else:
            pages.urls.add(url)
            pages.url = url
            try:
                content, kind = self._fetch_page(job, url, content_type)
            except (session.FetchFailed, jsonld.ContextRefused) as error:
                failure = str(error)
            except rdf_reading.UnreadablePage as error:
                failure = tk._("The page {url} was not read: {error}").format(
                    url=url_safety.shown(url), error=error
                )
            else:
                pages.kind = kind
                digest = hash(content)
                if digest in pages.hashes:
                    problem = tk._("The page {url} repeats an earlier page.")
                else:
                    pages.hashes.add(digest)
                    self._read_page(job, content, harvest_job)
                    return content, kind
        pages.failed = failure or problem.format(
            url=url_safety.shown(url), max=config["max_pages"]
        )
        self._save_gather_error(pages.failed, harvest_job)
        return None, None

    def _fetch_page(
        self, job: job_state.VndataHarvestJob, url: str, content_type: str | None
    ) -> tuple[str, str]:
        """A catalogue page with its JSON-LD contexts inlined (jsonld.py), and its
        format: the source's rdf_format, else the server's media type; a DCAT-US
        data.json is read as JSON-LD (dcatus.py)."""
        content, kind = session.fetch_text(job.session, url)
        kind = content_type or kind
        kind = rdf_reading.reading_kind(content, kind)
        content, kind, job.pages.dcat_us = dcatus.read_as(content, kind)
        rdf_format = url_to_rdflib_format(kind)  # as RDFParser.parse will read it
        if jsonld.needs_inlining(content, rdf_format):
            rdf_reading.check_json_depth(
                content
            )  # before json.loads can recurse that deep
            content = jsonld.inline_contexts(content, url, job.session, rdf_format)
        return content, kind

    def _read_page(
        self, job: job_state.VndataHarvestJob, content: str, harvest_job
    ) -> None:
        source = harvest_job.source
        # The page's records are skipped only if what they are imported with (the
        # import basis, identity.py) did not change either: a config change applies.
        page_digest = page_cache.digest(content, identity.basis(source))
        known = page_cache.unchanged_guids(source.id, page_digest)
        job.pages.read.append(
            {
                "digest": page_digest,
                "guids": known or [],
                "skipped": bool(known),
                "whole": True,  # until one of its records is rejected
            }
        )
        job.pages.skipped_guids += known or []

    def _mark_datasets_for_deletion(self, guids_in_source, harvest_job) -> list[str]:
        """Withdraw only after a complete run, past the grace period (deletion.py):
        any catalogue error of this run, saved by us or by ckanext-dcat, stops it."""
        job = job_state.current(harvest_job.id)
        if job.pages.failed or gather_outcome.has_errors(harvest_job):
            return []
        job.pages.complete = True
        object_ids, refusal = deletion.mark(
            harvest_job,
            list(guids_in_source) + job.pages.skipped_guids,
            job.config["deletion"],
            datetime.date.today(),
        )
        if refusal:
            self._save_gather_error(refusal, harvest_job)
        return object_ids

    def _get_guid(self, dataset_dict: dict[str, Any], source_url=None) -> str | None:
        """The remote identifier, scoped to the source: provinces may reuse ids."""
        remote = super()._get_guid(dataset_dict, source_url=source_url)
        job = job_state.current()
        guid = f"{job.source_id}/{remote}" if remote and job else remote
        if guid and job and job.pages.read:
            page = job.pages.read[-1]
            page["guids"].append(guid)
            if dataset_dict.get(REJECTION_KEY):  # read again until it imports
                page["whole"] = False
        return guid

    def _vndata_compared(self, harvest_object) -> Any:
        """RDF gives a dataset's distributions no order: blank-node distributions
        come out of each parse in another order, which is no change."""
        record = super()._vndata_compared(harvest_object)
        if isinstance(record, dict) and isinstance(record.get("resources"), list):
            record["resources"] = sorted(
                record["resources"],
                key=lambda r: json.dumps(identity.meaning(r), sort_keys=True),
            )
        return record

    def import_stage(self, harvest_object) -> bool | str:
        parent_import = super().import_stage
        return self._vndata_import(
            harvest_object, lambda _job, record: parent_import(record)
        )

    def _get_existing_dataset(self, guid: str) -> dict[str, Any] | None:
        """The dataset this source made for ``guid`` (not any source's)."""
        job = job_state.current()
        if job is None or job.importing is None or job.importing.guid != guid:
            return None
        return self._vndata_existing(job)

    def modify_package_dict(
        self, package_dict: dict[str, Any], dcat_dict: dict[str, Any], harvest_object
    ) -> dict[str, Any]:
        notes = package_dict.pop(REPORT_KEY, [])
        for note in notes:
            log.info("Harvest object %s: %s", harvest_object.id, note)
        package_dict.pop(REJECTION_KEY, None)  # quarantined before the parent's import
        agency = package_dict.pop(PUBLISHER_KEY, None) or {}
        job = job_state.current(harvest_object.harvest_job_id)
        return self._vndata_prepare(job, package_dict, agency, notes, harvest_object)


@functools.lru_cache(maxsize=32)
def profiles_run_once(names: tuple[str, ...]) -> list[str]:
    """The profile names without those another listed profile already extends.

    ``euro_dcat_ap_3 vn_dcat_ap`` would map DCAT-AP 3 twice: vn_dcat_ap subclasses it.
    """
    group = entry_points(group="ckan.rdf.profiles")
    loaded = {e.name: e.load() for e in group if e.name in names}
    return [
        name
        for name in names
        if not any(
            cls is not loaded.get(name) and issubclass(cls, loaded[name])
            for cls in loaded.values()
            if name in loaded
        )
    ]


def _paging_only(graph: Graph) -> Graph:
    """The hydra paging triples of a page, so the harvest can go on to the next."""
    paging = Graph()
    for kind in SUPPORTED_PAGINATION_COLLECTION_DESIGNS:
        for node in graph.subjects(RDF.type, kind):
            for triple in graph.triples((node, None, None)):
                paging.add(triple)
    return paging


def _without_own_keys(raw: str | None) -> str | None:
    """ckanext-dcat's validator only knows rdf_format."""
    if not raw:
        return raw
    own = json.loads(raw)
    return json.dumps({"rdf_format": own["rdf_format"]}) if "rdf_format" in own else ""
