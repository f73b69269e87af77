"""The import stage both Vietnamese harvesters share around their parent's.

Unchanged records are not written; records held back by the source's rules are
quarantined with their reason; imported records remember the addresses that name them
so that the same dataset from another source is reported as a duplicate.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.vndata.harvester import (
    consumers,
    dataset_names,
    duplicates,
    identity,
    job_state,
    language,
    plan_import,
    policy,
    quarantine,
    rules,
)
from ckanext.vndata.harvester.job_state import VndataHarvestJob
from ckanext.vndata.harvester.rdf_reading import describe
from ckanext.vndata.harvester.search_commits import search_commits_batched
from ckanext.vndata.lib import advisory_locks, harvesting
from ckanext.vndata.lib.ids import new_id
from ckanext.vndata.lib.text import storable
from ckanext.vndata.metadata.logic import publication

log = logging.getLogger(__name__)

# How ckanext-dcat (2.4) begins the messages _save_object_error says again.
UPSTREAM_INVALID = ("Create validation Error", "Update validation Error")
UPSTREAM_FAILED = ("Error importing dataset",)
IMPORT_WAIT = 120  # seconds a record's second try waits for the first


def _not_imported(error: BaseException) -> str:
    return tk._("The record could not be imported ({error}).").format(
        error=describe(error)
    )


def object_status(harvest_object: HarvestObject) -> str | None:
    return next((e.value for e in harvest_object.extras if e.key == "status"), None)


class VndataImportMixin:
    """Needs HarvesterBase's _save_object_error and _get_user_name."""

    @language.in_portal_language  # the record's messages
    def _vndata_import(
        self, harvest_object: HarvestObject, parent_import: Callable
    ) -> bool | str:
        """The import stage; any exception becomes an error of this record alone,
        but a lost database connection (see below).

        ckanext-harvest lets an exception out of import_stage: the object stays in
        IMPORT (its job never finishes) and its own fetch consumer exits; ours
        (consumers.py) sends the record again.

        One try of a record at a time: a record sent again (the database lost under
        a try that goes on, ckanext-harvest's resubmit_objects) can be taken by a
        second consumer while the first imports it, and both would make its
        dataset (the second failing on the name the first took, the record left in
        ERROR with its dataset made). The second waits, then finds what the first
        committed: the record's dataset, updated, never a second one. A wait past
        IMPORT_WAIT is Busy, and the consumer sends the record again (consumers.py).
        """
        name = f"vndata-harvest-object:{harvest_object.id}"
        with advisory_locks.held(name, wait_seconds=IMPORT_WAIT):
            model.Session.expire(harvest_object)  # read again, after the wait
            return self._vndata_import_alone(harvest_object, parent_import)

    def _vndata_import_alone(
        self, harvest_object: HarvestObject, parent_import: Callable
    ) -> bool | str:
        job = None
        result: bool | str = False
        try:
            job = job_state.VndataHarvestJob.for_import(
                harvest_object, self._get_user_name()
            )
            # The record's writes (the dataset, its plan links) indexed once, with
            # its batch (search_commits.py).
            with (
                job_state.running(job),  # for the parent's calls back into us
                search_commits_batched(harvest_object),
            ):
                result = self._vndata_guarded_import(job, harvest_object, parent_import)
            return result
        except Exception as error:  # ours, the parent's, CKAN's: never out...
            model.Session.rollback()  # no partial write of this record
            if consumers.connection_lost(error):
                # ...but the database going away is not the record's fault, and
                # ckanext-dcat commits the dataset before our last steps: reported
                # as an error, a record could have its dataset made. The consumer
                # puts the record back on its queue (consumers.py); imported again,
                # it finds its dataset.
                log.warning("Import of object %s: database lost", harvest_object.id)
                raise
            log.exception("Import of object %s failed", harvest_object.id)
            self._save_object_error(_not_imported(error), harvest_object, "Import")
            return False
        finally:
            # An organization made for a record that did not come in is removed.
            if job is not None:
                came_in = harvest_object.package_id is not None or (
                    identity.kind(harvest_object) == identity.PLAN  # a plan's
                )
                job.organizations.settle(imported=result is True and came_in)

    def _save_object_error(self, message, harvest_object, stage="Fetch", line=None):
        """ckanext-dcat's import reports a refused dataset with CKAN's error summary
        (field names made up in English from their keys) and a failure with a
        traceback, in English. It calls this inside its ``except``: the exception it
        reports is the one being handled, and is said again here in the portal's
        language, by the labels of the dataset form."""
        handled = sys.exc_info()[1]
        if handled is not None and consumers.connection_lost(handled):
            # Not the record's error: ckanext-dcat reports any exception of its
            # import so, and CKAN's activity runs after package_create's commit, so
            # the dataset may be made. Let out, as a loss out of the import is
            # (_vndata_import): the consumer sends the record again, and imported
            # again it finds its dataset.
            raise handled
        if isinstance(handled, tk.ValidationError) and message.startswith(
            UPSTREAM_INVALID
        ):
            message = language.invalid_dataset(
                language.record_title(harvest_object), handled.error_dict
            )
        elif handled is not None and message.startswith(UPSTREAM_FAILED):
            log.error("Import of object %s: %s", harvest_object.id, message)
            message = _not_imported(handled)
        # A message may quote a remote value: stored only what PostgreSQL holds (a
        # NUL in it would fail the write, and with it the record's import).
        message = storable(str(message))
        super()._save_object_error(message, harvest_object, stage, line)

    def _vndata_guarded_import(
        self, job: VndataHarvestJob, harvest_object: HarvestObject, parent_import
    ) -> bool | str:
        if identity.kind(harvest_object) == identity.PLAN:  # plan_gather.py's
            return plan_import.import_plan(self, job, harvest_object)
        job.previous = identity.previous_import(harvest_object)
        job.previous_package = identity.live_package_id(job.previous)
        withdrawing = object_status(harvest_object) == "delete"
        if not withdrawing:
            rejected = quarantine.rejection(harvest_object)
            if rejected:  # before the parent marks it the current object
                return self._vndata_quarantine(harvest_object, rejected)
        keys: set[str] = set()
        if not withdrawing:
            fingerprint = identity.fingerprint(
                self._vndata_compared(harvest_object),
                identity.basis(harvest_object.source),
            )
            if self._vndata_unchanged(job, harvest_object, fingerprint):
                if job.previous is not harvest_object:
                    return "unchanged"  # no write, no activity, no reindex
                # The same object imported again (sent again after its dataset was
                # committed: the database lost, or ckanext-harvest's resubmit_objects
                # queueing a record a consumer has just taken): it stays what its
                # first import reported (added...), and its last steps, which that
                # import may not have reached, are done.
                return self._vndata_last_steps(
                    harvest_object, duplicates.remembered(harvest_object)
                )
            keys = self._vndata_kept(harvest_object, fingerprint)
        was_current = job.previous is not None and job.previous.current
        try:
            with harvesting.importing_harvested_record():
                result = parent_import(job, harvest_object)
        except quarantine.Quarantined as held:
            # ckanext-dcat's import made this record the current one before our
            # hooks ran: the dataset stays with the record that made it.
            harvest_object.current = False
            if job.previous is not None:
                job.previous.current = was_current
            return self._vndata_quarantine(harvest_object, held.reason)
        if result is True and harvest_object.package_id and not withdrawing:
            return self._vndata_last_steps(harvest_object, keys)
        return result

    def _vndata_kept(self, harvest_object: HarvestObject, fingerprint: str) -> set[str]:
        """What this import is made from, kept with the object in the import's own
        commit: the next run compares with it (a failed import is never the one
        compared with); the addresses naming it, reported after the commit."""
        identity.keep(harvest_object, fingerprint)
        source = harvest_object.source
        keys = duplicates.keys_of(harvest_object.content, source.type, source.url)
        duplicates.remember(harvest_object, keys)
        return keys

    def _vndata_last_steps(self, harvest_object: HarvestObject, keys: set[str]) -> bool:
        """After the dataset is written: the plan items waiting for it are linked, and
        the same dataset harvested from another source is reported."""
        plan_import.link_waiting(harvest_object, self._get_user_name())
        others = duplicates.others(harvest_object, keys)
        # What a try before said (read only when there is something to say).
        said = {error.message for error in harvest_object.errors} if others else set()
        for other in others:
            notice = duplicates.describe(harvest_object, other)
            if notice not in said:
                self._save_object_error(notice, harvest_object, "Import")
        return True

    def _vndata_quarantine(self, harvest_object: HarvestObject, reason: str) -> bool:
        harvest_object.extras.append(
            HarvestObjectExtra(key=quarantine.QUARANTINE, value=storable(reason))
        )
        harvest_object.save()
        self._save_object_error(reason, harvest_object, "Import")
        return False

    def _vndata_compared(self, harvest_object: HarvestObject) -> Any:
        """The record as its dataset is made from it (the harvester may leave out
        what only makes sense at the remote portal)."""
        try:
            return json.loads(harvest_object.content or "{}")
        except ValueError:
            return {"unparsed": harvest_object.content}

    def _vndata_unchanged(
        self, job: VndataHarvestJob, harvest_object: HarvestObject, fingerprint: str
    ):
        """The last import was made from the same record with the same basis (not the
        same record fingerprinted with today's config: a config change must apply)."""
        previous, package_id = job.previous, job.previous_package
        if package_id is None or identity.stored(previous) != fingerprint:
            return False
        if previous is harvest_object:
            return True  # its fingerprint and addresses are kept already
        identity.keep(harvest_object, fingerprint)
        previous.current = False
        previous.add()
        harvest_object.current = True
        harvest_object.package_id = package_id
        duplicates.remember(harvest_object, duplicates.remembered(previous))
        harvest_object.add()
        model.Session.commit()
        return True

    def _vndata_existing(self, job: VndataHarvestJob) -> dict[str, Any] | None:
        """The dataset this source made for the record before (not any source's)."""
        package_id = job.previous_package  # looked up once per import
        if package_id is None:
            return None
        return tk.get_action("package_show")(
            {"ignore_auth": True, "user": self._get_user_name()}, {"id": package_id}
        )

    def _vndata_prepare(
        self,
        job: VndataHarvestJob,
        package: dict[str, Any],
        agency: dict[str, Any],
        notes: list[str],
        harvest_object: HarvestObject,
    ) -> dict[str, Any]:
        """The source's rules applied to a parsed record (may raise Quarantined)."""
        config = job.config
        rules.check_notes(notes, config)
        organization = rules.organization_for(agency, config, job.organizations)
        if organization:
            package["owner_org"] = organization
        elif not package.get("owner_org"):  # no rule chose one: the source's own
            source = model.Package.get(harvest_object.source.id)
            package["owner_org"] = source.owner_org if source else None
        kept_private = prepared(
            config,
            package,
            harvest_object.source,
            self._vndata_existing(job),
            self._get_user_name(),
        )
        if kept_private:
            self._save_object_error(kept_private, harvest_object, "Import")
        return package

    def _vndata_write(
        self, job: VndataHarvestJob, harvest_object: HarvestObject, package: dict
    ) -> bool:
        """A prepared record written by the harvesters that write their datasets
        themselves (vndata_ckan, vndata_json): the dataset this source made for it
        updated, or a new one created, named from ``package["name"]`` when that is
        free here, else from its title. A refusal of the schema is the record's error,
        and nothing is written."""
        context = {"ignore_auth": True, "user": self._get_user_name()}
        existing = self._vndata_existing(job)
        package["id"] = existing["id"] if existing else new_id()
        identity.make_current(harvest_object, package["id"])
        try:
            if existing:
                package["name"] = existing["name"]
                tk.get_action("package_update")(context, package)
            else:
                package["name"] = self._gen_new_name(
                    package.get("name") or package.get("title") or ""
                )
                tk.get_action("package_create")(context, package)
        except tk.ValidationError as error:
            model.Session.rollback()  # the object is not current, nothing is written
            self._save_object_error(
                language.invalid_dataset(package.get("title"), error.error_dict),
                harvest_object,
                "Import",
            )
            return False
        harvest_object.save()
        return True

    def _vndata_withdraw(self, harvest_object: HarvestObject) -> bool:
        """A record deletion.py marked gone from its source: its dataset withdrawn."""
        context = {"ignore_auth": True, "user": self._get_user_name()}
        try:
            tk.get_action("package_delete")(context, {"id": harvest_object.package_id})
        except tk.ObjectNotFound:
            pass
        return True

    def _gen_new_name(self, title: str, existing_name=None, append_type=None) -> str:
        """Names from Vietnamese titles by transliteration, not CKAN's munge."""
        return dataset_names.free_name(title)


def prepared(
    config: dict[str, Any],
    package: dict[str, Any],
    source: Any,
    existing: dict[str, Any] | None,
    user: str,
) -> str | None:
    """A mapped record made the dataset the import writes, in place, its organization
    chosen: the source's defaults and maps, the fields the portal keeps, the policy,
    the publication gate and the schema's checks. May raise Quarantined. Returns why
    the record lands private, if it must (the harvesters put it on the record's
    report; the mapping's preview, json_preview.py, shows it)."""
    from ckanext.vndata.harvester.source_mapping import apply_source_config

    defaulted = apply_source_config(package, config, source)
    package.pop("publisher_name", None)  # used by the rules, not stored
    rules.keep_locally_owned(package, existing, config["locally_owned_fields"])
    harvest_notes = policy.prepare(package, defaulted)
    # The publication gate: a record that may not be public lands private, with
    # the reasons on the job, instead of being refused (metadata publication.py).
    kept_private = publication.keep_private_unless_publishable(package)
    policy.check(package, config, harvest_notes, user)
    return publication.describe_kept_private(kept_private) if kept_private else None
