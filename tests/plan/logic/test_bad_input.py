"""Input of the wrong type or out of range is a 409 naming the field, never a 500.

Through the HTTP action API, as the probe sent it: a 500 there meant a validator ran on
the raw value after the type check before it had failed, or a value reached the
database that its column cannot hold.
"""

from __future__ import annotations

import pytest

from ckan.tests import factories

from tests.factories import Item
from tests.helpers import token_headers
from tests.plan.conftest import plan_in

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


@pytest.fixture
def sysadmin_headers():
    return token_headers(factories.Sysadmin())


@pytest.fixture
def parts(agency):
    plan = plan_in(agency)
    item = Item(plan_id=plan["id"], title="A")
    return {"org": agency.org["id"], "plan": plan["id"], "item": item["id"]}


def _plan(parts, **fields):
    return {"organization_id": parts["org"], "title": "Kế hoạch", **fields}


def _phase(parts, **fields):
    dates = {"start_date": "2025-01-01", "end_date": "2025-12-31"}
    return {"plan_id": parts["plan"], "label": "Giai đoạn 1", **dates, **fields}


def _item(parts, **fields):
    return {"plan_id": parts["plan"], "title": "Điểm wifi", **fields}


# (action, the data sent, the field the error must name)
BAD_INPUT = [
    ("vndata_plan_create", lambda p: _plan(p, period_start=""), "period_start"),
    ("vndata_plan_create", lambda p: _plan(p, period_start="abc"), "period_start"),
    (
        "vndata_plan_create",
        lambda p: _plan(p, review_interval_months="abc"),
        "review_interval_months",
    ),
    (
        "vndata_plan_create",
        lambda p: _plan(p, last_review_date="31/12/9999"),
        "last_review_date",
    ),
    ("vndata_plan_create", lambda p: _plan(p, title="Kế\x00hoạch"), "title"),
    ("vndata_plan_create", lambda p: _plan(p, title="Kế \ud800 hoạch"), "title"),
    (
        "vndata_plan_create",
        lambda p: {**_plan(p), "organization_id": [p["org"]]},
        "organization_id",
    ),
    (
        "vndata_plan_phase_create",
        lambda p: _phase(p, min_datasets="inf"),
        "min_datasets",
    ),
    (
        "vndata_plan_phase_create",
        lambda p: _phase(p, min_datasets=1e20),
        "min_datasets",
    ),
    ("vndata_plan_phase_create", lambda p: _phase(p, position=10**12), "position"),
    ("vndata_plan_item_create", lambda p: _item(p, number=10**12), "number"),
    ("vndata_plan_item_create", lambda p: _item(p, formats="["), "formats"),
    ("vndata_plan_item_create", lambda p: _item(p, formats=5), "formats"),
    (
        "vndata_plan_item_create",
        lambda p: _item(p, cooperating_agencies=True),
        "cooperating_agencies",
    ),
    ("vndata_plan_item_create", lambda p: _item(p, formats=[{"a": 1}]), "formats"),
    ("vndata_plan_item_suggest", lambda p: {"id": p["item"], "limit": "abc"}, "limit"),
    ("vndata_plan_list", lambda p: {"organization_id": [p["org"]]}, "organization_id"),
    ("vndata_plan_list", lambda p: {"status": {"draft": 1}}, "status"),
    ("vndata_plan_list", lambda p: {"all_versions": "maybe"}, "all_versions"),
]


@pytest.mark.parametrize(
    "action, data, field",
    BAD_INPUT,
    ids=[f"{action}-{field}-{n}" for n, (action, _d, field) in enumerate(BAD_INPUT)],
)
def test_bad_input_is_a_409_naming_the_field(
    app, parts, sysadmin_headers, action, data, field
):
    response = app.post(
        f"/api/3/action/{action}",
        json=data(parts),
        headers=sysadmin_headers,
        status=409,
    )

    assert field in response.json["error"]
    # The worker is still sound: the next request succeeds.
    app.post(
        "/api/3/action/organization_show",
        json={"id": parts["org"]},
        headers=sysadmin_headers,
        status=200,
    )


def test_error_is_in_vietnamese_by_default(app, parts, sysadmin_headers):
    response = app.post(
        "/api/3/action/vndata_plan_create",
        json=_plan(parts, period_start="abc"),
        headers=sysadmin_headers,
        status=409,
    )

    assert response.json["error"]["period_start"] == ["Cần nhập một số nguyên."]


def test_error_is_in_english_when_the_request_is(app, parts, sysadmin_headers):
    response = app.post(
        "/en/api/3/action/vndata_plan_create",
        json=_plan(parts, period_start="abc"),
        headers=sysadmin_headers,
        status=409,
    )

    assert response.json["error"]["period_start"] == ["A whole number is expected."]


def test_bounds_follow_the_domain(app, parts, sysadmin_headers):
    response = app.post(
        "/api/3/action/vndata_plan_phase_create",
        json=_phase(parts, min_percent_api="nan", min_stars=6, min_datasets=-1),
        headers=sysadmin_headers,
        status=409,
    )

    assert set(response.json["error"]) >= {
        "min_percent_api",
        "min_stars",
        "min_datasets",
    }


@pytest.mark.parametrize("key", ["__junk", "__extras", "__before"])
def test_a_key_navl_keeps_for_itself_is_an_unknown_field(
    app, parts, sysadmin_headers, key
):
    # Found by the fuzz test: "__junk": true reached navl's own validator (a 500).
    response = app.post(
        "/api/3/action/vndata_plan_item_create",
        json={**_item(parts), key: True},
        headers=sysadmin_headers,
        status=409,
    )

    assert key in response.json["error"]
