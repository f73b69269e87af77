"""Scores of groups of datasets: organizations, harvest sources, any set of
organizations (a province, a ministry) and the nation, now and day by day.

A group's tally is the sum of its datasets' stored tallies (tally.py), so each
indicator weighs the share of all the group's datasets or distributions that pass, as
MQA scores a catalogue. Only the datasets a citizen can see count: active and public.
History sums the daily snapshots (model.Snapshot) of the group's organizations.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable

import sqlalchemy as sa

from ckan import model
from ckanext.harvest.model import HarvestObject

from ckanext.vndata.quality.model import DatasetScore, Snapshot
from ckanext.vndata.quality.tally import Tally


def _public_scores():
    """(organization, tally) of each public dataset's score. The organization is the
    package's own, read through the join: moving a dataset (package_owner_org_update)
    fires no hook, so a copy kept with the score would go stale. Only datasets: a
    harvest source is a package too (type "harvest")."""
    return (
        model.Session.query(model.Package.owner_org, DatasetScore.tally)
        .join(model.Package, model.Package.id == DatasetScore.package_id)
        .filter(
            model.Package.state == "active",
            model.Package.private.is_(False),
            model.Package.type == "dataset",
        )
    )


def _sum(rows: Iterable[str]) -> Tally:
    total = Tally()
    for text in rows:
        total += Tally.from_dict(json.loads(text))
    return total


def vndata_quality_by_organization() -> dict[str, Tally]:
    """{organization id: the tally of its public datasets}, for every organization
    with a scored dataset."""
    tallies: dict[str, Tally] = {}
    for owner_org, text in _public_scores():
        if owner_org:
            tallies[owner_org] = tallies.get(owner_org, Tally()) + Tally.from_dict(
                json.loads(text)
            )
    return tallies


def vndata_quality_of_organizations(org_ids: Iterable[str] | None = None) -> Tally:
    """The tally of the public datasets of ``org_ids`` (None: every organization, the
    nation)."""
    query = _public_scores()
    if org_ids is not None:
        query = query.filter(model.Package.owner_org.in_(list(org_ids)))
    return _sum(text for _org, text in query)


def vndata_quality_by_source() -> dict[str, Tally]:
    """{harvest source id: the tally of the public datasets it currently brings}."""
    rows = (
        _public_scores()
        .join(HarvestObject, HarvestObject.package_id == DatasetScore.package_id)
        .filter(HarvestObject.current.is_(True))
        .with_entities(HarvestObject.harvest_source_id, DatasetScore.tally)
    )
    tallies: dict[str, Tally] = {}
    for source_id, text in rows:
        tallies[source_id] = tallies.get(source_id, Tally()) + Tally.from_dict(
            json.loads(text)
        )
    return tallies


def vndata_quality_history(
    scope: str,
    scope_ids: Iterable[str] | None = None,
    since: datetime.date | None = None,
) -> list[tuple[datetime.date, Tally]]:
    """[(day, the summed tally of ``scope_ids`` that day)], oldest first, from the
    daily snapshots of ``scope`` ("organization" or "source"); ``scope_ids`` None: all
    of them (for organizations, the nation)."""
    query = model.Session.query(Snapshot.day, Snapshot.tally).filter(
        Snapshot.scope == scope
    )
    if scope_ids is not None:
        query = query.filter(Snapshot.scope_id.in_(list(scope_ids)))
    if since is not None:
        query = query.filter(Snapshot.day >= since)
    days: dict[datetime.date, Tally] = {}
    for day, text in query.order_by(sa.asc(Snapshot.day)):
        days[day] = days.get(day, Tally()) + Tally.from_dict(json.loads(text))
    return sorted(days.items())
