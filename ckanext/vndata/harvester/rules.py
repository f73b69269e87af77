"""What happens to one harvested record before it is written, for both harvesters.

The source's config decides: which national organization publishes it (publisher
rules; unknown publishers go to the default organization, get an organization of their
own under the province, or wait for review), whether the parse notes of a record stop
it (validation ``block``) and which fields the national portal keeps as its own. A
record a rule stops is held back (quarantine.py).
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.vndata.harvester.quarantine import Quarantined
from ckanext.vndata.lib import advisory_locks, agency_codes, text
from ckanext.vndata.plan.roster import CENTRAL_LEVEL
from ckanext.vndata.plan.shipped_roster import PROVINCE_AGENCY_CODES

log = logging.getLogger(__name__)


def rule_for(agency: dict[str, Any], config: dict[str, Any]) -> str | None:
    """The organization a publisher rule of the source names for the record's
    publisher (by its code, URI or name), if one does."""
    code, uri = agency.get("agency_code"), agency.get("uri")
    name = agency.get("title")
    for rule in config.get("publisher_rules") or []:
        if code and rule.get("agency_code") == code:
            return rule["organization"]
        if uri and rule.get("uri") == uri:
            return rule["organization"]
        if name and rule.get("name") and text.fold(rule["name"]) == text.fold(name):
            return rule["organization"]
    return None


def organization_for(
    agency: dict[str, Any],
    config: dict[str, Any],
    organizations: NewOrganizations,
) -> str | None:
    """The national organization for the record's publisher, by the source's rules.

    None leaves the harvester's choice (the source's own organization).
    """
    matched = rule_for(agency, config)
    if matched or not agency.get("title"):
        return matched or config.get("default_organization")
    policy = config["unknown_publishers"]
    if policy == "review":
        raise Quarantined(
            tk._(
                "The publisher {name} matches no rule of this source; the record waits "
                "for review (add a publisher rule, then harvest again)."
            ).format(name=agency["title"])
        )
    if policy == "create":
        return _province_organization(agency, config, organizations)
    return config.get("default_organization")


class NewOrganizations:
    """The organization one import makes for an unknown publisher: removed again when
    the record is not imported (it fails validation, is held back or raises), so
    that no empty organization is left behind.

    An organization that has no dataset yet can be removed by the import that made
    it, so whichever import uses it takes its lock first (a PostgreSQL advisory lock,
    on a connection of its own, held until the import ends: another consumer's
    import of the same publisher waits, then finds the organization with a dataset
    in it, or gone and to be made again). Once it has a dataset it is never removed
    and is used without the lock.
    """

    def __init__(self, user: str):
        self.user = user
        self.made: str | None = None
        self._locks = advisory_locks.HeldLocks()

    def lock(self, name: str) -> None:
        self._locks.take(f"vndata-organization:{name}")

    def settle(self, imported: bool) -> None:
        """After the import: the organization it made goes if its record did not
        come in and nothing else uses it; then the lock is released."""
        made, self.made = self.made, None
        try:
            if made and not imported and _unused(made, self.user):
                # Not CKAN's organization_purge: it ends with Session.remove(),
                # which detaches the harvest objects ckanext-harvest still holds.
                # The group's members and extras go with it (their cascades).
                model.Group.get(made).purge()
                model.Session.commit()
                log.info("Removed organization %s: its record was not imported",
                         made)  # fmt: skip
        except Exception:  # called after the import's own error handling: not out
            model.Session.rollback()
            log.exception("Organization %s made for a record not imported", made)
        finally:
            self._locks.release()


def _has_datasets(organization_id: str) -> bool:
    """Any dataset, also a deleted one (it can be restored into it)."""
    return (
        model.Session.query(model.Package.id)
        .filter(model.Package.owner_org == organization_id)
        .first()
        is not None
    )


def _unused(organization_id: str, user: str) -> bool:
    """No dataset and no member but the harvest user that made it."""
    if _has_datasets(organization_id):
        return False
    harvest_user = model.User.get(user)
    members = model.Session.query(model.Member).filter(
        model.Member.group_id == organization_id, model.Member.state == "active"
    )
    return all(
        member.table_name == "user"
        and harvest_user is not None
        and member.table_id == harvest_user.id
        for member in members
    )


def _organization_name(name: str) -> str:
    """``name``, or ``name-2``... when a group (not an organization) holds it: groups
    and organizations share their names."""
    taken = {
        group_name
        for (group_name,) in model.Session.query(model.Group.name).filter(
            model.Group.name.startswith(name, autoescape=True),
            model.Group.is_organization.is_(False),
        )
    }
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def new_organization_name(agency: dict[str, Any], config: dict[str, Any]) -> str:
    """The name of the organization the "create" policy makes (or reuses) for a
    publisher no rule names: the publisher's, under the source's province."""
    province = config.get("province_code")
    base = text.slugify(agency["title"])[:80] or "co-quan"
    return _organization_name(f"{base}-{province}" if province else f"{base}-thu-thap")


def _province_organization(
    agency: dict[str, Any], config: dict[str, Any], organizations: NewOrganizations
) -> str:
    """The publisher's own organization under the source's province, made once.

    Named after the publisher and the province of the SOURCE (a record's own province
    is the remote portal's word: it must not steer the record into an organization
    of another province), and looked up among organizations only (a group of the
    same name is not one)."""
    province = config.get("province_code")
    name = new_organization_name(agency, config)
    organization_named = model.Session.query(model.Group.id).filter(
        model.Group.name == name, model.Group.is_organization.is_(True)
    )
    existing = organization_named.first()
    if existing is not None and _has_datasets(existing.id):
        return existing.id  # never removed: no need to wait for its maker
    organizations.lock(name)
    existing = organization_named.first()
    if existing is not None:  # made before, or by an import that has now ended
        return existing.id
    user = organizations.user
    fields = {"name": name, "title": agency["title"]}
    if province:
        fields["province_code"] = province  # config.py resolved it
    for key in ("agency_code", "agency_level", "website", "address", "contact_email"):
        if agency.get(key):
            fields[key] = agency[key]
    if fields.get("agency_code"):
        try:
            agency_codes.parse(fields["agency_code"])
        except agency_codes.InvalidAgencyCode:
            fields.pop("agency_code")
    if province:
        _keep_within_province(fields, province)
    context = {"ignore_auth": True, "user": user}
    try:
        created = tk.get_action("organization_create")(context, fields)
    except tk.ValidationError as error:
        log.warning("Organization for %s not created: %s", name, error.error_dict)
        plain = {"name": name, "title": fields["title"]}
        created = tk.get_action("organization_create")(
            {"ignore_auth": True, "user": user}, plain
        )
    organizations.made = created["id"]
    log.info("Created organization %s for publisher %s", name, agency["title"])
    return created["id"]


def _keep_within_province(fields: dict[str, Any], province: str) -> None:
    """A provincial source cannot give its new organization a central identity.

    The roster files an organization under the body whose agency code prefixes its
    own (plan/roster.py), so a code such as ``G06.99`` made a province's publisher a
    ministry's, and its plan "issued" the ministry's. Only a code under the province's
    level-1 code is kept; where that code is not known (data/SOURCES.md: only Huế's
    is confirmed), only a provincial one (``H..``), which the roster cannot give to a
    central body. Nor is a central level kept: the organization keeps its province."""
    code = agency_codes.normalise(fields.get("agency_code") or "")
    own = PROVINCE_AGENCY_CODES.get(province)
    if code and not (
        code == own or code.startswith(f"{own}.") if own else code.startswith("H")
    ):
        log.warning("Agency code %s not under province %s: dropped", code, province)
        fields.pop("agency_code")
    if fields.get("agency_level") == CENTRAL_LEVEL:
        fields.pop("agency_level")


def check_notes(notes: list[str], config: dict[str, Any]) -> None:
    """With validation ``block``, a record with unmapped values waits for review."""
    if notes and config["validation"] == "block":
        raise Quarantined(
            tk._(
                "The record has values this portal does not know (validation: block): "
                "{notes}"
            ).format(notes="; ".join(notes))
        )


def keep_locally_owned(
    package: dict[str, Any], existing: dict[str, Any] | None, fields: list[str]
) -> None:
    """Fields the national portal edits itself keep its value on every update."""
    if not existing:
        return
    for field in fields:
        if field == "tag_string":  # shown as tags, written as either
            package.pop("tag_string", None)
            package["tags"] = [{"name": t["name"]} for t in existing.get("tags", [])]
        elif field in existing:
            package[field] = existing[field]
        else:
            package.pop(field, None)
