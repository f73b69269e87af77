"""The plan page's "Gắn tập dữ liệu" and "Bỏ gắn": auth, CSRF, hostile input."""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.factories import Item, VnDataset
from tests.fuzz import HOSTILE_WORDS
from tests.helpers import csrf_token, token_headers
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import editor_login, harvested_plan

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TITLE = "Danh sách điểm wifi công cộng"


@pytest.fixture
def item(agency):
    return Item(plan_id=plan_in(agency)["id"], title="Điểm wifi")


def _url(item: dict, what: str = "gan-tap-du-lieu") -> str:
    return f"/ke-hoach/{item['plan_id']}/muc/{item['id']}/{what}"


def _shown(agency, item) -> dict:
    return call("vndata_plan_item_show", agency.editor, id=item["id"])


def test_the_plan_page_offers_link_a_dataset_to_editors_only(app, agency, item):
    plan_page = f"/ke-hoach/{item['plan_id']}"

    editor = app.get(plan_page, headers=token_headers(agency.editor)).body
    member = app.get(plan_page, headers=token_headers(agency.member)).body

    assert "Gắn tập dữ liệu" in editor and _url(item) in editor
    assert "Gắn tập dữ liệu" not in member


def test_search_finds_the_agencys_dataset_without_accents(
    app, agency, other_agency, item
):
    VnDataset(owner_org=agency.org["id"], title=TITLE)
    VnDataset(owner_org=other_agency.org["id"], title=f"{TITLE} (khác)")

    page = app.get(
        _url(item), query_string={"q": "diem wifi"},
        headers=token_headers(agency.editor),
    ).body  # fmt: skip

    assert TITLE in page
    assert "(khác)" not in page


