"""Saving the edit form unchanged changes nothing (issue 14, item 6).

For every field of the dataset and resource schemas, a dataset with a non-default
value in that field is created through the API; its edit form is fetched and sent back
exactly as a browser would send it (every rendered field, checkboxes as rendered, the
CSRF token), and package_show must be the same afterwards.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

from ckan.tests import factories, helpers

from tests.factories import Item, Plan
from tests.helpers import token_headers
from tests.metadata.helpers import (
    FULL_DATASET,
    FULL_RESOURCE,
    HARVESTED,
    SCHEMA,
    vn_dataset,
)

# Values that differ from what a field gets when it is left out.
NON_DEFAULT = {
    **FULL_DATASET,
    "source_catalog_uri": "https://opendata.danang.gov.vn/catalog.ttl",
    "source_catalog_title": "Cổng dữ liệu mở Đà Nẵng",
    "source_catalog_publisher": "Sở Thông tin và Truyền thông Đà Nẵng",
    "title_language": "de",
    "notes_language": "sv",
    "translations": '{"title": {"fr": "Écoles de Da Nang", "und": "Trường học"}}',
    "harvest_notes": '{"absent": ["notes"], "defaulted": {"update_frequency": '
    '"khong_dinh_ky"}}',
    "private": True,
}
NON_DEFAULT_RESOURCE = {**FULL_RESOURCE, "auth_required": True}
# Computed: changed through the fields they are computed from (checked as part of the
# others: each case compares the whole package_show).
COMPUTED = {"next_update_due", "openness_stars"}
# Changing with every write, or the form's own bookkeeping: CKAN's upload widget sends
# url_type "" for a link, which CKAN stores for None (both mean "a link, no upload").
VOLATILE = {"metadata_modified", "url_type"}

DATASET_CASES = sorted(
    {f["field_name"] for f in SCHEMA["dataset_fields"]} - COMPUTED | {"stars"}
)
RESOURCE_CASES = sorted({f["field_name"] for f in SCHEMA["resource_fields"]} - COMPUTED)


def test_cases_cover_every_schema_field():
    names = {f["field_name"] for f in SCHEMA["dataset_fields"]}
    resource_names = {f["field_name"] for f in SCHEMA["resource_fields"]}

    assert names - COMPUTED <= set(NON_DEFAULT) | {"owner_org"}
    assert resource_names - COMPUTED <= set(NON_DEFAULT_RESOURCE)
    assert HARVESTED <= set(NON_DEFAULT)


def browser_submission(html: str, form_id: str) -> list[tuple[str, str]]:
    """The fields a browser sends for the form: as rendered, nothing added."""
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
    assert form is not None, form_id
    fields: list[tuple[str, str]] = []
    for element in form.find_all(["input", "select", "textarea", "button"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        kind = (element.get("type") or "").lower()
        if element.name == "input" and kind in ("checkbox", "radio"):
            if element.has_attr("checked"):
                fields.append((name, element.get("value", "on")))
        elif element.name == "input" and kind in ("submit", "button", "file"):
            continue
        elif element.name == "button":
            if name == "save":  # the button the officer clicks
                fields.append((name, element.get("value", "")))
        elif element.name == "select":
            options = element.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")] or options[:1]
            for option in chosen if element.has_attr("multiple") else chosen[:1]:
                fields.append((name, option.get("value", option.text)))
        elif element.name == "textarea":
            text = element.text
            fields.append((name, text[1:] if text.startswith("\n") else text))
        else:
            fields.append((name, element.get("value", "")))
    return fields


def _changes(before: dict, after: dict) -> dict:
    """{key: (before, after)} of what differs, resources field by field."""
    before, after = _without_volatile(before), _without_volatile(after)
    changes = {
        key: (before.get(key, "<absent>"), after.get(key, "<absent>"))
        for key in set(before) | set(after)
        if key != "resources" and before.get(key, ...) != after.get(key, ...)
    }
    for n, (old, new) in enumerate(zip(before["resources"], after["resources"])):
        for key in set(old) | set(new):
            if old.get(key, ...) != new.get(key, ...):
                changes[f"resources.{n}.{key}"] = (
                    old.get(key, "<absent>"),
                    new.get(key, "<absent>"),
                )
    if len(before["resources"]) != len(after["resources"]):
        changes["resources"] = (len(before["resources"]), len(after["resources"]))
    return changes


def _without_volatile(package: dict) -> dict:
    package = {k: v for k, v in package.items() if k not in VOLATILE}
    package["resources"] = [
        {k: v for k, v in r.items() if k not in VOLATILE}
        for r in package.get("resources", [])
    ]
    return package


@pytest.fixture
def creator():
    user = factories.User()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "admin"}])
    return user, org


def _create(user: dict, org: dict, fields: dict, resource: dict) -> dict:
    if "plan_item" in fields:  # it must name an item its agency may deliver
        fields = {
            **fields,
            "plan_item": Item(plan_id=Plan(organization_id=org["id"])["id"])["key"],
        }
    return helpers.call_action(
        "package_create",
        context={"user": user["name"]},
        **vn_dataset(org["id"], **fields, resources=[resource]),
    )


def _save_unchanged(app, url: str, form_id: str, headers: dict):
    page = app.get(url, headers=headers)
    assert page.status_code == 200
    response = app.post(
        url,
        data=MultiDict(browser_submission(page.body, form_id)),
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 302, _form_errors(response.body)


def _form_errors(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    shown = soup.select(".error-explanation, .error-block, .alert-error, .alert-danger")
    return " | ".join(" ".join(e.get_text().split()) for e in shown) or html[-3000:]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestEditFormRoundTrip:
    @pytest.mark.parametrize("field", DATASET_CASES)
    def test_dataset_form_saved_unchanged_changes_nothing(self, app, creator, field):
        user, org = creator
        if field == "stars":  # a 3-star CSV: the form has no resources
            fields, resource = {}, {"url": "http://x/a.csv", "format": "CSV"}
        else:
            fields = {field: NON_DEFAULT[field]} if field in NON_DEFAULT else {}
            resource = {"url": "http://x/a.pdf", "format": "PDF"}
        dataset = _create(user, org, fields, resource)
        before = helpers.call_action("package_show", id=dataset["id"])

        _save_unchanged(
            app,
            f"/dataset/edit/{dataset['name']}",
            "dataset-edit",
            token_headers(user),
        )

        after = helpers.call_action("package_show", id=dataset["id"])
        assert _changes(before, after) == {}

    @pytest.mark.parametrize("field", RESOURCE_CASES)
    def test_resource_form_saved_unchanged_changes_nothing(self, app, creator, field):
        user, org = creator
        resource = {"url": "http://x/a.csv", "format": "CSV"}
        resource[field] = NON_DEFAULT_RESOURCE[field]
        dataset = _create(user, org, {}, resource)
        before = helpers.call_action("package_show", id=dataset["id"])
        resource_id = before["resources"][0]["id"]

        _save_unchanged(
            app,
            f"/dataset/{dataset['id']}/resource/{resource_id}/edit",
            "resource-edit",
            token_headers(user),
        )

        after = helpers.call_action("package_show", id=dataset["id"])
        assert _changes(before, after) == {}
