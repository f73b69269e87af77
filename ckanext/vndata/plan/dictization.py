"""Plans as dicts, and the facts compliance works on, loaded in bulk."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.model import meta
from ckan.types import Context
from ckanext.dcat.utils import dataset_uri

from ckanext.vndata.plan import (
    compliance,
    fields,
    metadata_quality,
    provenance,
    roles,
)
from ckanext.vndata.plan.model import DatasetLink, Event, Item, Phase, Plan, row_dict


def due_soon_days() -> int:
    return tk.config.get("ckanext.vndata.plan.reminder_days")


def phase_facts(phase: Phase) -> compliance.PhaseFacts:
    return compliance.PhaseFacts(
        id=phase.id,
        label=phase.label,
        position=phase.position,
        start_date=phase.start_date,
        end_date=phase.end_date,
        minimums={key: getattr(phase, key) for key in fields.LEVEL_KEYS},
    )


def _delivery(link: DatasetLink) -> compliance.Delivery:
    return compliance.Delivery(
        **{key: getattr(link, key) for key in fields.LINK_FACT_KEYS}
    )


def links_by_key(keys: Iterable[str]) -> dict[str, list[DatasetLink]]:
    keys = list(set(keys))
    grouped: dict[str, list[DatasetLink]] = defaultdict(list)
    if keys:
        query = meta.Session.query(DatasetLink).filter(DatasetLink.item_key.in_(keys))
        for link in query:
            grouped[link.item_key].append(link)
    return grouped


def item_facts(item: Item, links: list[DatasetLink]) -> compliance.ItemFacts:
    return compliance.ItemFacts(
        id=item.id,
        number=item.number,
        title=item.title,
        phase_id=item.phase_id,
        target_date=item.target_date,
        removed=bool(item.removed_reason),
        deliveries=tuple(_delivery(link) for link in links),
    )


def plain_rows(statement: sa.Select) -> list[tuple]:
    """The rows of a query as the driver's plain tuples.

    SQLAlchemy's Row objects cost more than the query itself when the national report
    reads tens of thousands of items, so the statement is compiled (IN lists expanded)
    and run on the session's own DBAPI connection, in the session's transaction.
    """
    connection = meta.Session.connection()
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), compiled.params)
        return cursor.fetchall()
    finally:
        cursor.close()


@contextlib.contextmanager
def _collector_paused():
    """No cyclic garbage collection while a bulk read builds its objects.

    Tens of thousands of new objects (none of them cyclic) set off repeated collections
    of the whole heap of the CKAN process; they doubled the time of the national report
    (bench/bench_plan_report.py). Collection resumes as it was afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_facts(plan_ids: list[str]) -> dict[str, tuple[list, list]]:
    """Phases and item facts of many plans, read as plain rows (no ORM objects).

    The national report evaluates tens of thousands of items: two column queries read
    as the driver's tuples keep it fast (bench/bench_plan_report.py).
    """
    if not plan_ids:
        return {}
    with _collector_paused():
        return _load_facts(plan_ids)


