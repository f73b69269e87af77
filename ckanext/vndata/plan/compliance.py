"""Plan versus actual: item statuses and the minimum levels of each phase, on a date.

Pure functions over plain values, so the arithmetic can be checked on frozen dates and
the national report can evaluate every agency from a few queries.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence

from ckanext.vndata.plan import fields
from ckanext.vndata.plan.states import PUBLISHED_ITEM_STATUSES, ItemStatus

# What one linked dataset contributes to an item (a link's snapshot): one attribute per
# fact of fields.LINK_FACTS. Facts are not frozen dataclasses: a frozen __init__ costs
# twice as much, and the national report builds one per item and link (60,000 items in
# bench/bench_plan_report.py). Once built (load_facts adds an item's deliveries as it
# reads them), nothing changes them.
Delivery = dataclasses.make_dataclass(
    "Delivery",
    [(fact.key, fact.python_type | None) for fact in fields.LINK_FACTS],
    slots=True,
)


@dataclasses.dataclass(slots=True)
class ItemFacts:
    id: str
    number: int
    title: str
    phase_id: str | None
    target_date: datetime.date | None
    removed: bool
    deliveries: tuple[Delivery, ...] = ()


@dataclasses.dataclass(frozen=True)
class PhaseFacts:
    id: str
    label: str
    position: int
    start_date: datetime.date
    end_date: datetime.date
    minimums: dict[str, float | int | None]


def published_on(item: ItemFacts, as_of: datetime.date) -> datetime.date | None:
    """When the item was first delivered by a public dataset, if by ``as_of``."""
    dates = [
        d.published_date or as_of
        for d in item.deliveries
        if d.is_public and (d.published_date or as_of) <= as_of
    ]
    return min(dates) if dates else None


def item_status(
    item: ItemFacts, as_of: datetime.date, due_soon_days: int
) -> ItemStatus:
    return _status_and_date(item, as_of, due_soon_days)[0]


def _status_and_date(
    item: ItemFacts, as_of: datetime.date, due_soon_days: int
) -> tuple[ItemStatus, datetime.date | None]:
    """The item's status, and when it was published (summaries need both)."""
    if item.removed:
        return ItemStatus.REMOVED, None
    published = published_on(item, as_of) if item.deliveries else None
    if published is not None:
        if any(
            d.is_public and d.next_update_due and d.next_update_due < as_of
            for d in item.deliveries
        ):
            return ItemStatus.UPDATE_OVERDUE, published
        if item.target_date is None or published <= item.target_date:
            return ItemStatus.PUBLISHED_ON_TIME, published
        return ItemStatus.PUBLISHED_LATE, published
    if item.target_date is None:
        return ItemStatus.NOT_DUE, None
    if item.target_date < as_of:
        return ItemStatus.OVERDUE, None
    if (item.target_date - as_of).days <= due_soon_days:
        return ItemStatus.DUE_SOON, None
    return ItemStatus.NOT_DUE, None


def _best(item: ItemFacts, as_of: datetime.date) -> list[Delivery]:
    return [
        d
        for d in item.deliveries
        if d.is_public and (d.published_date or as_of) <= as_of
    ]


# A level's verdict: it holds; it fails (its phase has ended and it does not hold); its
# phase has not ended and it does not hold yet (not a failure: the agency has until the
# end of the phase); or nothing to judge (no target, or nothing measured). The plan
# page, the national report and the dashboard all read this, never their own rule.
PASS, FAIL, NOT_DUE, NOT_JUDGED = "pass", "fail", "not_due", "not_judged"


@dataclasses.dataclass
class LevelResult:
    level: str
    target: float | int | None
    measured: float | int | None
    verdict: str
    items: list[str]

    @property
    def passed(self) -> bool | None:
        """True if it holds, False if it fails, None while not judged or not due."""
        return {PASS: True, FAIL: False}.get(self.verdict)

    def as_dict(self) -> dict:
        return {
            "level": self.level,
            "target": self.target,
            "measured": self.measured,
            "passed": self.passed,
            "verdict": self.verdict,
            "items": list(self.items),
        }


def verdict(
    target: float | int | None,
    value: float | int | None,
    counts_items: bool,
    phase_ended: bool,
) -> str:
    """The verdict on one level (see PASS...). ``counts_items``: a count of published
    items, where nothing measured is 0 published, not nothing to judge."""
    if target is None:
        return NOT_JUDGED
    if value is None and not counts_items:
        return NOT_JUDGED
    if value is not None and value >= target:
        return PASS
    return FAIL if phase_ended else NOT_DUE


