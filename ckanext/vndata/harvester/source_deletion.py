"""What becomes of a harvest source's datasets when the source is deleted.

ckanext-harvest (1.6) alone: ``harvest_source_delete`` is ``package_delete`` of the
source's dataset, and its ``after_dataset_delete`` flags the HarvestSource inactive.
The source's datasets stay active, still linked to it by their current harvest
objects, but no harvest will ever update or withdraw them again: orphans, shown as
harvested from a source that is gone. With ``clear_source`` (the web's "Delete and
clear") ``harvest_source_clear`` deletes them instead, by raw SQL: rows removed from
``package`` (no package_delete, no activity, no deletion policy), with every object
and job of the source.

Here the operator chooses (``vndata_datasets``), and a source is never deleted
otherwise, also through a plain ``package_delete``:

- HAND_OVER (the default: nothing is lost): the datasets stay, no longer harvested
  (their harvest objects unlinked, so no source finds them again), owned by
  ``vndata_organization`` or, when none is given, by the organization that owns each
  already; each keeps a note of the source it came from (extra NOTE). Handing over
  needs the right to publish in the receiving organization.
- WITHDRAW: each dataset is withdrawn as a harvest withdraws a record that left its
  catalogue (deletion.py's delete-objects end in ckanext-dcat's import calling
  package_delete): deleted, not purged, its history kept; its objects no longer
  current. The source's plans are withdrawn in both cases (logic/action.py's
  _withdraw_plans): a harvested plan is the source portal's, and no one here may
  change it.

Input is checked whole before anything is written, and so are the deleter's rights
on every organization that owns one of the datasets (they may lie outside the
source's: publisher rules, default_organization, unknown_publishers "create"), and
that no job of the source is New or Running (its queued records would import after
the datasets were settled, bringing back orphans or duplicates). A hand-over is
written in the source's deletion transaction (``_move``: not package_owner_org_update,
which commits each dataset), its datasets reindexed after that commit
(``reindex_handed_over``); a withdrawal deletes dataset after dataset (CKAN's
package_delete commits each), then the source, so a failure midway leaves the source
in place, to delete again.
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.lib import search
from ckan.types import Context, DataDict
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

from ckanext.vndata.harvester import deferred_index, language, secrets
from ckanext.vndata.lib import advisory_locks
from ckanext.vndata.lib.i18n import N_
from ckanext.vndata.lib.navl import require_one_of
from ckanext.vndata.lib.text import can_store

DATASETS = "vndata_datasets"
ORGANIZATION = "vndata_organization"
HAND_OVER = "hand_over"
WITHDRAW = "withdraw"
CHOICES = {
    HAND_OVER: N_("Keep them, handed over to an organization"),
    WITHDRAW: N_("Withdraw them, as a harvest withdraws a record that left"),
}
DEFAULT = HAND_OVER
# On a handed-over dataset: the source it was harvested from, and when it was handed.
NOTE = "vndata_handed_over_from"
# The checked choice, from harvest_source_delete to the package_delete it calls.
_CHOSEN = "vndata_source_datasets"
_SETTLED = "vndata_source_settled"
_HANDED = "vndata_source_handed_over"
# ckanext-harvest's statuses of a job whose records may still import.
UNFINISHED_JOBS = ("New", "Running")
# What a deleter needs on each dataset, by choice, and the refusal without it.
_NEEDED = {HAND_OVER: "package_update", WITHDRAW: "package_delete"}
_REFUSALS = {
    HAND_OVER: N_(
        "Some of the source's datasets belong to organizations where you may not "
        "edit datasets: {names}. Ask a sysadmin to delete the source."
    ),
    WITHDRAW: N_(
        "Some of the source's datasets belong to organizations where you may not "
        "delete datasets: {names}. Ask a sysadmin to delete the source."
    ),
}


def checked_id(data_dict: DataDict) -> str:
    """The source's id or name in ``data_dict``: text PostgreSQL can compare (a dict,
    a list or a NUL reached Package.get and ended in a 500)."""
    require_one_of(data_dict, "id")
    value = data_dict["id"]
    if not isinstance(value, str) or not can_store(value):
        message = tk._("{key} must be text.").format(key="id")
        raise tk.ValidationError({"id": [message]})
    return value


def checked(context: Context, data_dict: DataDict) -> tuple[str, str | None]:
    """The choice in ``data_dict`` (its keys taken out), validated and authorized:
    (HAND_OVER or WITHDRAW, the receiving organization's id or None)."""
    choice = data_dict.pop(DATASETS, None)
    organization = data_dict.pop(ORGANIZATION, None)
    errors: dict[str, list[str]] = {}
    if choice in (None, ""):
        choice = DEFAULT
    if not isinstance(choice, str) or choice not in CHOICES:
        errors[DATASETS] = [
            tk._("{key}: choose one of: {known}.").format(
                key=DATASETS, known=", ".join(CHOICES)
            )
        ]
    group = None
    if organization not in (None, ""):
        if not isinstance(organization, str):
            errors[ORGANIZATION] = [
                tk._("{key} must be text.").format(key=ORGANIZATION)
            ]
        elif choice != HAND_OVER:
            errors[ORGANIZATION] = [
                tk._("An organization is chosen only to hand the datasets over.")
            ]
        else:
            # A name PostgreSQL cannot even compare (NUL, lone surrogate) names none.
            group = model.Group.get(organization) if can_store(organization) else None
            if group is None or not group.is_organization or group.state != "active":
                errors[ORGANIZATION] = [
                    tk._("Organization not found: {value}").format(
                        value=language.quoted(organization)
                    )
                ]
    if errors:
        raise tk.ValidationError(errors)
    if group is not None and not context.get("ignore_auth"):
        try:
            tk.check_access(
                "package_create", {"user": context.get("user")}, {"owner_org": group.id}
            )
        except tk.NotAuthorized:
            raise tk.NotAuthorized(
                tk._("You may not hand datasets over to {name}.").format(
                    name=language.quoted(group.display_name)
                )
            ) from None
    return choice, group.id if group is not None else None


def remember(context: Context, choice: tuple[str, str | None]) -> None:
    context[_CHOSEN] = choice  # type: ignore[literal-required]


def settled(context: Context) -> dict[str, Any] | None:
    """What ``settle`` did in this context (None: the source was not deleted)."""
    return context.get(_SETTLED)  # type: ignore[return-value]


def source_to_settle(context: Context, data_dict: DataDict) -> model.Package | None:
    """The harvest source package_delete is about to delete, if its datasets are to
    be settled here: not one already deleted, nor one deleted "and cleared"
    (clear_source: harvest_source_clear then removes its datasets itself)."""
    name_or_id = data_dict.get("id")
    if not isinstance(name_or_id, str) or not can_store(name_or_id):
        return None  # not a source; package_delete answers it
    source = model.Package.get(name_or_id)
    if source is None or source.type != secrets.SOURCE_TYPE:
        return None
    if source.state == "deleted" or context.get("clear_source"):
        return None
    return source


def datasets_of(source_id: str) -> list[str]:
    """The live datasets the source's current objects made."""
    rows = (
        model.Session.query(HarvestObject.package_id)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.current.is_(True))
        .filter(model.Package.state != "deleted")
        .distinct()
    )
    return sorted(package_id for (package_id,) in rows)