def _load_facts(plan_ids: list[str]) -> dict[str, tuple[list, list]]:
    phases: dict[str, list] = {plan_id: [] for plan_id in plan_ids}
    items: dict[str, list] = {plan_id: [] for plan_id in plan_ids}
    # One array parameter: hundreds of IN parameters cost more to compile than to run.
    wanted = sa.any_(sa.bindparam("plan_ids", list(plan_ids), type_=ARRAY(sa.Text)))
    phase_table = Phase.__table__
    phase_rows = plain_rows(
        sa.select(
            phase_table.c.plan_id,
            phase_table.c.id,
            phase_table.c.label,
            phase_table.c.position,
            phase_table.c.start_date,
            phase_table.c.end_date,
            *(phase_table.c[key] for key in fields.LEVEL_KEYS),
        ).where(phase_table.c.plan_id == wanted)
    )
    for plan_id, phase_id, label, position, start, end, *minimums in phase_rows:
        phases[plan_id].append(
            compliance.PhaseFacts(
                phase_id,
                label,
                position,
                start,
                end,
                dict(zip(fields.LEVEL_KEYS, minimums)),
            )
        )
    # Items with the facts of their links, in one query: a row per (item, link), an
    # item without links once (its facts empty).
    item_table, link_table = Item.__table__, DatasetLink.__table__
    rows = plain_rows(
        sa.select(
            item_table.c.plan_id,
            item_table.c.id,
            item_table.c.number,
            item_table.c.title,
            item_table.c.phase_id,
            item_table.c.target_date,
            # bool(removed_reason), as item_facts reads it
            sa.func.coalesce(item_table.c.removed_reason, "") != "",
            link_table.c.item_key.is_not(None),
            *(_fact_column(fact, link_table) for fact in fields.LINK_FACTS),
        )
        .select_from(
            item_table.outerjoin(link_table, link_table.c.item_key == item_table.c.key)
        )
        .where(item_table.c.plan_id == wanted)
    )
    make_item, delivery = compliance.ItemFacts, compliance.Delivery
    seen: dict[str, compliance.ItemFacts] = {}
    for row in rows:  # indexes, not unpacking: this loop runs once per item and link
        item = seen.get(row[1])
        if item is None:
            item = seen[row[1]] = make_item(*row[1:7], ())
            items[row[0]].append(item)
        if row[7]:
            item.deliveries += (delivery(*row[8:]),)
    for rows in phases.values():
        rows.sort(key=lambda p: p.position)
    return {plan_id: (phases[plan_id], items[plan_id]) for plan_id in plan_ids}


def _fact_column(fact: fields.Fact, link_table: sa.Table) -> Any:
    """The link's snapshot column of ``fact``, or its live value (fields.Fact.live:
    the dataset's quality rating, which a rescore changes without a dataset write)."""
    if fact.live is None:
        return link_table.c[fact.key]
    return fact.live(link_table.c.package_id)


def plan_parts(plan_ids: list[str]) -> tuple[dict, dict]:
    """Phases and items of several plans in two queries: {plan_id: [rows]} each."""
    phases: dict[str, list[Phase]] = defaultdict(list)
    items: dict[str, list[Item]] = defaultdict(list)
    if plan_ids:
        for phase in meta.Session.query(Phase).filter(Phase.plan_id.in_(plan_ids)):
            phases[phase.plan_id].append(phase)
        for item in meta.Session.query(Item).filter(Item.plan_id.in_(plan_ids)):
            items[item.plan_id].append(item)
    for rows in phases.values():
        rows.sort(key=lambda p: (p.position, p.start_date))
    for rows in items.values():
        rows.sort(key=lambda i: i.number)
    return phases, items


@dataclasses.dataclass
class Reader:
    """Who reads a plan: which linked datasets and which names they may see.

    A plan is public once published, but a dataset linked to it may be private: a
    reader sees it (id, title, who linked it) only if package_show lets them read it,
    otherwise only that a dataset not yet public delivers the item. Who linked a
    dataset and who took a step of the workflow show only to the agency's members and
    the reviewers.
    """

    user: str
    insider: bool
    trusted: bool = False
    _readable: dict[str, bool] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, context: Context, plan_id: str | None) -> Reader:
        user = context.get("user") or ""
        if context.get("ignore_auth"):  # an internal call sees everything
            return cls(user, insider=True, trusted=True)
        plan = Plan.get(plan_id)
        insider = plan is not None and bool(
            roles.user_roles(user, plan.organization_id)
            & {roles.MEMBER, roles.REVIEWER, roles.SYSADMIN}
        )
        return cls(user, insider)

    def may_read(self, link: DatasetLink) -> bool:
        # Not the link's is_public snapshot: CKAN's bulk private/delete change datasets
        # without the hooks that refresh it, so the reader's access is asked each time.
        if self.trusted:
            return True
        if link.package_id not in self._readable:
            try:
                tk.check_access(
                    "package_show", {"user": self.user}, {"id": link.package_id}
                )
                self._readable[link.package_id] = True
            except (tk.NotAuthorized, tk.ObjectNotFound):
                self._readable[link.package_id] = False
        return self._readable[link.package_id]


