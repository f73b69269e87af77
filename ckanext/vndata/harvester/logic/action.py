"""Read-only actions over the Vietnamese harvests (report.py does the counting), and
ckanext-harvest's source and job actions chained so that bad input is a validation
error in the user's language and a source's secrets never reach its public config,
removing a source is removal_action.py's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.logic import auth_audit_exempt
from ckan.types import Action, Context, DataDict
from ckanext.harvest.logic import HarvestJobExists, HarvestSourceInactiveError
from ckanext.harvest.model import HarvestJob, HarvestSource

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import (
    config_keys,
    deferred_index,
    duplicates,
    json_preview,
    json_source,
    overview,
    report,
    schedule,
    secrets,
    source_deletion,
    source_urls,
    stuck_objects,
)
from ckanext.vndata.harvester.logic import index_action, removal_action
from ckanext.vndata.lib import text
from ckanext.vndata.lib.navl import require_one_of

VNDATA_TYPES = config_keys.ALL  # the harvester types whose config we validate


@tk.side_effect_free
def vndata_harvest_job_report(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Counts (added, updated, unchanged, withdrawn, quarantined, errors), gather
    errors and each record's messages for one job.

    :param id: the harvest job id
    """
    tk.check_access("vndata_harvest_job_report", context, data_dict)
    job = HarvestJob.get(tk.get_or_bust(data_dict, "id"))
    if job is None:
        raise tk.ObjectNotFound(tk._("Harvest job not found"))
    return report.job_report(job)


@tk.side_effect_free
def vndata_harvest_overview(context: Context, data_dict: DataDict) -> list[dict]:
    """Every Vietnamese harvest source by province: its datasets, its last job, its
    last successful harvest and its cross-source duplicates."""
    tk.check_access("vndata_harvest_overview", context, data_dict)
    return overview.overview()


@tk.side_effect_free
def vndata_harvest_duplicates(context: Context, data_dict: DataDict) -> list[dict]:
    """Datasets harvested from more than one source, with every origin."""
    tk.check_access("vndata_harvest_duplicates", context, data_dict)
    return duplicates.duplicate_pairs()


# Sources are written through package_create/update (the source form and
# ckanext-harvest's own actions end there), and harvest_source_create/update/patch log
# their whole input before that: each of them takes the secrets out first.


@tk.chained_action
@auth_audit_exempt  # as the action it wraps: package_create checks access
def harvest_source_create(up: Action, context: Context, data_dict: DataDict):
    secrets.take(context, data_dict)
    return up(context, data_dict)


@tk.chained_action
@auth_audit_exempt  # as the action it wraps: package_update checks access
def harvest_source_update(up: Action, context: Context, data_dict: DataDict):
    secrets.take(context, data_dict)
    return up(context, data_dict)


@tk.chained_action
@auth_audit_exempt  # as the action it wraps: package_patch checks access
def harvest_source_patch(up: Action, context: Context, data_dict: DataDict):
    secrets.take(context, data_dict)
    return up(context, data_dict)


@tk.chained_action
def package_create(up: Action, context: Context, data_dict: DataDict):
    if data_dict.get("type") != secrets.SOURCE_TYPE:
        return up(context, data_dict)
    secrets.take(context, data_dict)
    return _write_source(up, context, data_dict, "package_create")


@tk.chained_action
def package_update(up: Action, context: Context, data_dict: DataDict):
    # package_update keeps the stored type whatever is sent, so the stored one decides:
    # sending "type": "dataset" must not skip the secret checks of a source.
    existing = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    kind = existing.type if existing else data_dict.get("type")
    if kind != secrets.SOURCE_TYPE:
        return up(context, data_dict)
    secrets.take(context, data_dict)
    return _write_source(up, context, data_dict, "package_update", existing)


def _write_source(
    up: Action,
    context: Context,
    data_dict: DataDict,
    auth: str,
    existing: model.Package | None = None,
):
    """Create or update a harvest source (its secrets already taken out), with
    ckanext-harvest's raw English errors made clear.

    Access is checked first, as ``up`` would (our chained auth: sources are for
    sysadmins): the checks below name other sources and whether this one has a
    secret, so a user who may not write sources is refused before they say anything.
    """
    try:
        tk.check_access(auth, context, data_dict)
        schedule.take(context, data_dict)
        if existing is not None:
            secrets.check_move(
                context, existing, data_dict.get("url"), data_dict.get("config")
            )
        _check_source_input(data_dict)
        source_urls.check_duplicate(context.get("user"), data_dict)
        _name_from_title(data_dict)
        _check_target_organizations(context, data_dict)
        try:
            return up(context, data_dict)
        except tk.ValidationError as error:
            errors = _clear_errors(error.error_dict, data_dict)
            raise tk.ValidationError(errors) from None
    finally:
        secrets.forget(context)  # saved by the hook, or not to be saved
        schedule.forget(context)