def refuse_unsafe_clear(context: Context, source_id: str) -> None:
    """``refuse_unsafe`` for a withdrawal, before harvest_source_clear (also "delete
    and clear") removes, by raw SQL, every dataset any object of the source made,
    whatever organization owns it (not only the live ones ``datasets_of`` gives); a
    job New or Running is refused too: its queued records would import after the
    clear, bringing datasets back."""
    rows = (
        model.Session.query(HarvestObject.package_id)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id)
        .distinct()
    )
    datasets = sorted(package_id for (package_id,) in rows)
    refuse_unsafe(context, source_id, datasets, WITHDRAW)


def settle(context: Context, source: model.Package) -> dict[str, Any]:
    """Withdraw or hand over the datasets of ``source`` (a harvest source's dataset,
    about to be deleted), as chosen with ``checked`` (the default when nothing was)."""
    choice, organization = context.pop(_CHOSEN, (DEFAULT, None))  # type: ignore[misc]
    harvest_source = HarvestSource.get(source.id)
    datasets = datasets_of(source.id) if harvest_source is not None else []
    refuse_unsafe(context, source.id, datasets, choice)
    if choice == WITHDRAW:
        _withdraw(datasets, source.id)
    else:
        _hand_over(datasets, source, organization)
        context[_HANDED] = datasets  # type: ignore[literal-required]
    settled = {DATASETS: choice, "datasets": len(datasets)}
    context[_SETTLED] = settled  # type: ignore[literal-required]
    return settled


def refuse_unsafe(
    context: Context, source_id: str, datasets: list[str], choice: str
) -> None:
    """A validation error, before anything is written, while a job of the source is
    unfinished, or when the deleter (not a sysadmin) may not change every one of the
    datasets as chosen: the site user acts for them, so without this an editor of
    the source's organization withdrew or moved other organizations' datasets."""
    errors: dict[str, list[str]] = {}
    if unfinished_jobs([source_id]):
        errors["harvest_job"] = [
            tk._("The source has a harvest job not yet finished: stop that job first.")
        ]
    user = context.get("user")
    if not context.get("ignore_auth") and not authz.is_sysadmin(user):
        refused = _organizations_refusing(user, datasets, _NEEDED[choice])
        if refused:
            errors[DATASETS] = [_refusal(choice, refused)]
    if errors:
        raise tk.ValidationError(errors)