def dataset_identities(package_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """The URL name and the DCAT URI of each dataset, in two queries.

    The URI is what ckanext-dcat's ``dataset_uri`` gives the dataset here, so what
    /catalog.ttl states: another portal harvesting both the catalogue and the plans
    (plan/exchange.py) finds its copy of a linked dataset by it.
    """
    ids = list(set(package_ids))
    if not ids:
        return {}
    package, extra = model.Package, model.PackageExtra
    uris = dict(
        meta.Session.query(extra.package_id, extra.value).filter(
            extra.package_id.in_(ids), extra.key == "uri", extra.state == "active"
        )
    )
    return {
        package_id: (name, dataset_uri({"id": package_id, "uri": uris.get(package_id)}))
        for package_id, name in meta.Session.query(package.id, package.name).filter(
            package.id.in_(ids)
        )
    }


def link_dictize(
    link: DatasetLink,
    reader: Reader,
    identities: dict[str, tuple[str, str]] | None = None,
    ratings: dict[str, str] | None = None,
) -> dict[str, Any]:
    if not reader.may_read(link):
        return {
            "item_key": link.item_key,
            "package_id": None,
            "hidden": True,
            "is_public": False,
            "source": link.source,
        }
    if identities is None:
        identities = dataset_identities([link.package_id])
    name, uri = identities.get(link.package_id, (None, None))
    if ratings is None:
        ratings = metadata_quality.ratings_of([link.package_id])
    rating = ratings.get(link.package_id)
    result = {
        **row_dict(link),
        "package_name": name,
        "package_uri": uri,
        "hidden": False,
        # Now, not the snapshot's: a rescore changes it with no dataset write.
        "quality_rating": rating,
        "metadata_complete": rating in metadata_quality.complete_ratings(),
    }
    if not reader.insider:
        del result["linked_by"]
    return result


def phase_dictize(phase: Phase) -> dict[str, Any]:
    return row_dict(phase)


def item_dictize(
    item: Item,
    links: list[DatasetLink],
    as_of: datetime.date,
    reader: Reader,
    identities: dict[str, tuple[str, str]] | None = None,
    ratings: dict[str, str] | None = None,
) -> dict[str, Any]:
    result = row_dict(item)
    for key in ("cooperating_agencies", "formats"):
        result[key] = json.loads(result[key]) if result[key] else []
    facts = item_facts(item, links)
    result["status"] = str(compliance.item_status(facts, as_of, due_soon_days()))
    published = compliance.published_on(facts, as_of)
    result["published_date"] = published.isoformat() if published else None
    if identities is None:
        identities = dataset_identities(link.package_id for link in links)
    if ratings is None:
        ratings = metadata_quality.ratings_of(link.package_id for link in links)
    result["datasets"] = [
        link_dictize(link, reader, identities, ratings) for link in links
    ]
    return result


def plan_dictize(
    plan: Plan,
    reader: Reader,
    as_of: datetime.date | None = None,
    with_parts: bool = True,
) -> dict[str, Any]:
    result = row_dict(plan)
    if not reader.insider:
        result["creator_user_id"] = None
    del result["fingerprint"]  # the harvest's change detection, not the plan's
    result["harvest_source"] = provenance.source_of(plan)
    if not with_parts:
        return result
    as_of = as_of or datetime.date.today()
    phases, items = plan_parts([plan.id])
    links = links_by_key(i.key for i in items[plan.id])
    result["phases"] = [phase_dictize(p) for p in phases[plan.id]]
    identities = dataset_identities(
        link.package_id for rows in links.values() for link in rows
    )
    ratings = metadata_quality.ratings_of(
        link.package_id for rows in links.values() for link in rows
    )
    result["items"] = [
        item_dictize(i, links[i.key], as_of, reader, identities, ratings)
        for i in items[plan.id]
    ]
    result["history"] = [
        {**row_dict(event), **({} if reader.insider else {"user_id": None})}
        for event in meta.Session.query(Event)
        .filter(Event.plan_id == plan.id)
        .order_by(Event.created)
    ]
    result["versions"] = [
        {"id": v.id, "version": v.version, "status": v.status}
        for v in meta.Session.query(Plan)
        .filter(Plan.series_id == plan.series_id)
        .order_by(Plan.version)
    ]
    return result
