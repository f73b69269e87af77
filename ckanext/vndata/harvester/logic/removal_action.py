"""ckanext-harvest's and CKAN's actions that remove a harvest source, chained: clearing
or deleting a source withdraws the plans it brought, deleting one never orphans its
datasets (source_deletion.py), purging one takes its secrets and schedule along, and
clearing its history keeps what identifies its datasets."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import auth_audit_exempt
from ckan.types import Action, Context, DataDict
from ckanext.harvest.model import HarvestSource

from ckanext.vndata.harvester import page_cache, schedule, secrets
from ckanext.vndata.harvester import source_deletion as deleting
from ckanext.vndata.plan import harvested


@tk.chained_action
def dataset_purge(up: Action, context: Context, data_dict: DataDict):
    """A purged source's secrets and schedule go with it, in the purge's commit."""
    source = model.Package.get(tk.get_or_bust(data_dict, "id"))
    if source is not None and source.type == secrets.SOURCE_TYPE:
        tk.check_access("dataset_purge", context, data_dict)
        secrets.purge(source.id)
        schedule.purge(source.id)
    return up(context, data_dict)


@tk.chained_action
def harvest_source_clear(up: Action, context: Context, data_dict: DataDict):
    """A cleared source's plans go with its datasets (_withdraw_plans)."""
    source = HarvestSource.get(deleting.checked_id(data_dict))
    if source is not None:
        tk.check_access("harvest_source_clear", context, data_dict)
        deleting.hold_new_jobs([source.id])
        deleting.refuse_unsafe_clear(context, source.id)
    result = up(context, data_dict)
    if source is not None:
        _withdraw_plans(source.id)
    return result


# Both history clears are exempt from CKAN's audit of auth calls, as CKAN makes every
# plugin's own action but not a chained one: the audit wants a check named after the
# action, and ckanext-harvest (1.6) registers each of its actions as an auth function
# too (one default dict shared by its _get_logic_functions), so that check would run
# the clear itself. They check harvest_source(s)_clear, as ckanext-harvest's do.
@tk.chained_action
@auth_audit_exempt
def harvest_source_job_history_clear(up: Action, context: Context, data_dict: DataDict):
    """Clears a source's past jobs and objects, always keeping its current objects
    and their jobs; refused while a job of the source is New or Running.

    ckanext-harvest's own, without ``keep_current``, deleted every object: the
    current ones are how a harvest finds the dataset a record made
    (identity.py) and what it withdraws when the record leaves (deletion.py), so
    the next run made a second copy of every dataset and left the first ones
    unharvested forever. Retention (retention.py) trims the same history by the
    same rule. And with a job running, the job's own objects were deleted under
    its consumers.
    """
    source = HarvestSource.get(deleting.checked_id(data_dict))
    if source is not None:
        tk.check_access("harvest_source_clear", context, {"id": source.id})
        deleting.hold_new_jobs([source.id])
        _refuse_while_running([source.id])
    result = up(context, {**data_dict, "keep_current": True})
    if source is not None:
        page_cache.forget_removed_jobs([source.id])
    return result


@tk.chained_action
@auth_audit_exempt
def harvest_sources_job_history_clear(
    up: Action, context: Context, data_dict: DataDict
):
    """harvest_source_job_history_clear for every source, refused before any is
    cleared when a job of any of them is New or Running (ckanext-harvest's stops at
    the first refusal, half done)."""
    tk.check_access("harvest_sources_clear", context, data_dict)
    # The sources ckanext-harvest's clears: the active ones (a New job of an inactive
    # source never starts, and would refuse it for ever).
    active = model.Session.query(HarvestSource.id).filter(HarvestSource.active)
    sources = [source_id for (source_id,) in active]
    deleting.hold_new_jobs(sources)
    _refuse_while_running(sources)
    result = up(context, {**data_dict, "keep_current": True})
    page_cache.forget_removed_jobs(sources)
    return result


def _refuse_while_running(source_ids: list[str]) -> None:
    running = deleting.unfinished_jobs(source_ids)
    if running:
        titles = sorted(
            (model.Package.get(source_id) or HarvestSource.get(source_id)).title
            or source_id
            for source_id in running
        )
        raise tk.ValidationError(
            {
                "harvest_job": [
                    tk._(
                        "A harvest job of {sources} is not yet finished: stop it "
                        "first, or clear the history once it ends."
                    ).format(sources=", ".join(titles))
                ]
            }
        )


@tk.chained_action
def harvest_source_delete(up: Action, context: Context, data_dict: DataDict):
    """Deletes a harvest source, its datasets handed over or withdrawn
    (source_deletion.py), its plans withdrawn (_withdraw_plans).

    :param id: the source's id or name
    :param vndata_datasets: ``hand_over`` (the default) or ``withdraw``
    :param vndata_organization: hand_over only: the organization (id or name) that
        receives the datasets (default: each keeps its own)
    :returns: ``{"vndata_datasets": the choice, "datasets": how many}``
    :raises: ValidationError while a job of the source is New or Running, or when
        the caller, not a sysadmin, may not change (hand over) or delete (withdraw)
        every one of its datasets, whatever organization owns them
    """
    source = model.Package.get(deleting.checked_id(data_dict))
    data_dict = dict(data_dict)
    tk.check_access("harvest_source_delete", context, data_dict)
    deleting.remember(context, deleting.checked(context, data_dict))
    if source is not None and context.get("clear_source"):
        # Checked before the source goes: harvest_source_clear runs after its commit.
        deleting.refuse_unsafe_clear(context, source.id)
    up(context, data_dict)
    if source is not None and source.type == secrets.SOURCE_TYPE:
        _withdraw_plans(source.id)
    return deleting.settled(context)


@tk.chained_action
def package_delete(up: Action, context: Context, data_dict: DataDict):
    """A harvest source is never deleted leaving its datasets orphaned, also when
    deleted as a dataset (source_deletion.py; the default choice then)."""
    source = deleting.source_to_settle(context, data_dict)
    if source is not None:
        tk.check_access("package_delete", context, data_dict)
        deleting.settle(context, source)
    result = up(context, data_dict)
    if source is not None:
        deleting.reindex_handed_over(context)
    return result


def _withdraw_plans(source_id: str) -> None:
    """The plans a source brought, withdrawn once the source is cleared or deleted.

    ckanext-harvest removes the source's datasets and harvest objects but knows
    nothing of plans, and no one on this portal may change a harvested plan (it is
    the source portal's): without this its plans stayed published, counted on the
    dashboard and holding their item keys, with no harvest left to withdraw them.
    Chained rather than patched: ckanext-harvest is an installed package. Withdrawn
    as a harvest withdraws them (plan/harvested.py), history kept."""
    if not p.plugin_loaded("vndata_plan"):
        return
    for series_id in harvested.series_of_source(source_id):
        harvested.withdraw(source_id, series_id)


def get_actions() -> dict:
    return {
        "dataset_purge": dataset_purge,
        "harvest_source_clear": harvest_source_clear,
        "harvest_source_delete": harvest_source_delete,
        "harvest_source_job_history_clear": harvest_source_job_history_clear,
        "harvest_sources_job_history_clear": harvest_sources_job_history_clear,
        "package_delete": package_delete,
    }
