"""xloader's actions as chained by vndata_metadata: the token xloader stores with each
job is never shown (xloader_status, as the dataset's editor) and is erased when the
worker reports back (xloader_hook). A real load is in tests/metadata/test_datastore.py.
"""

from __future__ import annotations

import json
import uuid

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.vndata.metadata.logic.xloader_action import without_secrets
from tests.metadata.helpers import vn_dataset

TOKEN = "bi-mat-cua-xloader-" + uuid.uuid4().hex


def _stored_job(resource_id: str) -> str:
    """A job as xloader's worker stores it (db.add_pending_job, with the token), and
    the resource's xloader task naming it, as xloader_submit leaves it."""
    from ckanext.xloader import db

    job_id = str(uuid.uuid4())
    db.init(tk.config)
    db.add_pending_job(
        job_id,
        job_type="xloader_to_datastore",
        api_key=TOKEN,
        data={"api_key": TOKEN, "nested": [{"api_key": TOKEN}]},
        metadata={"resource_id": resource_id},
        result_url="http://127.0.0.1/api/3/action/xloader_hook",
    )
    helpers.call_action(
        "task_status_update",
        entity_id=resource_id,
        entity_type="resource",
        task_type="xloader",
        key="xloader",
        value=json.dumps({"job_id": job_id, "job_key": job_id}),
        state="complete",
        error="{}",
        last_updated="2026-01-01T00:00:00",
    )
    return job_id


@pytest.fixture
def editor_and_resource():
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = helpers.call_action(
        "package_create",
        context={"user": factories.Sysadmin()["name"]},
        **vn_dataset(
            org["id"],
            resources=[{"url": "http://93.184.216.34/a.csv", "format": "CSV"}],
        ),
    )
    return editor, dataset["resources"][0]["id"]


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestXloaderStatus:
    def test_the_editor_sees_the_job_but_no_token(self, editor_and_resource):
        editor, resource_id = editor_and_resource
        job_id = _stored_job(resource_id)
        status = helpers.call_action(
            "xloader_status",
            context={"user": editor["name"], "ignore_auth": False},
            resource_id=resource_id,
        )
        assert status["task_info"]["job_id"] == job_id
        shown = json.dumps(status)
        assert TOKEN not in shown
        assert "api_key" not in shown


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestXloaderHook:
    def test_the_workers_report_erases_the_stored_token(self, editor_and_resource):
        from ckanext.xloader import db

        _editor, resource_id = editor_and_resource
        job_id = _stored_job(resource_id)
        assert db.get_job(job_id)["api_key"] == TOKEN
        helpers.call_action(
            "xloader_hook",
            context={"user": factories.Sysadmin()["name"]},
            metadata={"resource_id": resource_id},
            status="error",
            error="không đọc được tệp",
        )
        assert db.get_job(job_id)["api_key"] is None


def test_secrets_are_left_out_at_any_depth():
    value = {"a": [{"api_key": 1, "b": ({"apikey": 2, "c": 3},)}], "api_token": 4}
    assert without_secrets(value) == {"a": [{"b": [{"c": 3}]}]}