def _check_source_input(data_dict: DataDict) -> None:
    """What ckanext-harvest does not check: a field of another JSON type fails
    later with a 500, and an address that is not http(s) is stored unharvestable."""
    errors: dict[str, list[str]] = {}
    url = data_dict.get("url")
    if url is not None:
        parts = urlsplit(url.strip()) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            errors["url"] = [tk._("url must be an http:// or https:// address.")]
    config = data_dict.get("config")
    if config is not None and not isinstance(config, str):
        errors["config"] = [tk._("The configuration must be a JSON object.")]
    for key in ("source_type", "frequency", "title", "name"):
        if data_dict.get(key) is not None and not isinstance(data_dict[key], str):
            errors[key] = [tk._("{key} must be text.").format(key=key)]
    if errors:
        raise tk.ValidationError(errors)


def _name_from_title(data_dict: DataDict) -> None:
    """A source's URL name transliterated from its Vietnamese title (or from a name
    typed with accents), as a dataset's: ckanext-harvest's schema would refuse an
    empty name, and the browser's slug preview alone dropped every accented letter.
    An update without a name keeps the stored one."""
    given, title = data_dict.get("name") or "", data_dict.get("title") or ""
    if given or (title and not data_dict.get("id")):
        data_dict["name"] = text.url_name(
            given, title, lambda name: model.Package.get(name) is not None
        )


def _check_target_organizations(context: Context, data_dict: DataDict) -> None:
    """A source imports as the site user: an editor who may manage sources
    (``editors_manage_sources``) may point it only at organizations they may publish
    in, and may not have it create organizations."""
    user = context.get("user")
    if not user or authz.is_sysadmin(user) or context.get("ignore_auth"):
        return
    try:
        config = source_config.parse(data_dict.get("config"))
    except source_config.ConfigError:
        return  # validate_config reports it
    targets = [config.get("default_organization")] + [
        rule["organization"] for rule in config.get("publisher_rules") or []
    ]
    refused = []
    for organization in filter(None, targets):
        try:
            tk.check_access(
                "package_create", {"user": user}, {"owner_org": organization}
            )
        except (tk.NotAuthorized, tk.ObjectNotFound):
            refused.append(organization)
    errors = []
    if refused:
        errors.append(
            tk._("You may not publish in these organizations: {names}.").format(
                names=", ".join(sorted(set(refused)))
            )
        )
    if config["unknown_publishers"] == "create":
        errors.append(tk._('Only a sysadmin may set unknown_publishers to "create".'))
    if errors:
        raise tk.ValidationError({"config": errors})


def _clear_errors(errors: dict, data_dict: DataDict) -> dict:
    """ckanext-harvest's validators answer in English, with Python reprs: say it
    in the user's language, naming the field (its validators cannot be replaced
    without copying its schema)."""
    errors = dict(errors)
    if "config" in errors and data_dict.get("source_type") in VNDATA_TYPES:
        problems = json_source.problems(
            data_dict["source_type"], data_dict.get("config")
        )
        if problems:
            errors["config"] = [message for _key, message in problems]
    if "source_type" in errors and data_dict.get("source_type"):
        message = tk._(
            "source_type: unknown harvester type {given}; choose one of: {known}."
        )
        known = sorted(h["name"] for h in tk.h.harvesters_info())
        errors["source_type"] = [
            message.format(given=data_dict["source_type"], known=", ".join(known))
        ]
    if "frequency" in errors:
        message = tk._("frequency: unknown frequency {given}; choose one of: {known}.")
        errors["frequency"] = [
            message.format(
                given=data_dict.get("frequency"), known=", ".join(_frequencies())
            )
        ]
    if any("already is a Harvest Source" in str(m) for m in errors.get("url", [])):
        message = tk._("url: another harvest source already harvests this address.")
        errors["url"] = [message]
    return errors


def _frequencies() -> list[str]:
    from ckanext.harvest.model import UPDATE_FREQUENCIES

    return list(UPDATE_FREQUENCIES)


@tk.chained_action
def harvest_job_create(up: Action, context: Context, data_dict: DataDict):
    """ckanext-harvest raises plain exceptions (a 500) for a source that has a job
    waiting or running, or is inactive: these are conflicts the user can act on."""
    require_one_of(data_dict, "source_id")
    if isinstance(data_dict["source_id"], str):
        # Not while a clear of the source, having found no job, is removing its
        # history and datasets (source_deletion.hold_new_jobs).
        source_deletion.hold_new_jobs([data_dict["source_id"]])
    try:
        return up(context, data_dict)
    except HarvestJobExists:
        raise tk.ValidationError(
            {
                "source_id": [
                    tk._(
                        "This source already has a harvest job waiting or running; "
                        "start another when it has finished."
                    )
                ]
            }
        ) from None
    except HarvestSourceInactiveError:
        raise _inactive() from None


