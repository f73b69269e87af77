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
import json
import logging
import time
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.dcat.harvesters.rdf import DCATRDFHarvester

from ckanext.vndata.dcat.parse import PUBLISHER_KEY, REJECTION_KEY, REPORT_KEY
from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import deletion, identity, network
from ckanext.vndata.metadata import text

log = logging.getLogger(__name__)


class VndataDCATRDFHarvester(DCATRDFHarvester):
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

    def gather_stage(self, harvest_job) -> list[str]:
        try:
            network.check_url(harvest_job.source.url)
        except network.UnsafeTarget as error:
            self._save_gather_error(str(error), harvest_job)
            return []
        self._gathering_source_id = harvest_job.source.id
        self._pages = {"urls": set(), "hashes": set(), "count": 0, "failed": None}
        self._session_config = source_config.parse(harvest_job.source.config)
        self._last_request = 0.0
        try:
            return super().gather_stage(harvest_job)
        finally:
            self._session_config = None  # other harvests' sessions are not ours

    # IDCATRDFHarvester (wired in plugin.py)

    def update_session(self, session):
        """Timeout, login header, retries and redirect cap for this source's fetches."""
        config = getattr(self, "_session_config", None)
        if config is not None:
            network.configure_session(session, config)
            wait = 1.0 / config["requests_per_second"] - (
                time.monotonic() - self._last_request
            )
            if wait > 0:
                time.sleep(wait)  # the source's request rate
            self._last_request = time.monotonic()
        return session

    def _get_content_and_type(self, url, harvest_job, page=1, content_type=None):
        """Every page, next-page links included, is checked before it is fetched."""
        pages, config = self._pages, self._session_config
        pages["count"] += 1
        problem = None
        if url in pages["urls"]:
            problem = tk._("The next-page link {url} repeats an earlier page.")
        elif pages["count"] > config["max_pages"]:
            problem = tk._("The catalogue has more than {max} pages.")
        else:
            try:
                network.check_url(url)
            except network.UnsafeTarget as error:
                problem = str(error)
        if problem is None:
            pages["urls"].add(url)
            content, kind = super()._get_content_and_type(
                url, harvest_job, page, content_type
            )
            digest = hash(content)
            if content is None:
                problem = tk._("The page {url} could not be read.")
            elif digest in pages["hashes"]:
                problem = tk._("The page {url} repeats an earlier page.")
            else:
                pages["hashes"].add(digest)
                return content, kind
        pages["failed"] = problem.format(url=url, max=config["max_pages"])
        self._save_gather_error(pages["failed"], harvest_job)
        return None, None

    def _mark_datasets_for_deletion(self, guids_in_source, harvest_job) -> list[str]:
        """Withdraw only after a complete run, past the grace period (deletion.py)."""
        if self._pages["failed"]:
            return []
        object_ids, refusal = deletion.mark(
            harvest_job,
            guids_in_source,
            self._session_config["deletion"],
            datetime.date.today(),
        )
        if refusal:
            self._save_gather_error(refusal, harvest_job)
        return object_ids

    def _get_guid(self, dataset_dict: dict[str, Any], source_url=None) -> str | None:
        """The remote identifier, scoped to the source: provinces may reuse ids."""
        remote = super()._get_guid(dataset_dict, source_url=source_url)
        source_id = getattr(self, "_gathering_source_id", None)
        return f"{source_id}/{remote}" if remote and source_id else remote

    def import_stage(self, harvest_object) -> bool | str:
        """Skip records that did not change; find existing ones within this source."""
        self._importing = harvest_object
        if self._get_object_extra(harvest_object, "status") != "delete":
            previous = identity.previous_import(harvest_object)
            package_id = identity.live_package_id(previous)
            config = harvest_object.source.config
            if package_id and identity.fingerprint(
                previous.content, config
            ) == identity.fingerprint(harvest_object.content, config):
                previous.current = False
                previous.add()
                harvest_object.current = True
                harvest_object.package_id = package_id
                harvest_object.add()
                model.Session.commit()
                return "unchanged"  # no write, no activity, no reindex
        return super().import_stage(harvest_object)

    def _get_existing_dataset(self, guid: str) -> dict[str, Any] | None:
        """The dataset this source made for ``guid`` (not any source's)."""
        harvest_object = getattr(self, "_importing", None)
        if harvest_object is None or harvest_object.guid != guid:
            return None
        package_id = identity.live_package_id(identity.previous_import(harvest_object))
        if package_id is None:
            return None
        return tk.get_action("package_show")(
            {"ignore_auth": True, "user": self._get_user_name()}, {"id": package_id}
        )

    def _gen_new_name(self, title: str, existing_name=None, append_type=None) -> str:
        """Names from Vietnamese titles by transliteration, not CKAN's munge."""
        base = text.slugify(title) or "tap-du-lieu"
        name, n = base, 1
        while model.Package.get(name) is not None or name in getattr(
            self, "_names_taken", []
        ):
            n += 1
            name = f"{base[: text.NAME_MAX_LENGTH - len(str(n)) - 1]}-{n}"
        return name

    def modify_package_dict(
        self, package_dict: dict[str, Any], dcat_dict: dict[str, Any], harvest_object
    ) -> dict[str, Any]:
        config = source_config.parse(harvest_object.source.config)
        for note in package_dict.pop(REPORT_KEY, []):
            log.info("Harvest object %s: %s", harvest_object.id, note)
        package_dict.pop(REJECTION_KEY, None)
        package_dict.pop(PUBLISHER_KEY, None)
        apply_source_config(package_dict, config, harvest_object.source)
        package_dict.pop("publisher_name", None)  # used by the rules, not stored
        return package_dict


def _without_own_keys(raw: str | None) -> str | None:
    """ckanext-dcat's validator only knows rdf_format."""
    if not raw:
        return raw
    own = json.loads(raw)
    return json.dumps({"rdf_format": own["rdf_format"]}) if "rdf_format" in own else ""


def apply_source_config(
    package: dict[str, Any], config: dict[str, Any], source
) -> dict[str, Any]:
    """Fill in what the records lack, map their codes, and record their catalogue."""
    # The scheming-aware parse leaves empty keys for absent fields: fill those too.
    defaults = dict(config["defaults"])
    if "personal_data_assessed" in config:
        defaults["personal_data_assessed"] = config["personal_data_assessed"]
    if config.get("province_code"):
        defaults["province_code"] = config["province_code"]
    for field, value in defaults.items():
        if package.get(field) in (None, "", []):
            package[field] = value
    province = package.get("province_code")
    if province in config["province_map"]:
        package["province_code"] = config["province_map"][province]
    sectors = [config["sector_map"].get(s, s) for s in package.get("sectors") or []]
    if sectors:
        package["sectors"] = sorted(set(sectors))
    organization = _organization_for(package, config)
    if organization:
        package["owner_org"] = organization
    source_dataset = model.Package.get(source.id)
    package["source_catalog_uri"] = source.url
    package["source_catalog_title"] = (
        source_dataset.title if source_dataset else source.url
    )
    return package


def _organization_for(package: dict[str, Any], config: dict[str, Any]) -> str | None:
    """The national organization for the record's publisher, by the source's rules."""
    code = package.get("publisher_code")
    name = package.get("publisher_name")
    for rule in config.get("publisher_rules") or []:
        if code and rule.get("agency_code") == code:
            return rule["organization"]
        if name and rule.get("name") and text.fold(rule["name"]) == text.fold(name):
            return rule["organization"]
    return config.get("default_organization")