def test_picking_a_dataset_writes_its_plan_item_and_delivers_the_item(
    app, agency, item
):
    client, editor = editor_login(app, agency)
    dataset = VnDataset(owner_org=agency.org["id"], title=TITLE)
    token = csrf_token(client.get(_url(item)).body)

    sent = client.post(
        _url(item), data={"package_id": dataset["id"], "_csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip

    assert sent.status_code == 302
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["plan_item"] == item["key"]
    assert _shown(agency, item)["status"] == "published_on_time"
    assert [d["source"] for d in _shown(agency, item)["datasets"]] == ["field"]
    page = client.get(f"/ke-hoach/{item['plan_id']}").body
    assert "đã được gắn với mục" in page


def test_without_the_csrf_token_nothing_is_linked(app, agency, item):
    client, _editor = editor_login(app, agency)
    dataset = VnDataset(owner_org=agency.org["id"])

    refused = client.post(_url(item), data={"package_id": dataset["id"]})

    assert refused.status_code in (400, 403)
    assert not _shown(agency, item)["datasets"]


def test_a_member_or_another_agencys_editor_is_refused(app, agency, other_agency, item):
    dataset = VnDataset(owner_org=agency.org["id"])

    for user in (agency.member, other_agency.editor):
        app.post(
            _url(item), data={"package_id": dataset["id"]},
            headers=token_headers(user), status=403,
        )  # fmt: skip

    assert not _shown(agency, item)["datasets"]


def test_an_editor_of_the_plan_who_may_not_edit_the_dataset_is_refused(
    app, agency, other_agency
):
    """The item names the other agency as cooperating: its dataset may deliver the
    item, but only someone who may edit that dataset links it."""
    item = Item(
        plan_id=plan_in(agency)["id"],
        cooperating_agencies=[other_agency.org["title"]],
    )
    dataset = VnDataset(owner_org=other_agency.org["id"])
    linked = VnDataset(owner_org=other_agency.org["id"], plan_item=item["key"])

    app.post(
        _url(item), data={"package_id": dataset["id"]},
        headers=token_headers(agency.editor), status=403,
    )  # fmt: skip
    # Its own plan_item field names the item: only a change of the dataset unlinks.
    app.post(
        _url(item, "bo-gan"), data={"package_id": linked["id"]},
        headers=token_headers(agency.editor), status=403,
    )  # fmt: skip
    page = app.get(
        f"/ke-hoach/{item['plan_id']}", headers=token_headers(agency.editor)
    ).body
    assert _url(item, "bo-gan") not in page
    assert helpers.call_action("package_show", id=linked["id"])["plan_item"]


def test_a_link_made_through_the_api_is_unlinked_by_the_plans_editor(
    app, agency, other_agency
):
    """vndata_plan_item_unlink's rule: the plan's editors take back a link made
    through the API, also to a dataset of a cooperating agency they may not edit;
    the plan page offers the button exactly then."""
    item = Item(
        plan_id=plan_in(agency)["id"],
        cooperating_agencies=[other_agency.org["title"]],
    )
    dataset = VnDataset(owner_org=other_agency.org["id"], title=TITLE)
    call("vndata_plan_item_link", agency.editor, id=item["id"],
         package_id=dataset["id"])  # fmt: skip
    client, _editor = editor_login(app, agency)
    page = client.get(f"/ke-hoach/{item['plan_id']}").body
    assert _url(item, "bo-gan") in page

    sent = client.post(
        _url(item, "bo-gan"),
        data={"package_id": dataset["id"], "_csrf_token": csrf_token(page)},
        follow_redirects=False,
    )

    assert sent.status_code == 302
    assert not _shown(agency, item)["datasets"]


def test_moving_a_dataset_off_another_item_needs_a_confirmation(app, agency, item):
    other = Item(plan_id=item["plan_id"], title="Điểm phát sóng")
    dataset = VnDataset(owner_org=agency.org["id"], title=TITLE, plan_item=other["key"])
    client, _editor = editor_login(app, agency)
    page = client.get(_url(item), query_string={"q": "wifi"}).body
    assert f"Đang gắn với mục: {other['number']}. Điểm phát sóng (" in page

    refused = client.post(
        _url(item), data={"package_id": dataset["id"], "_csrf_token": csrf_token(page)},
    )  # fmt: skip

    assert refused.status_code == 409
    assert "gắn vào đây sẽ gỡ nó khỏi mục đó" in refused.text
    assert 'name="confirm"' in refused.text
    assert (
        helpers.call_action("package_show", id=dataset["id"])["plan_item"]
        == (other["key"])
    )
    assert not _shown(agency, item)["datasets"]

    moved = client.post(
        _url(item),
        data={"package_id": dataset["id"], "confirm": "move",
              "_csrf_token": csrf_token(refused.text)},
        follow_redirects=False,
    )  # fmt: skip

    assert moved.status_code == 302
    assert (
        helpers.call_action("package_show", id=dataset["id"])["plan_item"]
        == (item["key"])
    )
    assert [d["package_id"] for d in _shown(agency, item)["datasets"]] == [
        dataset["id"]
    ]


def test_another_agencys_dataset_is_refused_with_the_reason(
    app, agency, other_agency, item
):
    sysadmin = factories.Sysadmin()
    dataset = VnDataset(owner_org=other_agency.org["id"])

    page = app.post(
        _url(item), data={"package_id": dataset["id"]},
        headers=token_headers(sysadmin), status=400,
    )  # fmt: skip

    assert "kế hoạch của cơ quan khác" in page.body or "cơ quan khác" in page.body
    assert not _shown(agency, item)["datasets"]


def _sendable(word: str) -> bool:
    # A lone surrogate cannot be encoded into a request at all.
    try:
        word.encode()
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("package_id", [*filter(_sendable, HOSTILE_WORDS), "x" * 5000])
def test_hostile_package_ids_are_refused_never_a_crash(app, agency, item, package_id):
    page = app.post(
        _url(item), data={"package_id": package_id},
        headers=token_headers(agency.editor),
    )  # fmt: skip

    assert page.status_code in (400, 404)
    assert not _shown(agency, item)["datasets"]


@pytest.mark.parametrize("item_id", ["khong-co", "a\x00b", "%00", "x" * 3000])
def test_hostile_item_ids_are_not_found(app, agency, item, item_id):
    url = f"/ke-hoach/{item['plan_id']}/muc/{item_id}/gan-tap-du-lieu"

    page = app.get(url, headers=token_headers(agency.editor))

    assert page.status_code in (400, 404)


def test_an_item_of_another_plan_is_not_found(app, agency, item):
    other = Item(plan_id=plan_in(agency)["id"])

    app.get(
        f"/ke-hoach/{item['plan_id']}/muc/{other['id']}/gan-tap-du-lieu",
        headers=token_headers(agency.editor), status=404,
    )  # fmt: skip


def test_a_harvested_plan_offers_no_link_and_refuses_one(app, agency):
    plan = harvested_plan(agency)
    item = plan["items"][0]
    dataset = VnDataset(owner_org=agency.org["id"])

    page = app.get(f"/ke-hoach/{plan['id']}", headers=token_headers(agency.editor))
    app.post(
        _url(item), data={"package_id": dataset["id"]},
        headers=token_headers(factories.Sysadmin()), status=403,
    )  # fmt: skip

    assert "Gắn tập dữ liệu" not in page.body


def test_unlinking_clears_the_field_and_the_link(app, agency, item):
    dataset = VnDataset(owner_org=agency.org["id"], plan_item=item["key"])
    client, _editor = editor_login(app, agency)
    token = csrf_token(client.get(f"/ke-hoach/{item['plan_id']}").body)

    sent = client.post(
        _url(item, "bo-gan"),
        data={"package_id": dataset["id"], "_csrf_token": token},
        follow_redirects=False,
    )

    assert sent.status_code == 302

    assert not helpers.call_action("package_show", id=dataset["id"]).get("plan_item")
    assert not _shown(agency, item)["datasets"]


def test_a_dataset_that_does_not_count_says_why_on_the_plan_page(app, agency, item):
    VnDataset(
        owner_org=agency.org["id"], plan_item=item["key"], private=True, title=TITLE
    )

    page = app.get(
        f"/ke-hoach/{item['plan_id']}", headers=token_headers(agency.editor)
    ).body

    assert "Chưa được tính: Tập dữ liệu đang ở chế độ riêng tư" in page


@pytest.mark.parametrize("query", [*filter(_sendable, HOSTILE_WORDS), "x" * 5000])
def test_hostile_search_words_are_a_page_never_a_crash(app, agency, item, query):
    page = app.get(
        _url(item), query_string={"q": query}, headers=token_headers(agency.editor)
    )

    assert page.status_code == 200


def test_the_dataset_form_offers_the_item_by_number_and_title(app, agency, item):
    page = app.get("/dataset/new", headers=token_headers(agency.editor)).body

    assert f'value="{item["key"]}"' in page
    assert f"{item['number']}. Điểm wifi (" in page
    assert 'data-module="vndata-plan-item-picker"' in page


def test_the_api_refuses_a_typed_title_in_vietnamese(app, agency, item):
    sent = app.post(
        "/api/3/action/package_create",
        json={
            "name": "tap-du-lieu-wifi", "title": TITLE, "owner_org": agency.org["id"],
            "notes": "Mô tả.", "sectors": ["xa-hoi"], "data_sharing_class": "mo",
            "data_importance_class": "khac", "personal_data_assessed": True,
            "update_frequency": "hang_nam", "plan_item": "Điểm wifi",
        },
        headers=token_headers(agency.editor), status=409,
    )  # fmt: skip

    (message,) = sent.json["error"]["plan_item"]
    assert "hãy chọn mục trong danh sách" in message


@pytest.mark.parametrize("package_id", ["khong-co", "a\x00b", "x" * 5000, ""])
def test_unlinking_an_unknown_dataset_is_refused_never_a_crash(
    app, agency, item, package_id
):
    page = app.post(
        _url(item, "bo-gan"), data={"package_id": package_id},
        headers=token_headers(agency.editor),
    )  # fmt: skip

    assert page.status_code in (400, 404)