def _inactive() -> tk.ValidationError:
    return tk.ValidationError(
        {"source_id": [tk._("This harvest source is inactive (deleted).")]}
    )


# Other ckanext-harvest actions that fail with a 500 on ordinary bad input.


@tk.chained_action
@tk.side_effect_free  # as the action it wraps
def harvest_source_show_status(up: Action, context: Context, data_dict: DataDict):
    require_one_of(data_dict, "id")
    return up(context, data_dict)


@tk.chained_action
def harvest_get_notifications_recipients(
    up: Action, context: Context, data_dict: DataDict
):
    require_one_of(data_dict, "source_id")
    return up(context, data_dict)


@tk.chained_action
def harvest_job_abort(up: Action, context: Context, data_dict: DataDict):
    require_one_of(data_dict, "id", "source_id")
    return up(context, data_dict)


@tk.chained_action
def harvest_jobs_run(up: Action, context: Context, data_dict: DataDict):
    """Records left half-way by a lost consumer are sent again (stuck_objects.py),
    before ckanext-harvest's resubmission sends the WAITING ones; a job whose
    records are all done is searchable in full before ckanext-harvest marks it
    finished: what its consumers noted and did not index (one lost mid-batch) is
    indexed first (deferred_index.py)."""
    tk.check_access("harvest_jobs_run", context, data_dict)
    stuck_objects.vndata_requeue_stuck_objects()
    deferred_index.vndata_index_finished_jobs()
    return up(context, data_dict)


@tk.chained_action
def harvest_objects_import(up: Action, context: Context, data_dict: DataDict):
    """ckanext-harvest raises a plain Exception for an inactive source."""
    source = HarvestSource.get(data_dict.get("source_id") or "")
    if source is not None and not source.active and not data_dict.get("guid"):
        tk.check_access("harvest_objects_import", context, data_dict)
        raise _inactive()
    return up(context, data_dict)


def vndata_harvest_source_preview(
    context: Context, data_dict: DataDict
) -> dict[str, Any]:
    """The first records of a ``vndata_json`` source's list as they would be imported
    (json_preview.py), before the source is saved; ``id`` to try a saved source with
    its stored login. Reads the remote API; writes nothing.

    :param url: the API's list endpoint
    :param config: the source's configuration (JSON text)
    :param id: the saved source the form edits (optional)
    :param owner_org: the organization of a new source (optional)
    :param title: the source's title, as its datasets will name their catalogue
    """
    source_id = data_dict.get("id")
    if source_id is not None:  # text PostgreSQL can compare, before the auth reads it
        source_id = source_deletion.checked_id(data_dict)
    owner_org = data_dict.get("owner_org")
    if owner_org is not None and not (
        isinstance(owner_org, str) and text.can_store(owner_org)
    ):  # the auth looks the organization up by it
        message = tk._("{key} must be text.").format(key="owner_org")
        raise tk.ValidationError({"owner_org": [message]})
    tk.check_access("vndata_harvest_source_preview", context, data_dict)
    if source_id:
        source = model.Package.get(source_id)
        if source is None or source.type != "harvest" or source.state != "active":
            raise tk.ObjectNotFound(tk._("Harvest source not found"))
        source_id = source.id
    source_type = data_dict.get("source_type") or json_source.JSON
    if source_type != json_source.JSON:
        raise tk.ValidationError(
            {"source_type": [tk._("Only a JSON API source has a mapping to try.")]}
        )
    # What saving would refuse an editor is not tried for them either.
    _check_target_organizations(context, {"config": data_dict.get("config")})
    return json_preview.preview(
        context,
        data_dict.get("url"),
        data_dict.get("config"),
        source_id,
        data_dict.get("title"),
        owner_org,
    )


def get_actions() -> dict:
    return {
        **index_action.get_actions(),
        "vndata_harvest_source_preview": vndata_harvest_source_preview,
        "vndata_harvest_job_report": vndata_harvest_job_report,
        "vndata_harvest_overview": vndata_harvest_overview,
        "vndata_harvest_duplicates": vndata_harvest_duplicates,
        "harvest_source_create": harvest_source_create,
        "harvest_source_update": harvest_source_update,
        "harvest_source_patch": harvest_source_patch,
        "harvest_job_create": harvest_job_create,
        "package_create": package_create,
        "package_update": package_update,
        "harvest_source_show_status": harvest_source_show_status,
        "harvest_get_notifications_recipients": harvest_get_notifications_recipients,
        "harvest_job_abort": harvest_job_abort,
        "harvest_jobs_run": harvest_jobs_run,
        "harvest_objects_import": harvest_objects_import,
        **removal_action.get_actions(),
    }
