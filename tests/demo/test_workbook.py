"""Đà Nẵng's plan typed into the portal's blank template reads back whole, with the
codes and labels the officer picked from the drop-downs."""

from __future__ import annotations

import pytest

from ckanext.vndata.plan.excel.read import read_workbook
from ckanext.vndata.plan.excel.write import write_workbook
from demo import plans, workbook

pytestmark = pytest.mark.usefixtures("with_plugins", "with_request_context")


def test_the_filled_template_reads_back_without_a_problem():
    book = read_workbook(workbook.filled(write_workbook()), "ke-hoach.xlsx")

    assert book.problems == []
    assert book.general["title"] == plans.DA_NANG["form"]["title"]
    assert book.general["decision_number"] == "804/QĐ-UBND"
    assert [p["label"] for p in book.phases] == ["Giai đoạn 1", "Giai đoạn 2"]
    assert book.phases[0]["min_stars"] == 3
    typed = plans.DA_NANG["items"]
    expected = [(title, sector, phase) for title, sector, _d, phase, _ in typed]
    assert [(i["title"], i["sector"], i["phase"]) for i in book.items] == expected
    assert {i["update_frequency"] for i in book.items} == {"hang_quy"}
    assert [str(i["target_date"]) for i in book.items] == [
        plans.days(due) for _t, _s, due, _p, _d in typed
    ]
