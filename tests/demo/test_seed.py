"""The demo's provincial seeding, run against this suite's portal through its real web
pages and action API: the plans are made by the officers, published by the province's
reviewer, a draft stays a draft, and a second run changes nothing.

The demo talks HTTP with ``requests``; here its session is mounted on the test app, so
each form, upload and action goes through CKAN's own views, auth and CSRF rules.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest
import requests
import requests.adapters
import requests.structures

import ckan.model as model
from ckan.tests import factories

from ckanext.vndata.harvester import secrets
from ckanext.vndata.plan.model import Event, Plan
from demo import officers, plans, seed
from demo.portal import Portal

SITE = "http://test.ckan.net"
REVIEWERS = " ".join(officers.reviewer(portal) for portal in officers.OFFICERS)


class _AppAdapter(requests.adapters.BaseAdapter):
    """Sends a ``requests`` request to the test app instead of the network."""

    def __init__(self, app):
        super().__init__()
        self.client = app.test_client()

    def send(self, request, **kwargs):
        url = urllib.parse.urlsplit(request.url)
        answer = self.client.open(
            url.path + (f"?{url.query}" if url.query else ""),
            method=request.method,
            data=request.body,
            headers=dict(request.headers),
            follow_redirects=False,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.get_data()
        response.headers = requests.structures.CaseInsensitiveDict(answer.headers)
        response.url, response.request = request.url, request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


@pytest.fixture
def portal(app):
    session = requests.Session()
    session.mount(SITE, _AppAdapter(app))
    sysadmin = factories.Sysadmin()
    token = factories.APIToken(user=sysadmin["name"])["token"]
    return Portal(SITE, token, sysadmin["name"], session)


def _plans(organization: str) -> list[Plan]:
    group = model.Group.get(organization)
    return model.Session.query(Plan).filter(Plan.organization_id == group.id).all()


def _state() -> tuple:
    """What a run could change: plans, their events, datasets, tokens, memberships."""
    model.Session.expire_all()
    query = model.Session.query
    return (
        sorted((p.id, p.status, p.version, str(p.modified)) for p in query(Plan)),
        query(Event).count(),
        sorted((p.name, str(p.metadata_modified)) for p in query(model.Package)),
        query(model.ApiToken).count(),
        query(model.Member).count(),
    )


pytestmark = [
    pytest.mark.ckan_config("ckanext.vndata.plan.reviewers", REVIEWERS),
    pytest.mark.ckan_config("ckanext.vndata.portal_level", "province"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_da_nang_plan_is_entered_through_the_web_and_published_there(portal):
    seed.run(portal, "danang")
    seed.run(portal, "danang-plans")

    (plan,) = _plans("so-khcn-da-nang")
    shown = portal.call("vndata_plan_show", id=plan.id)
    assert (shown["status"], shown["version"]) == ("published", 1)
    # What only the workbook carried reached the plan: the upload was confirmed.
    assert shown["decision_number"] == plans.DA_NANG["general"]["decision_number"]
    assert [p["label"] for p in shown["phases"]] == ["Giai đoạn 1", "Giai đoạn 2"]
    items = {item["title"]: item for item in shown["items"]}
    assert list(items) == [title for title, *_ in plans.DA_NANG["items"]]
    phases = {phase["id"]: phase["label"] for phase in shown["phases"]}
    assert [phases.get(item["phase_id"]) for item in items.values()] == [
        phase for _title, _sector, _due, phase, _dataset in plans.DA_NANG["items"]
    ]
    for title, _sector, _due, _phase, dataset in plans.DA_NANG["items"]:
        linked = [d["package_id"] for d in items[title]["datasets"]]
        if dataset:
            package = portal.call("package_show", id=dataset)
            assert linked == [package["id"]]
            assert package["plan_item"] == items[title]["key"]
        else:
            assert linked == []
    assert items["Giá đất trên địa bàn"]["status"] == "overdue"
    # Each step by whoever the workflow gives it to on a provincial portal.
    steps = [(e["transition"], e["user_id"]) for e in shown["history"]]
    users = {
        name: portal.call("user_show", id=name)["id"]
        for name in ("canbo-khcn-da-nang", "lanhdao-khcn-da-nang", "thamdinh-da-nang")
    }
    assert steps == [
        ("create", users["canbo-khcn-da-nang"]),
        ("submit", users["lanhdao-khcn-da-nang"]),
        ("approve", users["thamdinh-da-nang"]),
        ("publish", users["thamdinh-da-nang"]),
    ]


def test_the_other_department_plan_stays_a_draft_nobody_outside_reads(portal, app):
    seed.run(portal, "danang")
    seed.run(portal, "danang-plans")

    (draft,) = _plans("so-xay-dung-da-nang")
    assert draft.status == "draft"
    assert len(portal.call("vndata_plan_show", id=draft.id)["items"]) == 2
    # What another portal reads (anonymously): the published plan only.
    public = app.get("/api/3/action/vndata_plan_list").json["result"]
    assert [p["status"] for p in public] == ["published"]
    assert app.get(f"/api/3/action/vndata_plan_show?id={draft.id}").status_code == 403


def test_hue_plan_is_entered_through_the_api_and_published_there(portal):
    seed.run(portal, "hue")
    seed.run(portal, "hue-plans")

    (plan,) = _plans("ubnd-thanh-pho-hue")
    shown = portal.call("vndata_plan_show", id=plan.id)
    assert shown["status"] == "published"
    delivered = [i["title"] for i in shown["items"] if i["datasets"]]
    assert delivered == ["Di tích lịch sử - văn hóa"]
    assert [e["transition"] for e in shown["history"]] == [
        "create", "submit", "approve", "publish",
    ]  # fmt: skip


def test_a_second_run_changes_nothing(portal):
    for role in ("danang", "hue", "danang-plans", "hue-plans"):
        seed.run(portal, role)
    before = _state()

    for role in ("danang", "hue", "danang-plans", "hue-plans"):
        seed.run(portal, role)

    assert _state() == before


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
def test_the_national_sources_file_each_agency_under_its_own_organization(portal):
    """Review finding 5 (demo): Sở Xây dựng's plan was filed under the source's
    organization, Sở KH&CN, for want of a publisher rule."""
    seed.run(
        portal,
        "national",
        "http://127.0.0.1:5001",
        "http://127.0.0.1:5002",
        "http://127.0.0.1:5003",
    )

    source = portal.call("harvest_source_show", id="cong-du-lieu-da-nang")
    rules = json.loads(source["config"])["publisher_rules"]
    by_name = {rule.get("name"): rule["organization"] for rule in rules}
    assert by_name["Sở Xây dựng thành phố Đà Nẵng"] == "so-xay-dung-da-nang"
    assert portal.exists("organization_show", "so-xay-dung-da-nang")
    # Cần Thơ's JSON API (tests/demo/test_json_portal.py harvests it): its login
    # stored apart, the demo's password.
    cantho = portal.call("harvest_source_show", id="cong-du-lieu-can-tho")
    assert cantho["source_type"] == "vndata_json"
    assert cantho["url"] == "http://127.0.0.1:5003/api/dulieu"
    assert officers.password() not in json.dumps(cantho)
    assert secrets.stored(cantho["id"]) == {"basic_password": officers.password()}
