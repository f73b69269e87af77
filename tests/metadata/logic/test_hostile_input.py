"""Hostile dataset input gets a 409 naming the field, never a 500 (issue 14, item 9).

Through the real action API, so the HTTP status and the next request are seen.
"""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.helpers import token_headers
from tests.metadata.helpers import vn_dataset

API = "/api/3/action/"


@pytest.fixture
def officer():
    """An agency admin with an API token, and the agency."""
    user = factories.User()
    org = factories.Organization(
        title="Sở Giáo dục và Đào tạo Đà Nẵng",
        users=[{"name": user["name"], "capacity": "admin"}],
    )
    return token_headers(user), org


def _post(app, action: str, headers: dict, body: dict, lang: str = ""):
    return app.post(f"{lang}{API}{action}", json=body, headers=headers)


def _count() -> int:
    return helpers.call_action("package_search", q="*:*", include_private=True)["count"]


def _with_resource(org_id: str, **resource) -> dict:
    return vn_dataset(
        org_id, resources=[{"url": "http://x/a.csv", "format": "CSV", **resource}]
    )


# (field that must be named, dataset given)
HOSTILE = {
    "private-not-a-boolean": ("private", lambda o: vn_dataset(o, private="abc")),
    "private-a-list": ("private", lambda o: vn_dataset(o, private=["true"])),
    "modified-last-year-yearly": (
        "modified",
        lambda o: vn_dataset(o, modified="31/12/9999", update_frequency="hang_nam"),
    ),
    "issued-last-day": ("issued", lambda o: vn_dataset(o, issued="9999-12-31")),
    "issued-a-number": ("issued", lambda o: vn_dataset(o, issued=20250101)),
    "assessed-maybe": (
        "personal_data_assessed",
        lambda o: vn_dataset(o, private=True, personal_data_assessed="maybe"),
    ),
    "auth-required-maybe": (
        "resources",
        lambda o: _with_resource(o, auth_required="maybe"),
    ),
    "declared-stars-abc": (
        "resources",
        lambda o: _with_resource(o, declared_stars="abc"),
    ),
    "declared-stars-huge": (
        "resources",
        lambda o: _with_resource(o, declared_stars=10**30),
    ),
    "size-over-bigint": ("resources", lambda o: _with_resource(o, size=2**63)),
    "size-abc": ("resources", lambda o: _with_resource(o, size="abc")),
    "format-a-list": ("resources", lambda o: _with_resource(o, format=["CSV"])),
    "url-a-dict": ("resources", lambda o: _with_resource(o, url={"a": 1})),
    "title-1-mb": ("title", lambda o: vn_dataset(o, title="Dữ liệu " * 150_000)),
    "title-40-kb": ("title", lambda o: vn_dataset(o, title="a" * 40_000)),
    "title-nul": ("title", lambda o: vn_dataset(o, title="Trường\x00học")),
    "title-lone-surrogate": ("title", lambda o: vn_dataset(o, title="Trường\ud800")),
    "notes-nul": ("notes", lambda o: vn_dataset(o, notes="\x00")),
    "note-lone-surrogate": (
        "personal_data_note",
        lambda o: vn_dataset(o, personal_data_note="\udfff"),
    ),
    "tag-nul": ("tag_string", lambda o: vn_dataset(o, tag_string="a\x00b")),
    "name-lone-surrogate": ("name", lambda o: vn_dataset(o, name="ab\ud800cd")),
    "legacy-codes-a-number": (
        "legacy_admin_codes",
        lambda o: vn_dataset(o, legacy_admin_codes={"a": 1}),
    ),
    "contact-a-list": ("contact_name", lambda o: vn_dataset(o, contact_name=["a"])),
    "title-a-list": ("title", lambda o: vn_dataset(o, title=["Trường học"])),
    "title-a-dict": ("title", lambda o: vn_dataset(o, title={"vi": "Trường học"})),
    **{
        f"title-only-{hex(ord(c))}": ("title", lambda o, c=c: vn_dataset(o, title=c))
        for c in ("\u200b", "\u200c", "\u200d", "\ufeff", "\u2060")
    },
    "title-zero-width-and-spaces": (
        "title",
        lambda o: vn_dataset(o, title=" \u200b\u200d \ufeff "),
    ),
}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHostileDatasetInput:
    @pytest.mark.parametrize("case", sorted(HOSTILE))
    def test_is_refused_with_a_409_naming_the_field(self, app, officer, case):
        headers, org = officer
        field, make = HOSTILE[case]

        response = _post(app, "package_create", headers, make(org["id"]))

        assert response.status_code == 409, response.body[:500]
        error = response.json["error"]
        assert error["__type"] == "Validation Error"
        assert field in error, error
        assert _count() == 0
        # The same worker serves the next request.
        assert _post(app, "package_search", headers, {}).status_code == 200
        created = _post(app, "package_create", headers, vn_dataset(org["id"]))
        assert created.status_code == 200, created.body[:500]

    def test_update_with_hostile_values_changes_nothing(self, app, officer):
        headers, org = officer
        stored = _post(app, "package_create", headers, vn_dataset(org["id"])).json[
            "result"
        ]

        response = _post(
            app,
            "package_patch",
            headers,
            {"id": stored["id"], "title": "x\x00", "private": "abc", "issued": 10**40},
        )

        assert response.status_code == 409
        assert {"title", "private", "issued"} <= set(response.json["error"])
        after = helpers.call_action("package_show", id=stored["id"])
        assert after["title"] == stored["title"]
        assert after["metadata_modified"] == stored["metadata_modified"]

    def test_error_is_in_the_language_of_the_request(self, app, officer):
        headers, org = officer
        body = vn_dataset(org["id"], private="abc", title=["x"])

        vietnamese = _post(app, "package_create", headers, body).json["error"]
        english = _post(app, "package_create", headers, body, lang="/en").json["error"]

        assert english["private"] == ["Must be true or false."]
        assert vietnamese["private"] != english["private"]
        assert vietnamese["title"] != english["title"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestValuesThatStillPass:
    """The guards refuse garbage, not what forms and clients really send."""

    @pytest.mark.parametrize("value", [True, "true", "True", "on", "1", 1])
    def test_yes_in_every_usual_spelling(self, app, officer, value):
        headers, org = officer

        response = _post(
            app,
            "package_create",
            headers,
            vn_dataset(org["id"], personal_data_assessed=value),
        )

        assert response.status_code == 200, response.body[:500]
        assert response.json["result"]["personal_data_assessed"] is True

    def test_whole_number_strings_and_dates_at_the_edges(self, app, officer):
        headers, org = officer
        body = _with_resource(org["id"], size="2048", declared_stars="4")
        body.update(issued="01/01/1000", modified="2999-12-31")
        body["update_frequency"] = "khong_dinh_ky"

        response = _post(app, "package_create", headers, body)

        assert response.status_code == 200, response.body[:500]
        resource = response.json["result"]["resources"][0]
        assert (resource["size"], resource["declared_stars"]) == (2048, 4)

    def test_title_with_a_zero_width_joiner_inside_words_is_kept(self, app, officer):
        headers, org = officer
        title = "Dữ liệu\u200b mở"

        response = _post(
            app, "package_create", headers, vn_dataset(org["id"], title=title)
        )

        assert response.status_code == 200
        assert response.json["result"]["title"] == title
