"""Only sysadmins point the portal's harvesters somewhere (unless the option says
organization members may), through every API route to a harvest source."""

from __future__ import annotations

import json

import pytest

from ckan.tests import factories, helpers

from tests.factories import VnDataset
from tests.harvester.sources import SOURCE_CONFIG, harvest_source
from tests.helpers import token_headers

EDITORS_MANAGE = pytest.mark.ckan_config(
    "ckanext.vndata.harvester.editors_manage_sources", "true"
)


def _member(role: str) -> tuple[dict, dict]:
    user = factories.User()
    org = factories.Organization(users=[{"name": user["name"], "capacity": role}])
    return user, org


def _new_source(org: dict, **extra) -> dict:
    return {
        "name": "nguon-moi",
        "url": "http://127.0.0.2/catalog.ttl",
        "source_type": "vndata_dcat",
        "owner_org": org["id"],
        "config": json.dumps(SOURCE_CONFIG),
        **extra,
    }


def _call(app, user: dict, action: str, data: dict, status: int):
    return app.post(
        f"/api/3/action/{action}",
        json=data,
        headers=token_headers(user),
        status=status,
    ).json


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestSourcesAreForSysadmins:
    @pytest.mark.parametrize("role", ["editor", "admin"])
    def test_member_cannot_create_a_source(self, app, role):
        user, org = _member(role)

        answer = _call(app, user, "harvest_source_create", _new_source(org), 403)

        assert not answer["success"]

    @pytest.mark.parametrize("role", ["editor", "admin"])
    def test_member_cannot_create_one_as_a_harvest_dataset(self, app, role):
        user, org = _member(role)

        _call(app, user, "package_create", _new_source(org, type="harvest"), 403)

    @pytest.mark.parametrize("role", ["editor", "admin"])
    @pytest.mark.parametrize(
        "action", ["harvest_source_update", "harvest_source_patch", "package_patch"]
    )
    def test_member_cannot_change_a_source(self, app, role, action):
        user, org = _member(role)
        source = harvest_source("http://127.0.0.2/a.ttl", owner_org=org["id"])
        change = {"id": source["id"], "url": "http://127.0.0.1:6379/"}
        if action == "harvest_source_update":
            change = {**_new_source(org), **change, "name": source["name"]}

        _call(app, user, action, change, 403)

    @pytest.mark.parametrize("role", ["editor", "admin"])
    def test_member_cannot_start_a_job(self, app, role):
        user, org = _member(role)
        source = harvest_source("http://127.0.0.2/a.ttl", owner_org=org["id"])

        _call(app, user, "harvest_job_create", {"source_id": source["id"]}, 403)

    def test_editor_cannot_clear_a_source(self, app):
        user, org = _member("editor")
        source = harvest_source("http://127.0.0.2/a.ttl", owner_org=org["id"])

        _call(app, user, "harvest_source_clear", {"id": source["id"]}, 403)

    def test_editor_cannot_queue_a_job(self, app):
        user, org = _member("editor")
        source = harvest_source("http://127.0.0.2/a.ttl", owner_org=org["id"])
        job = helpers.call_action(
            "harvest_job_create",
            context={"user": factories.Sysadmin()["name"]},
            source_id=source["id"],
            run=False,
        )

        _call(app, user, "harvest_send_job_to_gather_queue", {"id": job["id"]}, 403)

    def test_member_still_edits_ordinary_datasets(self, app):
        user, org = _member("editor")
        dataset = VnDataset(owner_org=org["id"])

        answer = _call(
            app, user, "package_patch", {"id": dataset["id"], "notes": "Mới."}, 200
        )

        assert answer["result"]["notes"] == "Mới."

    def test_sysadmin_creates_a_source_and_starts_a_job(self, app):
        sysadmin = factories.Sysadmin()
        org = factories.Organization()

        source = _call(app, sysadmin, "harvest_source_create", _new_source(org), 200)
        job = {"source_id": source["result"]["id"], "run": False}
        _call(app, sysadmin, "harvest_job_create", job, 200)

    @EDITORS_MANAGE
    @pytest.mark.parametrize("role", ["editor", "admin"])
    def test_option_lets_members_manage_their_sources(self, app, role):
        user, org = _member(role)

        created = _call(app, user, "harvest_source_create", _new_source(org), 200)
        source_id = created["result"]["id"]
        _call(app, user, "harvest_source_patch", {"id": source_id, "title": "T"}, 200)
        job = {"source_id": source_id, "run": False}
        _call(app, user, "harvest_job_create", job, 200)

    @EDITORS_MANAGE
    def test_an_editors_source_publishes_only_where_the_editor_may(self, app):
        user, org = _member("editor")
        other = factories.Organization(name="bo-cong-an")

        for config in (
            {**SOURCE_CONFIG, "default_organization": other["name"]},
            {
                **SOURCE_CONFIG,
                "publisher_rules": [{"name": "Bộ", "organization": other["name"]}],
            },
            {**SOURCE_CONFIG, "unknown_publishers": "create"},
        ):
            refused = _call(
                app,
                user,
                "harvest_source_create",
                _new_source(org, config=json.dumps(config)),
                409,
            )
            assert "config" in refused["error"], config

        own = {**SOURCE_CONFIG, "default_organization": org["name"]}
        _call(
            app,
            user,
            "harvest_source_create",
            _new_source(org, config=json.dumps(own)),
            200,
        )