def hold_new_jobs(source_ids: list[str]) -> None:
    """Until this transaction ends, no job of these sources is created
    (harvest_job_create takes the same lock, logic/action.py): what a clear checked
    of their unfinished jobs stays true until the clear commits. A PostgreSQL
    transaction-level advisory lock per source, taken in a fixed order."""
    for key in sorted(_job_lock(source_id) for source_id in source_ids):
        model.Session.execute(
            sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key}
        )


def _job_lock(source_id: str) -> int:
    return advisory_locks.key(f"vndata-harvest-jobs:{source_id}")


def unfinished_jobs(source_ids: list[str]) -> list[str]:
    """The sources among ``source_ids`` with a job New or Running."""
    rows = (
        model.Session.query(HarvestJob.source_id)
        .filter(
            HarvestJob.source_id.in_(source_ids),
            HarvestJob.status.in_(UNFINISHED_JOBS),
        )
        .distinct()
    )
    return sorted(source_id for (source_id,) in rows)


def _refusal(choice: str, organizations: list[str]) -> str:
    return tk._(_REFUSALS[choice]).format(names=", ".join(organizations))


def _organizations_refusing(
    user: str | None, datasets: list[str], action: str
) -> list[str]:
    """The names of the organizations owning a dataset ``user`` may not ``action``.

    Asked dataset by dataset, of the action's own auth function: a collaborator's
    rights and other plugins' chained rules count, as they would for a call."""
    refused: set[str | None] = set()
    for package_id in datasets:
        try:
            tk.check_access(action, {"user": user}, {"id": package_id})
        except tk.NotAuthorized:
            refused.add(model.Package.get(package_id).owner_org)
    names = []
    for owner in refused:
        group = model.Group.get(owner) if owner else None
        names.append(
            language.quoted(group.display_name)
            if group is not None
            else tk._("no organization")
        )
    return sorted(names)


def reindex_handed_over(context: Context) -> None:
    """Index the datasets the deletion in ``context`` handed over, once it committed:
    CKAN's indexing on commit missed most of them, and Solr kept the deleted
    source's harvest_source_id."""
    handed = context.pop(_HANDED, None)  # type: ignore[misc]
    if handed:
        deferred_index.index_datasets(handed)
        search.commit()


def _site_context() -> dict[str, Any]:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True}


def _withdraw(datasets: list[str], source_id: str) -> None:
    for package_id in datasets:
        tk.get_action("package_delete")(_site_context(), {"id": package_id})
    model.Session.query(HarvestObject).filter(
        HarvestObject.harvest_source_id == source_id
    ).update({"current": False}, synchronize_session=False)


def _hand_over(
    datasets: list[str], source: model.Package, organization: str | None
) -> None:
    """Written without committing: the source's deletion commits it all."""
    harvest_source = HarvestSource.get(source.id)
    # Data, not a message: the same whatever the operator's language.
    note = "{title} ({url}), {date}".format(
        title=source.title or source.name,
        url=harvest_source.url if harvest_source is not None else "",
        date=datetime.date.today().isoformat(),
    )
    for package_id in datasets:
        package = model.Package.get(package_id)
        if organization and package.owner_org != organization:
            _move(package, organization)
        package.extras[NOTE] = note
    # No source finds them again: identity.py looks datasets up by these links.
    model.Session.query(HarvestObject).filter(
        HarvestObject.harvest_source_id == source.id
    ).update({"current": False, "package_id": None}, synchronize_session=False)


def _move(package: model.Package, organization: str) -> None:
    """package_owner_org_update's writes (owner_org and the membership rows), without
    its commits: its member_obj.save() commits, dataset by dataset, whatever the
    context's defer_commit, and a failure further on left datasets moved while the
    source stayed."""
    package.owner_org = organization
    members = model.Session.query(model.Member).filter(
        model.Member.table_id == package.id, model.Member.capacity == "organization"
    )
    kept = False
    for member in members:
        if member.group_id == organization and not kept:
            member.state, kept = "active", True
        else:
            member.state = "deleted"
    if not kept:
        model.Session.add(
            model.Member(
                # Both, as core passes them: a Member made without its group gets
                # no group_id on flush.
                group=model.Group.get(organization),
                table_id=package.id,
                table_name="package",
                group_id=organization,
                capacity="organization",
                state="active",
            )
        )
