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

Input is checked whole before anything is written. A hand-over is written in the
source's deletion transaction; a withdrawal deletes dataset after dataset (CKAN's
package_delete commits each), then the source, so a failure midway leaves the source
in place, to delete again.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict
from ckanext.harvest.model import HarvestObject, HarvestSource

from ckanext.vndata.harvester import language, secrets
from ckanext.vndata.lib.i18n import N_
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
    source = model.Package.get(data_dict.get("id") or "")
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


def settle(context: Context, source: model.Package) -> dict[str, Any]:
    """Withdraw or hand over the datasets of ``source`` (a harvest source's dataset,
    about to be deleted), as chosen with ``checked`` (the default when nothing was)."""
    choice, organization = context.pop(_CHOSEN, (DEFAULT, None))  # type: ignore[misc]
    harvest_source = HarvestSource.get(source.id)
    datasets = datasets_of(source.id) if harvest_source is not None else []
    if choice == WITHDRAW:
        _withdraw(datasets, source.id)
    else:
        _hand_over(datasets, source, organization)
    settled = {DATASETS: choice, "datasets": len(datasets)}
    context[_SETTLED] = settled  # type: ignore[literal-required]
    return settled


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
    context = {**_site_context(), "defer_commit": True}
    for package_id in datasets:
        package = model.Package.get(package_id)
        if organization and package.owner_org != organization:
            tk.get_action("package_owner_org_update")(
                context, {"id": package_id, "organization_id": organization}
            )
        package.extras[NOTE] = note
    # No source finds them again: identity.py looks datasets up by these links.
    model.Session.query(HarvestObject).filter(
        HarvestObject.harvest_source_id == source.id
    ).update({"current": False, "package_id": None}, synchronize_session=False)
