"""The publication gate: which datasets the law lets a portal make public.

A dataset may be public only when it is open data (Law on Data 2024 Art. 13(1)(a)), is
neither core nor important data (Art. 13(1)(b) and Decision 20/2025/QĐ-TTg), and its
personal-data risk has been assessed (Law on E-Transactions 2023 Art. 43; formerly
Decree 47/2020 Art. 20(1)). Anything else may exist only as private.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.vndata.metadata.logic import guards


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
