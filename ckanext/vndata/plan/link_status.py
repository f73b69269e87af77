"""Why a dataset linked to a plan item does not count towards its delivery yet.

Whether it counts is compliance's rule (compliance.published_on over the link's
snapshot, as the item's status and the minimum levels read it); this module only
says why not, in the user's language, so an officer knows what to change.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.vndata.metadata.helpers import vndata_format_date
from ckanext.vndata.metadata.logic import publication
from ckanext.vndata.plan import compliance, fields


def counts(link: dict[str, Any], as_of: datetime.date) -> bool:
    """Whether the link delivers its item on ``as_of`` (compliance's rule)."""
    delivery = compliance.Delivery(
        **{key: _fact(link, key) for key in fields.LINK_FACT_KEYS}
    )
    facts = compliance.ItemFacts(
        id="", number=0, title="", phase_id=None, target_date=None, removed=False,
        deliveries=(delivery,),
    )  # fmt: skip
    return compliance.published_on(facts, as_of) is not None


def _fact(link: dict[str, Any], key: str) -> Any:
    value = link.get(key)
    if isinstance(value, str) and key in ("published_date", "next_update_due"):
        return datetime.date.fromisoformat(value[:10])
    return value


def reasons(link: dict[str, Any], as_of: datetime.date | None = None) -> list[str]:
    """Why the linked dataset does not count (empty when it does). A link the reader
    may not see (``hidden``) is explained by the page itself."""
    as_of = as_of or datetime.date.today()
    if link.get("hidden") or counts(link, as_of):
        return []
    package = model.Package.get(link.get("package_id") or "")
    if package is None or package.state == "deleted":
        return [tk._("The dataset was deleted.")]
    if package.state == "draft":
        return [tk._("The dataset is a draft: finish and save it.")]
    if package.private:
        why = [tk._("The dataset is private: make it public.")]
        refusals = publication.refusals_of_stored(package)
        if refusals:
            why.append(tk._("Before it may be public:") + " " + " ".join(refusals))
        return why
    if link.get("is_public"):
        return [
            tk._("Its publication date {date} has not come yet.").format(
                date=vndata_format_date(link.get("published_date"))
            )
        ]
    return [tk._("The dataset is not public yet.")]
