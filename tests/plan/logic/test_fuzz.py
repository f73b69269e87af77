"""Every vndata_plan_* action, fuzzed through the HTTP action API.

Hypothesis sends each declared key a valid value, a hostile one (wrong type, list,
dict, huge or negative number, float, "inf", "nan", NUL, lone surrogate, zero-width
space, huge text, impossible date) or nothing, and now and then an unknown key. The
answer must be 200, or 409 (bad input), 403 or 404 where that is the honest answer;
never a 500. A 409 changes no row of the plan tables, and the next request on the same
app succeeds. Reproducible (derandomize) and bounded.
"""

from __future__ import annotations

import datetime
import json

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from ckan.model import meta
from ckan.tests import factories

from tests.factories import Item, Phase, VnDataset
from tests.fuzz import fuzz_settings
from tests.helpers import token_headers
from tests.plan.conftest import plan_in

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TABLES = (
    "vndata_plan",
    "vndata_plan_phase",
    "vndata_plan_item",
    "vndata_plan_item_dataset",
    "vndata_plan_event",
    "vndata_plan_body",
)
HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 2**31, 2**63, 10**12, 1e20, -1e20, 1.5, 1e-300]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "",
            " ",
            "inf",
            "-inf",
            "nan",
            "NaN",
            "1e20",
            "-1",
            "abc",
            "[",
            "{",
            "\x00",
            "a\x00b",
            "\ud800",
            "x\udfffy",
            "\u200b",
            "\u200b\u200b",
            "x" * 100_000,
            "31/12/9999",
            "29/02/2025",
            "2025-13-45",
            "0000-00-00",
            "9999-12-31",
            "01/01/0001",
            "true",
            "maybe",
            "null",
        ]
    ),  # fmt: skip
    st.text(max_size=30),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.lists(st.dictionaries(st.text(max_size=3), st.text(max_size=3)), max_size=2),
)


def _date(days: int = 0) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def _fresh(agency, dataset: dict) -> dict:
    """A draft plan with a phase and an item, and a published plan with an item."""
    plan = plan_in(agency)
    phase = Phase(plan_id=plan["id"], start_date=_date(), end_date=_date(90))
    item = Item(plan_id=plan["id"], title="Mục A")
    submitted = plan_in(agency, "submitted")
    return {
        "org": agency.org["id"], "plan": plan["id"], "phase": phase["id"],
        "item": item["id"], "submitted": submitted["id"], "dataset": dataset["id"],
    }  # fmt: skip


