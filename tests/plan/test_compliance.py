"""Compliance arithmetic on frozen dates (pure functions, no database)."""

from __future__ import annotations

import datetime

import pytest

from ckanext.vndata.plan import compliance
from ckanext.vndata.plan.states import ItemStatus

D = datetime.date
AS_OF = D(2025, 7, 1)


def delivery(published=D(2025, 3, 1), public=True, due=None, stars=3, **facts):
    return compliance.Delivery(
        is_public=public,
        published_date=published,
        next_update_due=due,
        openness_stars=stars,
        machine_readable=facts.get("machine_readable", True),
        has_api=facts.get("has_api", False),
        metadata_complete=facts.get("metadata_complete", True),
    )


def item(number, target=D(2025, 6, 30), deliveries=(), phase="p1", removed=False):
    return compliance.ItemFacts(
        id=f"i{number}",
        number=number,
        title=f"Mục {number}",
        phase_id=phase,
        target_date=target,
        removed=removed,
        deliveries=tuple(deliveries),
    )


# By default a phase that ended on the eve of AS_OF: its levels are judged.
def phase(pid="p1", position=0, start=D(2025, 1, 1), end=D(2025, 6, 30), **minimums):
    return compliance.PhaseFacts(pid, pid, position, start, end, minimums)


class TestItemStatus:
    @pytest.mark.parametrize(
        ("facts", "status"),
        [
            (
                item(1, deliveries=[delivery(D(2025, 6, 30))]),
                ItemStatus.PUBLISHED_ON_TIME,
            ),
            (item(1, deliveries=[delivery(D(2025, 7, 1))]), ItemStatus.PUBLISHED_LATE),
            (item(1, target=D(2025, 6, 30)), ItemStatus.OVERDUE),
            (item(1, target=D(2025, 7, 20)), ItemStatus.DUE_SOON),
            (item(1, target=D(2025, 9, 1)), ItemStatus.NOT_DUE),
            (item(1, target=None), ItemStatus.NOT_DUE),
            (item(1, removed=True), ItemStatus.REMOVED),
            (
                item(1, deliveries=[delivery(due=D(2025, 6, 1))]),
                ItemStatus.UPDATE_OVERDUE,
            ),
            (item(1, deliveries=[delivery(public=False)]), ItemStatus.OVERDUE),
            (item(1, deliveries=[delivery(D(2025, 8, 1))]), ItemStatus.OVERDUE),
        ],
    )
    def test_status_on_the_frozen_date(self, facts, status):
        assert compliance.item_status(facts, AS_OF, due_soon_days=30) == status

    def test_earliest_public_dataset_counts_as_the_publication(self):
        facts = item(
            1,
            deliveries=[delivery(D(2025, 8, 1)), delivery(D(2025, 5, 1))],
        )

        assert compliance.published_on(facts, AS_OF) == D(2025, 5, 1)


