"""The import stage both Vietnamese harvesters share around their parent's.

Unchanged records are not written; records held back by the source's rules are
quarantined with their reason; imported records remember the addresses that name them
so that the same dataset from another source is reported as a duplicate.
"""

from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import duplicates, identity, records
from ckanext.vndata.metadata import text


def object_status(harvest_object: HarvestObject) -> str | None:
    return next((e.value for e in harvest_object.extras if e.key == "status"), None)


class VndataImportMixin:
    """Needs HarvesterBase's _save_object_error and _get_user_name."""

    def _vndata_import(
        self, harvest_object: HarvestObject, parent_import: Callable
    ) -> bool | str:
        self._importing = harvest_object
        withdrawing = object_status(harvest_object) == "delete"
        if not withdrawing and self._vndata_unchanged(harvest_object):
            return "unchanged"  # no write, no activity, no reindex
        try:
            result = parent_import(harvest_object)
        except records.Quarantined as held:
            harvest_object.extras.append(
                HarvestObjectExtra(key=records.QUARANTINE, value=held.reason)
            )
            harvest_object.save()
            self._save_object_error(held.reason, harvest_object, "Import")
            return False
        if result is True and harvest_object.package_id and not withdrawing:
            self._vndata_report_duplicates(harvest_object)
        return result

    def _vndata_unchanged(self, harvest_object: HarvestObject) -> bool:
        previous = identity.previous_import(harvest_object)
        package_id = identity.live_package_id(previous)
        config = harvest_object.source.config
        if package_id is None or identity.fingerprint(
            previous.content, config
        ) != identity.fingerprint(harvest_object.content, config):
            return False
        previous.current = False
        previous.add()
        harvest_object.current = True
        harvest_object.package_id = package_id
        duplicates.remember(
            harvest_object,
            {e.value for e in previous.extras if e.key == duplicates.SAME_AS},
        )
        harvest_object.add()
        model.Session.commit()
        return True

    def _vndata_report_duplicates(self, harvest_object: HarvestObject) -> None:
        source = harvest_object.source
        keys = duplicates.keys_of(harvest_object.content, source.type, source.url)
        duplicates.remember(harvest_object, keys)
        harvest_object.save()
        for other in duplicates.others(harvest_object, keys):
            self._save_object_error(
                duplicates.describe(harvest_object, other), harvest_object, "Import"
            )

    def _vndata_existing(self, harvest_object: HarvestObject) -> dict[str, Any] | None:
        """The dataset this source made for the record before (not any source's)."""
        package_id = identity.live_package_id(identity.previous_import(harvest_object))
        if package_id is None:
            return None
        return tk.get_action("package_show")(
            {"ignore_auth": True, "user": self._get_user_name()}, {"id": package_id}
        )

    def _vndata_prepare(
        self,
        package: dict[str, Any],
        agency: dict[str, Any],
        notes: list[str],
        harvest_object: HarvestObject,
    ) -> dict[str, Any]:
        """The source's rules applied to a parsed record (may raise Quarantined)."""
        from ckanext.vndata.harvester.mapping import apply_source_config

        config = source_config.parse(harvest_object.source.config)
        records.check_notes(notes, config)
        apply_source_config(package, config, harvest_object.source)
        organization = records.organization_for(agency, config, self._get_user_name())
        if organization:
            package["owner_org"] = organization
        package.pop("publisher_name", None)  # used by the rules, not stored
        records.keep_locally_owned(
            package,
            self._vndata_existing(harvest_object),
            config["locally_owned_fields"],
        )
        return package

    def _gen_new_name(self, title: str, existing_name=None, append_type=None) -> str:
        """Names from Vietnamese titles by transliteration, not CKAN's munge."""
        base = text.slugify(title) or "tap-du-lieu"
        name, n = base, 1
        while model.Package.get(name) is not None:
            n += 1
            name = f"{base[: text.NAME_MAX_LENGTH - len(str(n)) - 1]}-{n}"
        return name
