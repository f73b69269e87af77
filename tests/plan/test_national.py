"""The national view per obliged body (plan/national.py): status, roll-up, headline."""

from __future__ import annotations

import datetime

import pytest

from ckanext.vndata.plan import compliance, national
from ckanext.vndata.plan.roster import ObligedBody

DA_NANG = ObligedBody("48", "province", "Thành phố Đà Nẵng", "48", None, ["o1", "o2"])
HUE = ObligedBody("46", "province", "Thành phố Huế", "46", "H57", [])
FINANCE = ObligedBody("G12", "ministry", "Bộ Tài chính", None, "G12", ["o3"])


def _row(org="o1", status="published", overdue=0, levels=None, **counts):
    figures = dict.fromkeys(national.COUNTS, 0)
    figures.update(overdue=overdue, **counts)
    return {
        "agency": {"title": f"Cơ quan {org}"},
        "organization_id": org,
        "plan": {"id": f"plan-{org}", "status": status},
        "current_phase": "Giai đoạn 1",
        "levels": levels if levels is not None else {"min_datasets": True},
        **figures,
    }


class TestBodyStatus:
    @pytest.mark.parametrize(
        ("rows", "status"),
        [
            ([], "no_plan"),
            ([_row(status="draft")], "in_workflow"),
            ([_row()], "issued"),
            ([_row(overdue=1)], "behind"),
            ([_row(levels={"min_datasets": False})], "behind"),
            ([_row(levels={"min_datasets": None})], "issued"),
            ([_row(), _row("o2", status="submitted", overdue=5)], "issued"),
        ],
    )
    def test_each_status(self, rows, status):
        assert national.body_row(DA_NANG, rows)["status"] == status


class TestRollUp:
    def test_a_provinces_departments_add_up_into_the_province(self):
        rows = [
            _row("o1", planned=10, published=4, due=6, due_on_time=3, on_time=3),
            _row("o2", planned=5, published=5, due=5, due_on_time=5, on_time=5),
        ]

        row = national.body_row(DA_NANG, rows)

        assert (row["planned"], row["published"], row["due"]) == (15, 9, 11)
        # Over the items due (8 of 11), as the headline: not over those published.
        assert row["due_on_time_percent"] == 72.7
        assert "on_time_percent" not in row
        assert [p["plan_id"] for p in row["plans"]] == ["plan-o1", "plan-o2"]
        assert (row["levels_passed"], row["levels_failed"]) == (2, 0)
        assert row["passes_levels"] is True

    def test_plans_in_the_workflow_do_not_count_once_one_is_published(self):
        rows = [_row("o1", planned=3), _row("o2", status="draft", planned=50)]

        assert national.body_row(DA_NANG, rows)["planned"] == 3

    def test_a_body_without_judged_levels_does_not_pass_them(self):
        assert not national.body_row(DA_NANG, [_row(levels={})])["passes_levels"]
        assert not national.body_row(DA_NANG, [])["passes_levels"]


class TestHeadline:
    def test_shares_are_over_every_body_in_scope(self):
        rows = [
            national.body_row(DA_NANG, [_row(due=4, due_on_time=1)]),
            national.body_row(HUE, []),
            national.body_row(FINANCE, [_row("o3", status="approved")]),
        ]

        headline = national.headline(rows)

        assert (headline["bodies"], headline["issued"]) == (3, 1)
        assert headline["issued_percent"] == 33.3
        assert headline["statuses"] == {
            "no_plan": 1,
            "in_workflow": 1,
            "issued": 1,
            "behind": 0,
        }
        assert (headline["items_due"], headline["items_due_on_time"]) == (4, 1)
        assert headline["due_on_time_percent"] == 25.0
        assert headline["passing_levels_percent"] == 33.3

    def test_issued_counts_bodies_behind_schedule_and_says_so(self):
        rows = [
            national.body_row(DA_NANG, [_row(overdue=1)]),
            national.body_row(HUE, [_row("o4")]),
            national.body_row(FINANCE, []),
        ]

        headline = national.headline(rows)

        assert headline["issued"] == 2
        assert headline["issued_statuses"] == ["issued", "behind"]
        assert sum(headline["statuses"][s] for s in headline["issued_statuses"]) == 2

    def test_no_body_no_share(self):
        headline = national.headline([])

        assert (headline["bodies"], headline["issued_percent"]) == (0, None)


class TestScopeAndGroups:
    def test_filters_by_kind_central_and_code(self):
        rows = [national.body_row(b, []) for b in (DA_NANG, HUE, FINANCE)]

        def codes(kind, code=None):
            return [r["code"] for r in rows if national.in_scope(r, kind, code)]

        assert codes(None) == ["48", "46", "G12"]
        assert codes("province") == ["48", "46"]
        assert codes("central") == ["G12"]
        assert codes("ministry") == ["G12"]
        assert codes(None, "46") == ["46"]

    def test_groups_cover_every_body_with_or_without_a_plan(self):
        rows = [
            national.body_row(DA_NANG, [_row(planned=3, published=1)]),
            national.body_row(HUE, []),
            national.body_row(FINANCE, []),
        ]

        provinces, ministries = national.by_province(rows), national.by_ministry(rows)

        assert set(provinces) == {"48", "46"}
        assert provinces["48"]["published_percent"] == 33.3
        assert provinces["46"] == {
            "body": "46",
            "title": "Thành phố Huế",
            "status": "no_plan",
            "agencies": 0,
            "planned": 0,
            "published": 0,
            "overdue": 0,
            "published_percent": None,
            "quality": None,  # the report adds each body's (metadata_quality)
        }
        assert list(ministries) == ["G12"]


class TestTimeline:
    def test_items_scheduled_and_delivered_cumulate_by_month(self):
        D, Item = datetime.date, compliance.ItemFacts
        delivered = compliance.Delivery(True, D(2025, 2, 3), None, 3, True, False, True)
        plan_one = [
            Item("a", 1, "A", None, D(2025, 1, 31), False, (delivered,)),
            Item("b", 2, "B", None, D(2025, 3, 1), False),
        ]
        plan_two = [Item("c", 1, "C", None, None, False)]

        series = national.timeline([plan_one, plan_two], D(2025, 7, 1))

        assert series == {
            "labels": ["2025-01", "2025-02", "2025-03"],
            "scheduled": [1, 1, 2],
            "delivered": [0, 1, 1],
        }