def phase_ended(phase: PhaseFacts, as_of: datetime.date) -> bool:
    """Whether ``phase`` is over on ``as_of`` (its last day is judged)."""
    return phase.end_date <= as_of


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def evaluate_phase(
    phase: PhaseFacts,
    phases: Sequence[PhaseFacts],
    items: Iterable[ItemFacts],
    as_of: datetime.date,
) -> list[LevelResult]:
    """Each minimum level of ``phase``: target, measured value, pass/fail, items.

    A phase is judged on the items of that phase and of the phases before it (levels are
    cumulative), as of ``as_of`` or the end of the phase, whichever comes first. Items
    that were removed from the list do not count. A percentage of no items is not
    measured (None), and a level without a target is not judged; a level not yet met
    before its phase ends is not due, not failed (``verdict``).
    """
    earlier = {p.id for p in phases if p.position <= phase.position}
    when = min(as_of, phase.end_date)
    scope = [i for i in items if not i.removed and i.phase_id in earlier]
    everything = [i for i in items if not i.removed]
    published = {i.id: best for i in scope if (best := _best(i, when))}
    published_items = [i for i in scope if i.id in published]
    unpublished = [str(i.number) for i in scope if i.id not in published]

    stars = {
        i.id: max(d.openness_stars for d in published[i.id]) for i in published_items
    }

    def measure(level: fields.Level) -> tuple[float | int | None, list[str]]:
        """The value of ``level`` and the numbers of the items holding it back."""
        if level.measure == "published":
            return len(published_items), unpublished
        if level.measure == "percent_published":
            return percent(len(published_items), len(everything)), unpublished
        if level.measure == "lowest_stars":
            target = phase.minimums.get(level.key)
            behind = [
                str(i.number)
                for i in published_items
                if target is not None and stars[i.id] < target
            ]
            return (min(stars.values()) if stars else None), behind
        failing = [
            str(i.number)
            for i in published_items
            if not level.test(published[i.id], when)
        ]
        return percent(
            len(published_items) - len(failing), len(published_items)
        ), failing

    ended = phase_ended(phase, as_of)
    results = []
    for level in fields.LEVELS:
        target = phase.minimums.get(level.key)
        value, behind = measure(level)
        found = verdict(target, value, level.measure == "published", ended)
        results.append(LevelResult(level.key, target, value, found, behind))
    return results


def current_phase(
    phases: Sequence[PhaseFacts], as_of: datetime.date
) -> PhaseFacts | None:
    """The phase running on ``as_of``, else the last one that ended, else the first."""
    ordered = sorted(phases, key=lambda p: (p.start_date, p.position))
    for phase in ordered:
        if phase.start_date <= as_of <= phase.end_date:
            return phase
    ended = [p for p in ordered if p.end_date < as_of]
    if ended:
        return ended[-1]
    return ordered[0] if ordered else None


def summarise_items(
    items: Iterable[ItemFacts], as_of: datetime.date, due_soon_days: int
) -> dict[str, int | float | None]:
    """Items per status on ``as_of``, and how many were delivered on time.

    ``due``: items (not removed) whose deadline passed before ``as_of``;
    ``due_on_time``: those of them published by their deadline; ``on_time``: published
    items, due or not, published by their deadline (or without one).
    """
    counts = dict.fromkeys(ItemStatus, 0)
    late = due = due_on_time = 0
    for item in items:
        status, published = _status_and_date(item, as_of, due_soon_days)
        counts[status] += 1
        if status == ItemStatus.REMOVED or item.target_date is None:
            continue
        is_due = item.target_date < as_of
        due += is_due
        if status in PUBLISHED_ITEM_STATUSES:
            if published > item.target_date:
                late += 1
            else:
                due_on_time += is_due
    published = sum(counts[s] for s in PUBLISHED_ITEM_STATUSES)
    return {
        "planned": sum(counts.values()) - counts[ItemStatus.REMOVED],
        "published": published,
        "overdue": counts[ItemStatus.OVERDUE],
        "due_soon": counts[ItemStatus.DUE_SOON],
        "update_overdue": counts[ItemStatus.UPDATE_OVERDUE],
        "removed": counts[ItemStatus.REMOVED],
        "on_time": published - late,
        "on_time_percent": percent(published - late, published),
        "due": due,
        "due_on_time": due_on_time,
        # The share the national headline shows: over the items due.
        "due_on_time_percent": percent(due_on_time, due),
    }
