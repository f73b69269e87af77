"""Each dataset's score, stored whenever the dataset is written (web form, API,
harvest: every path goes through package_create or package_update) and again
whenever the link checker or the DCAT-AP validation changes a verdict
(``vndata_quality_rescore``).

A write scores what is already in hand: the validated dataset, the link checker's last
verdicts and the stored conformance. Nothing here opens a connection or runs SHACL, so
a harvest of thousands of records pays a few queries per record, not a request.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search

from ckanext.vndata.quality import link_status
from ckanext.vndata.quality.indicators import Facts
from ckanext.vndata.quality.model import DatasetScore
from ckanext.vndata.quality.tally import Tally, vndata_quality_tally

log = logging.getLogger(__name__)


def vndata_quality_facts(package_id: str, resource_ids: Iterable[str]) -> Facts:
    """What the score reads besides the dataset: each resource's last link verdict
    (True, False, None if never checked) and the dataset's stored conformance."""
    row = model.Session.get(DatasetScore, package_id) if package_id else None
    return Facts(
        reachable=_reachable(package_id, resource_ids),
        conformant=row.conformant if row else None,
    )


def _reachable(package_id: str, resource_ids: Iterable[str]) -> dict[str, bool | None]:
    reachable: dict[str, bool | None] = dict.fromkeys(r for r in resource_ids if r)
    if reachable and package_id:
        # Only a verdict about the resource's current address counts.
        verdicts = link_status.vndata_quality_link_verdicts([package_id])
        reachable.update((r, ok) for r, ok in verdicts.items() if r in reachable)
    return reachable


def _with_columns(shown: dict[str, Any], entity: Any) -> dict[str, Any]:
    """``shown`` with the columns of its row (``entity``: model.Package or
    model.Resource) that it lacks, as dictization gives them (dates as ISO text):
    package_show adds them. The row is the one the write flushed (in the session's
    map); a dict that lacks nothing (package_show's) costs no lookup."""
    names = [
        c.name
        for c in entity.__table__.c
        if c.name not in shown and c.name not in ("extras", "plugin_data")
    ]
    row = model.Session.get(entity, shown["id"]) if names and shown.get("id") else None
    if row is None:
        return shown
    values = {name: getattr(row, name, None) for name in names}
    iso = {k: v.isoformat() for k, v in values.items() if hasattr(v, "isoformat")}
    return {**shown, **values, **iso}


def _as_shown(dataset: dict[str, Any]) -> dict[str, Any]:
    """The validated dict CKAN hands to after_dataset_create/update, with what
    package_show adds and an indicator reads: the licence's address, from CKAN's
    register (the validated dict carries only its id), and the columns CKAN sets
    itself (the dataset's metadata_modified, each resource's created and
    metadata_modified: the dates the issued/modified indicators fall back to), from
    the objects the write has just flushed into the session. No package_show: a
    write stays a few primary-key lookups in the session's map."""
    if dataset.get("license_id") and "license_url" not in dataset:
        licence = model.Package.get_license_register().get(dataset["license_id"])
        dataset = dict(dataset, license_url=getattr(licence, "url", "") or "")
    dataset = dict(_with_columns(dataset, model.Package))  # CKAN's dict: not changed
    dataset["resources"] = [
        _with_columns(r, model.Resource) if isinstance(r, dict) else r
        for r in dataset.get("resources") or []
    ]
    return dataset


def _score(dataset: dict[str, Any], row: DatasetScore) -> Tally:
    """Fill ``row`` with ``dataset``'s score; its stored conformance stays."""
    dataset = _as_shown(dataset)
    resources = dataset.get("resources") or []
    # The row holds the stored conformance (None for a new one): no second lookup.
    reachable = _reachable(row.package_id, (r.get("id") for r in resources))
    facts = Facts(reachable=reachable, conformant=row.conformant)
    tally = vndata_quality_tally(dataset, facts)
    row.points = tally.total()
    row.rating = tally.rating()
    row.tally = json.dumps(tally.as_dict())
    row.computed = datetime.datetime.utcnow()
    return tally


def vndata_quality_store(dataset: dict[str, Any]) -> Tally:
    """Score ``dataset`` (as package_show gives it, or the validated dict of a write)
    and upsert its row, keeping the stored conformance; the caller commits (a write's
    own commit, or vndata_quality_rescore's)."""
    row = model.Session.get(DatasetScore, dataset["id"])
    if row is None:
        row = DatasetScore(package_id=dataset["id"])
        model.Session.add(row)
    return _score(dataset, row)


def vndata_quality_unsaved(dataset: dict[str, Any]) -> DatasetScore:
    """``dataset``'s score as a row that is not saved: for a read (an action, a page)
    that finds a dataset written before this plugin was enabled."""
    row = DatasetScore(package_id=dataset["id"])
    _score(dataset, row)
    return row


def vndata_quality_forget(package_id: str) -> None:
    """A deleted dataset leaves the scores (the caller commits)."""
    model.Session.query(DatasetScore).filter(
        DatasetScore.package_id == package_id
    ).delete(synchronize_session=False)


def vndata_quality_forget_deleted(id_or_name: Any) -> None:
    """Forget the score of the dataset deleted as ``id_or_name`` (package_delete's
    caller may name it by name: the web UI does)."""
    package = model.Package.get(id_or_name) if isinstance(id_or_name, str) else None
    if package is not None:
        vndata_quality_forget(package.id)


def vndata_quality_scored_type(dataset: dict[str, Any]) -> bool:
    """Whether a package of this type has a score: datasets only, not a harvest
    source (package_create(type="harvest")) or any other package type."""
    return (dataset.get("type") or "dataset") == "dataset"


def vndata_quality_stored(package_id: str) -> DatasetScore | None:
    return model.Session.get(DatasetScore, package_id)


def vndata_quality_rescore(package_ids: Iterable[str]) -> int:
    """Score these datasets again from package_show and the tables, store the scores
    and reindex them (so search and the rating facet follow): what the link checker
    and the DCAT-AP validation call after they change a verdict. One database commit
    and one search commit for all of them; ids of missing datasets are skipped, a
    deleted dataset's score is removed. Returns how many were rescored."""
    context = {"ignore_auth": True, "use_cache": False}
    shown = []
    for package_id in dict.fromkeys(package_ids):
        try:
            dataset = tk.get_action("package_show")(dict(context), {"id": package_id})
        except tk.ObjectNotFound:
            log.info("Not rescored, no such dataset: %s", package_id)
            continue
        if dataset.get("state") == "deleted" or not vndata_quality_scored_type(dataset):
            vndata_quality_forget(dataset["id"])
            continue
        vndata_quality_store(dataset)
        shown.append(dataset["id"])
    model.Session.commit()
    if shown:
        # Indexed as a write indexes them (package_show unvalidated), in one commit.
        search.rebuild(package_ids=shown, defer_commit=True, quiet=True)
        search.commit()
    return len(shown)
