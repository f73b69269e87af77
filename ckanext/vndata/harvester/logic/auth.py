"""Who may see harvest reports and who may point the portal's harvesters somewhere.

Harvest reports are for the national operators: sysadmins (CKAN passes them).

A harvest source makes the national portal's servers fetch whatever URL it names, so
creating or changing one, and running its jobs, is for sysadmins: ckanext-harvest lets
any organization editor do it. ``ckanext.vndata.harvester.editors_manage_sources``
gives it back to organization members. The rules are chained over ckanext-harvest's
auth functions, and over package_create/package_update for datasets of type
``harvest`` (harvest_source_create and _update are package_create and _update, and
those can be called directly).
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

HARVEST_TYPE = "harvest"


def vndata_harvest_report(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": False}


def _editors_may() -> bool:
    return tk.asbool(tk.config.get("ckanext.vndata.harvester.editors_manage_sources"))


def _only_sysadmins(
    next_auth: AuthFunction, context: Context, data_dict: DataDict
) -> AuthResult:
    """Sysadmins only (CKAN lets them through before this runs), unless the option
    gives harvest sources back to their organizations' editors."""
    if _editors_may():
        return next_auth(context, data_dict)
    return {
        "success": False,
        "msg": tk._("Only system administrators may manage harvest sources."),
    }


@tk.chained_auth_function
def harvest_source_create(next_auth, context, data_dict):
    return _only_sysadmins(next_auth, context, data_dict)


@tk.chained_auth_function
def harvest_source_update(next_auth, context, data_dict):
    return _only_sysadmins(next_auth, context, data_dict)


@tk.chained_auth_function
def harvest_source_patch(next_auth, context, data_dict):
    return _only_sysadmins(next_auth, context, data_dict)


@tk.chained_auth_function
def harvest_source_clear(next_auth, context, data_dict):
    return _only_sysadmins(next_auth, context, data_dict)


@tk.chained_auth_function
def harvest_source_reindex(next_auth, context, data_dict):
    return _only_sysadmins(next_auth, context, data_dict)


@tk.chained_auth_function
def harvest_job_create(next_auth, context, data_dict):
    return _only_sysadmins(next_auth, context, data_dict)


@tk.chained_auth_function
def harvest_send_job_to_gather_queue(next_auth, context, data_dict):
    return _only_sysadmins(next_auth, context, data_dict)


@tk.chained_auth_function
def package_create(next_auth, context, data_dict):
    if (data_dict or {}).get("type") == HARVEST_TYPE:
        return _only_sysadmins(next_auth, context, data_dict)
    return next_auth(context, data_dict)


@tk.chained_auth_function
def package_update(next_auth, context, data_dict):
    if _is_harvest_source(context, data_dict or {}):
        return _only_sysadmins(next_auth, context, data_dict)
    return next_auth(context, data_dict)


@tk.chained_auth_function
def package_patch(next_auth, context, data_dict):
    if _is_harvest_source(context, data_dict or {}):
        return _only_sysadmins(next_auth, context, data_dict)
    return next_auth(context, data_dict)


def _is_harvest_source(context: Context, data_dict: DataDict) -> bool:
    """Whether the dataset being changed is, or is made into, a harvest source."""
    if data_dict.get("type") == HARVEST_TYPE:
        return True
    package = context.get("package")
    if package is None and data_dict.get("id"):
        package = model.Package.get(data_dict["id"])
    return package is not None and package.type == HARVEST_TYPE


def vndata_harvest_source_preview(context: Context, data_dict: DataDict) -> AuthResult:
    """Trying a source's mapping makes the portal read the address it names, with its
    login: for whoever may save that source (a saved one: update it; a new one:
    create it in the organization it names)."""
    data_dict = data_dict or {}
    refused = {
        "success": False,
        "msg": tk._("You may not try the mapping of this harvest source."),
    }
    try:
        if data_dict.get("id"):
            tk.check_access("harvest_source_update", context, {"id": data_dict["id"]})
        elif not data_dict.get("owner_org") and not authz.is_sysadmin(
            context.get("user")
        ):
            # Whether a source without one may be made depends on the portal's
            # settings for unowned datasets: trying one reads an address for anyone.
            return refused
        else:
            tk.check_access(
                "harvest_source_create",
                context,
                {"owner_org": data_dict.get("owner_org"), "type": HARVEST_TYPE},
            )
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return refused
    return {"success": True}


def get_auth_functions() -> dict:
    return {
        "vndata_harvest_job_report": vndata_harvest_report,
        "vndata_harvest_overview": vndata_harvest_report,
        "vndata_harvest_duplicates": vndata_harvest_report,
        "vndata_harvest_source_preview": vndata_harvest_source_preview,
        "harvest_source_create": harvest_source_create,
        "harvest_source_update": harvest_source_update,
        "harvest_source_patch": harvest_source_patch,
        "harvest_source_clear": harvest_source_clear,
        "harvest_source_reindex": harvest_source_reindex,
        "harvest_job_create": harvest_job_create,
        "harvest_send_job_to_gather_queue": harvest_send_job_to_gather_queue,
        "package_create": package_create,
        "package_update": package_update,
        "package_patch": package_patch,
    }
