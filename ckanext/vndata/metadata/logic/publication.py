"""The publication gate: which datasets the law lets a portal make public.

A dataset may be public only when it is open data (Law on Data 2024 Art. 13(1)(a)), is
neither core nor important data (Art. 13(1)(b) and Decision 20/2025/QĐ-TTg), and its
personal-data risk has been assessed (Law on E-Transactions 2023 Art. 43; formerly
Decree 47/2020 Art. 20(1)). Anything else may exist only as private.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.lib.plugins import DefaultPermissionLabels
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.vndata.metadata.logic import guards

log = logging.getLogger(__name__)


def publication_refusals(
    sharing_class: Any, importance_class: Any, personal_data_assessed: Any
) -> list[str]:
    """Why a dataset with these classes may not be public (empty when it may)."""
    refusals = []
    if sharing_class != "mo":
        refusals.append(
            tk._(
                "Only open data may be public: the sharing class must be "
                "'open data' (Law on Data 2024, Art. 13(1)(a))."
            )
        )
    if importance_class != "khac":
        refusals.append(
            tk._(
                "Core and important data may not be published openly: the importance "
                "class must be 'other data' (Law on Data 2024, Art. 13(1)(b); "
                "Decision 20/2025/QĐ-TTg)."
            )
        )
    if guards.parse_bool(personal_data_assessed) is not True:
        refusals.append(
            tk._(
                "The risk of disclosing personal data must be assessed before "
                "publication (Law on E-Transactions 2023, Art. 43; formerly Decree "
                "47/2020, Art. 20(1))."
            )
        )
    return refusals


def vndata_publication_gate(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Refuse to make a dataset public unless the law allows it (see module docs).

    A missing ``private`` means public, as in CKAN's own package_create.
    """
    private = data.get(key)
    if private is not tk.missing and private is not None:
        parsed = guards.parse_bool(private)
        if parsed is None:
            return  # not a yes or no: vndata_boolean refuses it
        if parsed:
            return
    errors[key].extend(
        publication_refusals(
            data.get(("data_sharing_class",)),
            data.get(("data_importance_class",)),
            data.get(("personal_data_assessed",)),
        )
    )


def refusals_of_stored(package: Any) -> list[str]:
    """Why a stored dataset (a model.Package) may not be public (empty when it may).

    Harvest sources are not data and pass; every other type (a type no plugin
    registers falls back to CKAN's default schema, which has no gate) must meet it.
    """
    if package.type == "harvest":
        return []
    extras = package.extras
    return publication_refusals(
        extras.get("data_sharing_class"),
        extras.get("data_importance_class"),
        extras.get("personal_data_assessed"),
    )


def describe_refusal(package: Any, refusals: list[str]) -> str:
    return tk._("{title} ({name}) may not be public: {reasons}").format(
        title=package.title or package.name,
        name=package.name,
        reasons=" ".join(refusals),
    )


class VndataPermissionLabels(DefaultPermissionLabels):
    """Defence in depth: a public dataset that fails the gate is read as private.

    Every way to make a dataset public is guarded (the schema, bulk_update_public,
    harvest imports), but a row can still be public against the law: written before
    the gate existed, by SQL, or by a path found later. CKAN decides who may read a
    dataset (package_show, hence its page, /dataset/X.rdf and the API) and what a
    search returns (hence /catalog.ttl) from these labels, so labelling such a
    dataset as its organization's only keeps it from anyone outside, without writing
    anything. Its editors still see it, and the next save refuses it until it passes.
    """

    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        labels = super().get_dataset_labels(dataset_obj)
        if labels != ["public"] or not refusals_of_stored(dataset_obj):
            return labels
        log.warning("Dataset %s is public but fails the gate", dataset_obj.id)
        # The labels CKAN gives a private dataset.
        labels = []
        if authz.check_config_permission("allow_dataset_collaborators"):
            labels.append(f"collaborator-{dataset_obj.id}")
        if dataset_obj.owner_org:
            return labels + [f"member-{dataset_obj.owner_org}"]
        return labels + [f"creator-{dataset_obj.creator_user_id}"]


def keep_private_unless_publishable(package: dict[str, Any]) -> list[str]:
    """For harvest imports: a record that may not be public is made private.

    A portal's record says public by default (DCAT has no such flag, CKAN's API lists
    ``private: false``), so the schema would refuse the whole record; the national
    portal keeps it, private, for its agency to classify. Returns the reasons (empty
    when the record may be public or is private already).
    """
    if guards.parse_bool(package.get("private")) is True:
        return []
    refusals = publication_refusals(
        package.get("data_sharing_class"),
        package.get("data_importance_class"),
        package.get("personal_data_assessed"),
    )
    if refusals:
        package["private"] = True
    return refusals


def describe_kept_private(refusals: list[str]) -> str:
    return tk._("Imported as private: {reasons}").format(reasons=" ".join(refusals))