PLAN_FIELDS = {
    "title": "Kế hoạch",
    "period_start": 2025,
    "period_end": 2026,
    "decision_number": "1726/QĐ-UBND",
    "decision_date": "08/09/2025",
    "decision_signer": "Phó Chủ tịch",
    "submission_ref": "94/TTr",
    "legal_basis": "Luật Dữ liệu",
    "objectives": "Mục tiêu",
    "contact_name": "Chị Lan",
    "contact_email": "dulieumo@danang.gov.vn",
    "contact_phone": "0236 3821 111",
    "safety_measures": "Bảo mật",
    "promotion_measures": "Khuyến khích",
    "review_interval_months": 6,
    "last_review_date": "2025-01-15",
}
PHASE_FIELDS = {
    "label": "Giai đoạn 2",
    "position": 1,
    "start_date": "2025-01-01",
    "end_date": "2025-12-31",
    "min_datasets": 3,
    "min_percent_published": 50,
    "min_stars": 3,
    "min_percent_machine_readable": 80,
    "min_percent_api": 10,
    "min_percent_complete_metadata": 90,
    "min_percent_updated_on_schedule": 70,
}
ITEM_FIELDS = {
    "title": "Điểm wifi",
    "number": 7,
    "description": "Mô tả",
    "sector": "giao-duc-dao-tao",
    "lead_agency": "Sở A",
    "cooperating_agencies": ["Sở B"],
    "source_database": "CSDL",
    "source_database_type": "dia_phuong",
    "formats": ["CSV", "API"],
    "channel": "Cổng",
    "update_frequency": "hang_nam",
    "priority": "cao",
    "demand_evidence": "Người dân",
    "target_date": "2025-06-30",
    "importance_class": "khac",
    "removed_reason": "",
}
ROSTER_BODY = {
    "kind": "ministry",
    "title": "Bộ Mới",
    "province_code": "",
    "agency_code": "G38",
    "organizations": ["khong-co"],
    "merged_into": "G03",
    "active": True,
    "source": "Nghị quyết",
    "note": "Ghi chú",
}
# Each action with a valid value for each key it declares (t: the fresh targets).
ACTIONS = {
    "vndata_plan_create": lambda t: {"organization_id": t["org"], **PLAN_FIELDS},
    "vndata_plan_show": lambda t: {"id": t["plan"], "as_of": _date()},
    "vndata_plan_list": lambda t: {
        "organization_id": t["org"],
        "status": "draft",
        "all_versions": True,
    },  # fmt: skip
    "vndata_plan_update": lambda t: {"id": t["plan"], **PLAN_FIELDS},
    "vndata_plan_phase_create": lambda t: {"plan_id": t["plan"], **PHASE_FIELDS},
    "vndata_plan_phase_show": lambda t: {"id": t["phase"]},
    "vndata_plan_phase_list": lambda t: {"plan_id": t["plan"]},
    "vndata_plan_phase_update": lambda t: {"id": t["phase"], **PHASE_FIELDS},
    "vndata_plan_item_create": lambda t: {"plan_id": t["plan"], **ITEM_FIELDS},
    "vndata_plan_item_show": lambda t: {"id": t["item"]},
    "vndata_plan_item_list": lambda t: {"plan_id": t["plan"]},
    "vndata_plan_item_update": lambda t: {
        "id": t["item"],
        "phase_id": t["phase"],
        **ITEM_FIELDS,
    },  # fmt: skip
    "vndata_plan_item_link": lambda t: {"id": t["item"], "package_id": t["dataset"]},
    "vndata_plan_item_unlink": lambda t: {"id": t["item"], "package_id": t["dataset"]},
    "vndata_plan_item_suggest": lambda t: {"id": t["item"], "limit": 5},
    "vndata_plan_compliance": lambda t: {"id": t["plan"], "as_of": _date()},
    "vndata_compliance_report": lambda t: {
        "as_of": _date(),
        "kind": "province",
        "body": "48",
        "status": "no_plan",
        "timeline": True,
    },  # fmt: skip
    "vndata_plan_submit": lambda t: {"id": t["plan"], "comment": "Gửi"},
    "vndata_plan_return": lambda t: {"id": t["submitted"], "comment": "Sửa"},
    "vndata_plan_approve": lambda t: {"id": t["submitted"], "comment": "Đạt"},
    "vndata_plan_publish": lambda t: {"id": t["submitted"], "comment": "Công bố"},
    "vndata_plan_revise": lambda t: {"id": t["plan"], "comment": "Sửa đổi"},
    "vndata_plan_phase_delete": lambda t: {"id": t["phase"]},
    "vndata_plan_item_delete": lambda t: {"id": t["item"]},
    "vndata_plan_delete": lambda t: {"id": t["plan"]},
    "vndata_roster_list": lambda t: {"all": True},
    "vndata_roster_body_create": lambda t: {**ROSTER_BODY, "code": "G38"},
    "vndata_roster_body_update": lambda t: {**ROSTER_BODY, "code": "G06"},
    "vndata_roster_body_delete": lambda t: {"code": "VTV"},
}


def test_every_plan_action_is_fuzzed():
    """The list above is the plugin's list: a new action is fuzzed too.

    The core actions the plugin chains (bulk_update_*, package_owner_org_update) keep
    CKAN's own input checks and run ours only after them; odd inputs to them are
    tested in tests/plan/logic/action/test_bulk.py."""
    from ckanext.vndata.plan.logic.action import get_actions

    ours = {name for name in get_actions() if name.startswith("vndata_")}
    assert ours == set(ACTIONS)


def _snapshot() -> dict[str, str]:
    with meta.engine.connect() as connection:
        return {
            table: connection.execute(
                sa.text(
                    f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text),"
                    f" '')) FROM {table} t"
                )
            ).scalar()
            for table in TABLES
        }


@st.composite
def _payload(draw, valid: dict) -> dict:
    data = {}
    for key, value in valid.items():
        choice = draw(st.sampled_from(["valid", "valid", "hostile", "left out"]))
        if choice == "valid":
            data[key] = value
        elif choice == "hostile":
            data[key] = draw(HOSTILE)
    if draw(st.booleans()) and draw(st.booleans()):
        data[draw(st.sampled_from(["zzz", "__junk", "id\x00", "x" * 300]))] = draw(
            HOSTILE
        )
    return data


def _fuzz(app, headers: dict, action: str, valid: dict, organization_id: str):
    @fuzz_settings(max_examples=30)
    @given(_payload(valid))
    def check(data):
        before = _snapshot()
        response = app.post(
            f"/api/3/action/{action}",
            data=json.dumps(data),
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code in (200, 403, 404, 409), (
            action,
            response.body[:300],
        )
        if response.status_code != 200:
            if response.status_code == 409:
                assert _snapshot() == before, action
            # The worker is sound after a refusal (a 200 is followed by the next
            # example's request).
            app.post(
                "/api/3/action/organization_show",
                json={"id": organization_id},
                headers=headers,
                status=200,
            )

    check()


def test_no_plan_action_answers_a_500(app, agency):
    # One test for all actions: a database reset per action would cost more than the
    # fuzzing. Each action gets fresh plans, as earlier ones may have deleted theirs.
    headers = token_headers(factories.Sysadmin())
    dataset = VnDataset(owner_org=agency.org["id"])
    for action, valid in ACTIONS.items():
        targets = _fresh(agency, dataset)
        _fuzz(app, headers, action, valid(targets), targets["org"])
