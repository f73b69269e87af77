"""Property: whatever a client sends to package_create or package_update, the answer is
200 or 409 (never a 500), a 409 writes nothing, and the next request is served.

Hypothesis mixes valid values of every field of the Vietnamese schema with hostile
ones (wrong types, lists, dicts, huge strings, NUL, lone surrogates, zero-width
characters, huge integers, "inf", "nan", bad and out-of-range dates), through the real
action API so that the HTTP status is what is checked. Derandomized, with no example
database, so every run (and CI) tries the same examples.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from ckan import model
from ckan.tests import factories, helpers

from tests.fuzz import FUZZ, HOSTILE
from tests.helpers import token_headers
from tests.metadata.helpers import (
    DATASET_FIELDS,
    FULL_DATASET,
    FULL_RESOURCE,
    RESOURCE_FIELDS,
)

API = "/api/3/action/"
VALID = {
    **FULL_DATASET,
    "name": None,  # each created dataset gets its own name from its title
    # FULL_DATASET's item key names no plan item here (a source_catalog_uri no longer
    # lets an API call store an item it may not deliver: only a harvest import may).
    "plan_item": None,
    "private": True,
    "next_update_due": "2026-01-01",
    "openness_stars": 3,
    "source_catalog_uri": "https://opendata.danang.gov.vn/catalog.ttl",
    "source_catalog_title": "Cổng dữ liệu mở Đà Nẵng",
    "source_catalog_publisher": "Sở Thông tin và Truyền thông",
}
VALID_RESOURCE = {**FULL_RESOURCE, "openness_stars": 3}


def _field(valid) -> st.SearchStrategy:
    """Mostly the valid value, often hostile, sometimes absent (``...``)."""
    return st.one_of(st.just(valid), HOSTILE, st.just(...))


@st.composite
def datasets(draw, owner_org: str) -> dict:
    dataset = {"owner_org": owner_org}
    for name in DATASET_FIELDS:
        if name == "owner_org":
            continue
        value = draw(_field(VALID.get(name)))
        if value is not ... and not (name == "name" and value is None):
            dataset[name] = value
    resources = []
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        resource = {}
        for name in RESOURCE_FIELDS:
            value = draw(_field(VALID_RESOURCE.get(name)))
            if value is not ...:
                resource[name] = value
        resources.append(resource)
    whole = draw(st.sampled_from(["list", "list", "list", "hostile"]))
    dataset["resources"] = resources if whole == "list" else draw(HOSTILE)
    return dataset


@pytest.fixture
def officer():
    user = factories.User()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "admin"}])
    return token_headers(user), org


def _count() -> int:
    return helpers.call_action("package_search", q="*:*", include_private=True)["count"]


def _next_requests_are_served(app, headers: dict) -> None:
    assert app.post(API + "package_search", json={}, headers=headers).status_code == 200
    assert app.get(API + "status_show").status_code == 200
    assert app.get("/dataset/").status_code == 200
    model.Session.execute(sa.text("SELECT 1"))  # the session is usable


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestFuzzPackageActions:
    def test_package_create_answers_200_or_409(self, app, officer):
        headers, org = officer

        @FUZZ
        @given(dataset=datasets(org["id"]))
        def create(dataset):
            before = _count()
            response = app.post(API + "package_create", json=dataset, headers=headers)
            assert response.status_code in (200, 409), response.body[-1500:]
            if response.status_code == 409:
                assert _count() == before
            else:
                assert _count() == before + 1
            _next_requests_are_served(app, headers)

        create()

    def test_package_update_answers_200_or_409(self, app, officer):
        headers, org = officer
        base = {k: v for k, v in VALID.items() if v is not None}
        stored = helpers.call_action(
            "package_create",
            context={"user": factories.Sysadmin()["name"]},
            **{**base, "owner_org": org["id"], "resources": [FULL_RESOURCE]},
        )

        @FUZZ
        @given(dataset=datasets(org["id"]))
        def update(dataset):
            before = helpers.call_action("package_show", id=stored["id"])
            dataset["id"] = stored["id"]
            response = app.post(API + "package_update", json=dataset, headers=headers)
            assert response.status_code in (200, 409), response.body[-1500:]
            if response.status_code == 409:
                after = helpers.call_action("package_show", id=stored["id"])
                assert after == before
            _next_requests_are_served(app, headers)

        update()