class TestPhaseLevels:
    def _levels(self, phase_facts, items, phases=None, as_of=AS_OF):
        results = compliance.evaluate_phase(
            phase_facts, phases or [phase_facts], items, as_of
        )
        return {r.level: r for r in results}

    def test_counts_and_percentages_with_the_items_behind_them(self):
        items = [
            item(1, deliveries=[delivery(stars=3, has_api=True)]),
            item(2, deliveries=[delivery(stars=1, machine_readable=False)]),
            item(3),
            item(4, removed=True),
        ]
        levels = self._levels(
            phase(
                min_datasets=2,
                min_percent_published=70,
                min_stars=3,
                min_percent_machine_readable=50,
                min_percent_api=60,
            ),
            items,
        )

        assert (levels["min_datasets"].measured, levels["min_datasets"].passed) == (
            2,
            True,
        )
        assert levels["min_percent_published"].measured == 66.7
        assert levels["min_percent_published"].passed is False
        assert levels["min_percent_published"].items == ["3"]
        assert (levels["min_stars"].measured, levels["min_stars"].items) == (1, ["2"])
        assert levels["min_stars"].passed is False
        assert levels["min_percent_machine_readable"].measured == 50.0
        assert levels["min_percent_machine_readable"].passed is True
        assert (
            levels["min_percent_api"].measured,
            levels["min_percent_api"].items,
        ) == (
            50.0,
            ["2"],
        )

    def test_level_without_target_is_not_judged(self):
        levels = self._levels(phase(), [item(1, deliveries=[delivery()])])

        assert all(r.passed is None for r in levels.values())
        assert levels["min_datasets"].measured == 1

    def test_empty_phase_measures_no_percentage_and_fails_a_count(self):
        levels = self._levels(
            phase(min_datasets=3, min_percent_api=50, min_stars=2), items=[]
        )

        assert (levels["min_datasets"].measured, levels["min_datasets"].passed) == (
            0,
            False,
        )
        assert (
            levels["min_percent_api"].measured,
            levels["min_percent_api"].passed,
        ) == (
            None,
            None,
        )
        assert levels["min_stars"].measured is None

    def test_phase_is_judged_at_its_end_not_later(self):
        first = phase("p1", 0, D(2025, 1, 1), D(2025, 6, 30), min_datasets=1)
        late_delivery = [item(1, deliveries=[delivery(D(2025, 7, 15))])]

        levels = self._levels(first, late_delivery, as_of=D(2025, 12, 31))

        assert levels["min_datasets"].passed is False

    def test_levels_are_cumulative_over_earlier_phases(self):
        first = phase("p1", 0, D(2025, 1, 1), D(2025, 6, 30))
        second = phase("p2", 1, D(2025, 7, 1), D(2025, 12, 31), min_datasets=2)
        items = [
            item(1, deliveries=[delivery(D(2025, 3, 1))], phase="p1"),
            item(2, deliveries=[delivery(D(2025, 9, 1))], phase="p2"),
        ]

        levels = self._levels(second, items, [first, second], as_of=D(2026, 1, 1))

        assert (levels["min_datasets"].measured, levels["min_datasets"].passed) == (
            2,
            True,
        )

    def test_a_level_not_met_before_its_phase_ends_is_not_due_not_failed(self):
        running = phase(end=D(2025, 12, 31), min_datasets=2, min_percent_api=50)
        items = [item(1, deliveries=[delivery()]), item(2)]

        levels = self._levels(running, items)

        assert levels["min_datasets"].verdict == compliance.NOT_DUE
        assert levels["min_datasets"].passed is None
        assert levels["min_datasets"].as_dict()["verdict"] == "not_due"
        assert levels["min_percent_api"].passed is None

    def test_a_level_met_before_its_phase_ends_passes_and_on_its_last_day_fails(self):
        running = phase(end=D(2025, 12, 31), min_datasets=1)
        last_day = phase(end=AS_OF, min_datasets=2)
        items = [item(1, deliveries=[delivery()]), item(2)]

        assert self._levels(running, items)["min_datasets"].passed is True
        assert self._levels(last_day, items)["min_datasets"].verdict == compliance.FAIL

    @pytest.mark.parametrize(
        ("target", "value", "counts", "ended", "found"),
        [(None, 3, True, True, "not_judged"), (2, None, False, True, "not_judged"),
         (2, None, True, True, "fail"), (2, None, True, False, "not_due"),
         (2, 2, False, False, "pass"), (2, 1, False, False, "not_due"),
         (2, 1, False, True, "fail")],
    )  # fmt: skip
    def test_verdict(self, target, value, counts, ended, found):
        assert compliance.verdict(target, value, counts, ended) == found

    def test_updates_on_schedule_count_overdue_updates(self):
        items = [
            item(1, deliveries=[delivery(due=D(2025, 12, 1))]),
            item(2, deliveries=[delivery(due=D(2025, 5, 1))]),
        ]

        levels = self._levels(phase(min_percent_updated_on_schedule=100), items)

        result = levels["min_percent_updated_on_schedule"]
        assert (result.measured, result.passed, result.items) == (50.0, False, ["2"])


class TestSummary:
    def test_late_publication_lowers_the_on_time_share(self):
        items = [
            item(1, deliveries=[delivery(D(2025, 6, 1))]),
            item(2, deliveries=[delivery(D(2025, 6, 30), due=D(2025, 6, 1))]),
            item(3, target=D(2025, 5, 1), deliveries=[delivery(D(2025, 6, 1))]),
            item(4, target=D(2025, 5, 1)),
            item(5, removed=True),
        ]

        summary = compliance.summarise_items(items, AS_OF, due_soon_days=30)

        assert summary == {
            "planned": 4,
            "published": 3,
            "overdue": 1,
            "due_soon": 0,
            "update_overdue": 1,
            "removed": 1,
            "on_time": 2,
            "on_time_percent": 66.7,
            "due": 4,
            "due_on_time": 2,
            "due_on_time_percent": 50.0,
        }

    def test_an_item_published_early_is_on_time_but_not_yet_due(self):
        early = item(1, target=D(2025, 9, 1), deliveries=[delivery(D(2025, 6, 1))])

        summary = compliance.summarise_items([early], AS_OF, due_soon_days=30)

        assert (summary["on_time"], summary["due"], summary["due_on_time"]) == (1, 0, 0)

    def test_current_phase_is_the_running_one(self):
        phases = [
            phase("p1", 0, D(2025, 1, 1), D(2025, 6, 30)),
            phase("p2", 1, D(2025, 7, 1), D(2025, 12, 31)),
        ]

        assert compliance.current_phase(phases, D(2025, 8, 1)).id == "p2"
        assert compliance.current_phase(phases, D(2026, 3, 1)).id == "p2"
        assert compliance.current_phase(phases, D(2024, 3, 1)).id == "p1"
        assert compliance.current_phase([], D(2024, 3, 1)) is None
