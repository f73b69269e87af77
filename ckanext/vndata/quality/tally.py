"""A dataset's, or a group of datasets', MQA score: per indicator, how many items
passed out of how many were judged.

Tallies add up: an organization's, a source's, a province's or the nation's score is
the sum of its datasets' tallies, so each indicator weighs the share of all their
datasets or distributions that pass, as MQA scores a catalogue.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import Any

from ckanext.vndata.quality.indicators import (
    DATASET,
    DIMENSIONS,
    INDICATORS,
    RATINGS,
    Facts,
)


@dataclasses.dataclass
class Tally:
    # {indicator key: (passed, judged)}
    counts: dict[str, tuple[int, int]] = dataclasses.field(default_factory=dict)
    datasets: int = 0

    def __add__(self, other: Tally) -> Tally:
        counts = dict(self.counts)
        for key, (passed, judged) in other.counts.items():
            mine = counts.get(key, (0, 0))
            counts[key] = (mine[0] + passed, mine[1] + judged)
        return Tally(counts, self.datasets + other.datasets)

    def indicator_points(self) -> dict[str, float]:
        points = {}
        for indicator in INDICATORS:
            passed, judged = self.counts.get(indicator.key, (0, 0))
            points[indicator.key] = (
                indicator.weight * passed / judged if judged else 0.0
            )
        return points

    def dimension_points(self) -> dict[str, float]:
        points = self.indicator_points()
        return {
            d.key: sum(points[i.key] for i in INDICATORS if i.dimension == d.key)
            for d in DIMENSIONS
        }

    def total(self) -> int:
        """The score in whole points, as MQA shows it."""
        return round(sum(self.indicator_points().values()))

    def rating(self) -> str:
        return rating_of(self.total())

    def fixes(self, pending: Collection[str] = ()) -> list[tuple[str, int]]:
        """(fix, points it would earn), most points first: each fix earns what its
        indicators still miss. Indicators waiting for a check in ``pending``
        (indicators.LINKS, CONFORMANCE) offer no fix: nothing is known to be wrong."""
        gains: dict[str, float] = {}
        points = self.indicator_points()
        for indicator in INDICATORS:
            if indicator.waits_for in pending:
                continue
            missing = indicator.weight - points[indicator.key]
            if self.counts.get(indicator.key, (0, 0))[1] and missing > 0.5:
                gains[indicator.fix] = gains.get(indicator.fix, 0) + missing
        return sorted(
            ((fix, round(gain)) for fix, gain in gains.items()),
            key=lambda pair: -pair[1],
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": {k: list(v) for k, v in self.counts.items()},
            "datasets": self.datasets,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tally:
        counts = {
            k: (int(v[0]), int(v[1])) for k, v in (data.get("counts") or {}).items()
        }
        return cls(counts, int(data.get("datasets") or 0))


def rating_of(points: float) -> str:
    return next(key for key, lowest, _label in RATINGS if points >= lowest)


def vndata_quality_tally(dataset: dict[str, Any], facts: Facts | None = None) -> Tally:
    """The tally of one dataset, as package_show gives it (its resources included)."""
    facts = facts or Facts()
    given = dataset.get("resources")
    resources = [
        r
        for r in (given if isinstance(given, list) else [])
        if isinstance(r, dict) and r.get("state", "active") == "active"
    ]
    counts = {}
    for indicator in INDICATORS:
        if indicator.item == DATASET:
            counts[indicator.key] = (int(bool(indicator.test(dataset, None, facts))), 1)
            continue
        judged = [
            r for r in resources if indicator.applies is None or indicator.applies(r)
        ]
        passed = sum(1 for r in judged if indicator.test(dataset, r, facts))
        counts[indicator.key] = (passed, len(judged))
    return Tally(counts, 1)
